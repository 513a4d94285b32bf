"""The interview: a pure state machine walking a person through the whole report.

See ``flow.md`` beside this module for the flow as a diagram.
"""

from __future__ import annotations

from .engine import (
    ask,
    complete_answers,
    edit_menu,
    find_questions,
    resume,
    review,
    start,
    status,
    step,
)
from .plan import Plan, QKind, Question, build_plan
from .state import (
    Action,
    Button,
    Command,
    Mode,
    Press,
    Reply,
    State,
    Text,
    new_state,
    report_year,
)

__all__ = [
    "Action",
    "Button",
    "Command",
    "Mode",
    "Plan",
    "Press",
    "QKind",
    "Question",
    "Reply",
    "State",
    "Text",
    "ask",
    "build_plan",
    "complete_answers",
    "edit_menu",
    "find_questions",
    "new_state",
    "report_year",
    "resume",
    "review",
    "start",
    "status",
    "step",
]
