"""``nianbao console``: the whole interview in a terminal, saved after every step."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TextIO

from core.answers import Answers, AnswersFileError, to_json
from core.formats import get_format
from core.interview import Command, Mode, Press, Reply, State, Text, new_state, start, step
from core.interview.engine import complete_answers, resume
from core.interview.state import report_year
from core.wording.files import describe_problem

from . import texts as T
from .check_cmd import read_answers

COMMANDS = {"back", "skip", "status", "edit", "review", "start", "report"}


def session_path(answers_path: Path) -> Path:
    """Where the interview's own state (position, confirmations) is kept beside the answers."""
    return answers_path.with_name(answers_path.name + ".session")


def write_atomic(path: Path, text: str) -> None:
    """Write via a temporary file and rename, so a crash never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_state(path: Path, fmt_id: str | None, last: Answers | None, today: date) -> State:
    """Resume from ``path`` (and its session file) or start a new interview."""
    if not path.exists():
        year = report_year(today)
        if fmt_id and not get_format(fmt_id).applies_to(year):
            fmt = get_format(fmt_id)
            year = fmt.last_year if fmt.last_year is not None else fmt.first_year
        return new_state(today, year=year, last=last)
    answers = read_answers(path)
    if fmt_id and answers.format != fmt_id:
        raise ValueError(T.CONSOLE_FORMAT_MISMATCH.format(file_format=answers.format, asked=fmt_id))
    session = session_path(path)
    if session.exists():
        try:
            state = State.from_data(json.loads(session.read_text(encoding="utf-8")))
        except (ValueError, KeyError, TypeError, AnswersFileError):
            state = None
        if state is not None and state.answers == _without_totals(answers):
            return state.evolve(last=last or state.last)
    return resume(State(answers=_without_totals(answers), last=last))


def _without_totals(answers: Answers) -> Answers:
    fmt = answers.fmt
    cells = {k: v for k, v in answers.cells.items() if not fmt.cells[k].computed}
    return Answers(
        answers.format, answers.year, answers.agency, cells, answers.texts, answers.contact
    )


def save(path: Path, state: State) -> None:
    answers = complete_answers(state) if state.mode is Mode.DONE else state.answers
    write_atomic(path, to_json(answers))
    write_atomic(session_path(path), json.dumps(state.to_data(), ensure_ascii=False))


def show(replies: list[Reply], out: TextIO) -> None:
    for reply in replies:
        out.write("\n" + reply.text + "\n")
        n = 0
        for row in reply.buttons:
            labels = []
            for button in row:
                n += 1
                labels.append(f"[/{n}] {button.label}")
            out.write("  ".join(labels) + "\n")


def buttons_of(replies: list[Reply]) -> list[str]:
    return [b.data for r in replies for row in r.buttons for b in row]


def run_console(
    answers: str,
    fmt_id: str | None,
    last_year: str | None,
    *,
    read: Callable[[], str] = input,
    out: TextIO = sys.stdout,
    today: date | None = None,
) -> int:
    """Run the interview until /quit or end of input; returns the exit code."""
    path = Path(answers)
    try:
        last = read_answers(Path(last_year)) if last_year else None
        existed = path.exists()
        state = load_state(path, fmt_id, last, today or date.today())
    except AnswersFileError as exc:
        out.write(T.CHECK_UNREADABLE.format(path=answers) + "\n")
        out.write("\n".join(f"  - {describe_problem(p)}" for p in exc.problems) + "\n")
        return 2
    except ValueError as exc:
        out.write(str(exc) + "\n")
        return 2
    out.write(T.CONSOLE_WELCOME.format(path=path) + "\n")
    if existed:
        out.write(T.CONSOLE_RESUMED.format(path=path) + "\n")
    state, replies = start(state)
    show(replies, out)
    last_buttons = buttons_of(replies)
    while True:
        try:
            line = read()
        except (EOFError, KeyboardInterrupt):
            break
        line = line.strip()
        if line in ("/quit", "/exit", "/q"):
            break
        action: Text | Press | Command
        if line.startswith("/") and line[1:].isdecimal():
            index = int(line[1:])
            if not last_buttons:
                out.write(T.CONSOLE_NO_BUTTONS + "\n")
                continue
            if not 1 <= index <= len(last_buttons):
                out.write(T.CONSOLE_BAD_CHOICE.format(count=len(last_buttons)) + "\n")
                continue
            action = Press(last_buttons[index - 1])
        elif line.startswith("/") and line[1:].split(" ", 1)[0] in COMMANDS:
            name, _, arg = line[1:].partition(" ")
            action = Command(name, arg)
        else:
            action = Text(line)
        try:
            state, replies = step(state, action)
        except Exception as exc:  # the terminal user must never lose work to a bug
            out.write(T.CONSOLE_ERROR.format(detail=type(exc).__name__) + "\n")
            continue
        save(path, state)
        show(replies, out)
        if any(r.buttons for r in replies):
            last_buttons = buttons_of(replies)
    save(path, state)
    out.write(T.CONSOLE_BYE + "\n")
    return 0
