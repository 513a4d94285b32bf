"""A scripted user for interview tests: presses buttons by label, types, counts actions."""

from __future__ import annotations

from datetime import date

from core.interview import Command, Press, Reply, State, Text, new_state, start, step


class Driver:
    """Plays an interview; ``actions`` counts messages and presses outside narrative texts."""

    def __init__(self, state: State | None = None, today: date = date(2026, 1, 10)) -> None:
        self.state = state or new_state(today)
        self.state, self.replies = start(self.state)
        self.actions = 0
        self.narrative_messages = 0

    @property
    def text(self) -> str:
        return "\n".join(r.text for r in self.replies)

    @property
    def last(self) -> Reply:
        return self.replies[-1]

    def labels(self) -> list[str]:
        return [b.label for r in self.replies for row in r.buttons for b in row]

    def press(self, label: str) -> Driver:
        for r in reversed(self.replies):
            for row in r.buttons:
                for b in row:
                    if b.label == label or b.label.startswith(label):
                        return self._do(Press(b.data))
        raise AssertionError(f"no button {label!r} in {self.labels()}\n{self.text}")

    def type(self, text: str) -> Driver:
        return self._do(Text(text))

    def narrate(self, text: str) -> Driver:
        """Type narrative text: not counted against the interaction budget."""
        self.narrative_messages += 1
        self.actions -= 1
        return self._do(Text(text))

    def command(self, name: str, arg: str = "") -> Driver:
        return self._do(Command(name, arg))

    def _do(self, action: Text | Press | Command) -> Driver:
        self.actions += 1
        self.state, self.replies = step(self.state, action)
        return self

    @property
    def current(self) -> str:
        return self.state.current
