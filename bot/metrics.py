"""What ``GET /metrics`` shows, in Prometheus's text format: one registry per process.

Each replica exposes its own counters; Prometheus scrapes every replica and sums them (no
multiprocess mode is needed). Labels are small fixed sets (kinds, outcomes, rule numbers, HTTP
codes, Bot API method names), never user ids or anything a user typed. Nothing here knows
python-telegram-bot: ``bot/telegram_metrics.py`` feeds the update and Bot API metrics.

| metric | type | labels |
| --- | --- | --- |
| ``nianbao_updates_total`` | counter | ``kind``: command, text, button, document, other |
| ``nianbao_update_seconds`` | histogram | time from receiving an update to its last reply sent |
| ``nianbao_violations_shown_total`` | counter | ``severity`` (error, warning), ``rule`` (1–10) |
| ``nianbao_reports_finished_total`` | counter | interviews completed (完成填报) |
| ``nianbao_reports_submitted_total`` | counter | ``route``: direct (no office), review (a 审核人 confirmed) |
| ``nianbao_reminders_total`` | counter | ``outcome``: sent, failed, retry |
| ``nianbao_bot_api_errors_total`` | counter | ``method``, ``code`` (HTTP status, or ``network``) |
| ``nianbao_update_conflicts_total`` | counter | ``outcome``: retried, refused (a colleague saved first) |
| ``nianbao_duplicate_updates_total`` | counter | updates delivered again and recognised |
"""

from __future__ import annotations

import re

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    ProcessCollector,
    generate_latest,
)

from core.wording.rules import SEVERITY

# The classic text format every Prometheus version reads.
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
REGISTRY = CollectorRegistry(auto_describe=True)
ProcessCollector(registry=REGISTRY)

UPDATES = Counter("nianbao_updates", "Updates handled, by kind.", ["kind"], registry=REGISTRY)
LATENCY = Histogram(
    "nianbao_update_seconds",
    "Seconds from receiving an update to having sent every reply to it.",
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
    registry=REGISTRY,
)
VIOLATIONS = Counter(
    "nianbao_violations_shown",
    "Rule violations shown to users, by severity and rule number.",
    ["severity", "rule"],
    registry=REGISTRY,
)
FINISHED = Counter(
    "nianbao_reports_finished", "Interviews completed (完成填报).", registry=REGISTRY
)
SUBMITTED = Counter(
    "nianbao_reports_submitted",
    "Reports submitted: direct (an agency without an office) or review (its 审核人 confirmed).",
    ["route"],
    registry=REGISTRY,
)
REMINDERS = Counter(
    "nianbao_reminders",
    "Reminders by outcome: sent, failed (never resent), retry (left for a later pass).",
    ["outcome"],
    registry=REGISTRY,
)
API_ERRORS = Counter(
    "nianbao_bot_api_errors",
    "Bot API requests that failed, by method and HTTP status ('network': no answer).",
    ["method", "code"],
    registry=REGISTRY,
)
CONFLICTS = Counter(
    "nianbao_update_conflicts",
    "Answers that met a report changed in between (a colleague, another replica).",
    ["outcome"],
    registry=REGISTRY,
)
DUPLICATES = Counter(
    "nianbao_duplicate_updates",
    "Updates delivered again and recognised by their update_id (nothing applied twice).",
    registry=REGISTRY,
)

_SEVERITY = {label: str(severity) for severity, label in SEVERITY.items()}
_SHOWN = re.compile(
    "【(" + "|".join(map(re.escape, _SEVERITY)) + r")·规则(\d+)】"
)  # as worded by core.wording.rules.describe_full


def render() -> bytes:
    """The registry in Prometheus's text format."""
    return generate_latest(REGISTRY)


def update_handled(kind: str, seconds: float) -> None:
    """One update processed (all its replies sent) in ``seconds``."""
    UPDATES.labels(kind).inc()
    LATENCY.observe(seconds)


def message_sent(text: str) -> None:
    """A message went to a phone: count the rule violations it shows."""
    if "·规则" not in text:
        return
    for severity, rule in _SHOWN.findall(text):
        VIOLATIONS.labels(_SEVERITY[severity], rule).inc()


def report_finished(*, in_review: bool) -> None:
    """An interview completed; without an office to review it, that is its submission."""
    FINISHED.inc()
    if not in_review:
        SUBMITTED.labels("direct").inc()


def report_submitted() -> None:
    """A 审核人 confirmed the report to the office."""
    SUBMITTED.labels("review").inc()


def reminder_outcome(outcome: str) -> None:
    REMINDERS.labels(outcome).inc()


def conflict(*, retried: bool) -> None:
    CONFLICTS.labels("retried" if retried else "refused").inc()


def duplicate() -> None:
    DUPLICATES.inc()
