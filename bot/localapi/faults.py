"""Network faults the local Bot API server can inject: none until a test adds a rule.

Kinds: ``"500"`` and ``"502"`` (server errors; 502 as an HTML page, like a proxy), ``"429"``
(``Too Many Requests`` with ``parameters.retry_after``), ``"slow"`` (answers after ``delay``
seconds), ``"drop"`` (closes the connection before doing anything), ``"drop_after"`` (does the
work, then closes the connection: the bot cannot know its message went out) and
``"redeliver"`` (an update the bot received is delivered once more).

Every draw comes from one generator seeded at creation, so the same sequence of requests meets
the same faults.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Literal

FaultKind = Literal["500", "502", "429", "slow", "drop", "drop_after", "redeliver"]
REQUEST_FAULTS: frozenset[str] = frozenset({"500", "502", "429", "slow", "drop", "drop_after"})


@dataclass(frozen=True)
class FaultRule:
    """Inject ``kind`` with ``probability`` into calls of ``methods`` (lowercased; None: all)."""

    kind: FaultKind
    probability: float
    methods: frozenset[str] | None = None
    delay: float = 0.5
    retry_after: int = 1


class FaultPlan:
    """The rules in force and the faults injected so far."""

    def __init__(self, seed: int = 0) -> None:
        self.rules: list[FaultRule] = []
        self.injected: list[tuple[str, FaultKind]] = []
        self._random = random.Random(seed)

    def add(
        self,
        kind: FaultKind,
        probability: float,
        *,
        methods: Iterable[str] | None = None,
        delay: float = 0.5,
        retry_after: int = 1,
    ) -> FaultRule:
        """Adds a rule; ``methods`` limits it to some methods (any case), else it hits all."""
        if not 0 <= probability <= 1:
            raise ValueError(f"probability {probability} is not between 0 and 1")
        chosen = frozenset(m.lower() for m in methods) if methods is not None else None
        rule = FaultRule(kind, probability, chosen, delay, retry_after)
        self.rules.append(rule)
        return rule

    def clear(self) -> None:
        """Removes every rule: no more faults."""
        self.rules.clear()

    def reseed(self, seed: int) -> None:
        """Restarts the random sequence."""
        self._random.seed(seed)

    def draw(self, method: str, kinds: AbstractSet[str] = REQUEST_FAULTS) -> FaultRule | None:
        """The fault to inject into this call, if any (the first rule that fires)."""
        for rule in self.rules:
            if rule.kind not in kinds:
                continue
            if rule.methods is not None and method.lower() not in rule.methods:
                continue
            if self._random.random() < rule.probability:
                self.injected.append((method, rule.kind))
                return rule
        return None
