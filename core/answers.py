"""The answers file: a report's data as JSON with the spec's stable cell ids.

```json
{"format": "gov-2021", "agency": "某某县民政局", "year": 2026,
 "cells": {"requests.new.natural": 193}, "texts": {"other": "无。"},
 "contact": {"address": "…", "phone": "…"}}
```

``contact`` (optional) carries the details the opening paragraph needs; its keys are
``CONTACT_KEYS``. Texts may use the finer keys ``other.fee`` and ``other.matters`` beside the
spec's ``overview.*``; the rendered section joins them in that order. Any other key is an error.
Computed cells may be present; they are then checked, not trusted.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from .formats import FORMATS, Format, get_format
from .rules import Number, definitions

CONTACT_KEYS = ("office", "address", "postcode", "phone", "email", "website")
# The longest value each contact detail may have (characters); storage keeps at least this much.
CONTACT_LIMITS: Mapping[str, int] = {
    "office": 200,
    "address": 200,
    "postcode": 16,
    "phone": 100,
    "email": 100,
    "website": 200,
}
TOP_KEYS = ("format", "agency", "year", "cells", "texts", "contact")
MAX_TEXT = 50_000


@dataclass(frozen=True)
class Problem:
    """Why an answers file cannot be read; worded by ``core.wording.files``."""

    code: str
    where: str = ""
    detail: str = ""


class AnswersFileError(ValueError):
    """The file is not a readable answers file."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{p.code}:{p.where}" for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Answers:
    """A report's answers. Treat the mappings as read-only; derive changed copies with ``with_*``."""

    format: str
    year: int
    agency: str = ""
    cells: Mapping[str, Number] = field(default_factory=dict)
    texts: Mapping[str, str] = field(default_factory=dict)
    contact: Mapping[str, str] = field(default_factory=dict)

    @property
    def fmt(self) -> Format:
        return get_format(self.format)

    def with_cells(self, changes: Mapping[str, Number | None]) -> Answers:
        """A copy with ``changes`` applied; ``None`` clears a cell."""
        cells = dict(self.cells)
        for k, v in changes.items():
            if v is None:
                cells.pop(k, None)
            else:
                cells[k] = v
        return Answers(self.format, self.year, self.agency, cells, self.texts, self.contact)

    def with_text(self, key: str, text: str | None) -> Answers:
        texts = dict(self.texts)
        if text is None:
            texts.pop(key, None)
        else:
            texts[key] = text
        return Answers(self.format, self.year, self.agency, self.cells, texts, self.contact)

    def with_meta(
        self, *, agency: str | None = None, contact: Mapping[str, str] | None = None
    ) -> Answers:
        return Answers(
            self.format,
            self.year,
            self.agency if agency is None else agency,
            self.cells,
            self.texts,
            self.contact if contact is None else dict(contact),
        )


def computed_values(fmt: Format, cells: Mapping[str, Number]) -> dict[str, Number]:
    """Every computed cell whose terms are all known, as the sum of its terms."""
    defs = definitions(fmt)
    out: dict[str, Number] = {}

    def value(cid: str) -> Number | None:
        if cid in cells and not fmt.cells[cid].computed:
            return cells[cid]
        if cid in out:
            return out[cid]
        terms = defs.get(cid)
        if terms is None:
            return None
        total: Number = 0
        for t in terms:
            v = value(t)
            if v is None:
                return None
            total += v
        out[cid] = total
        return total

    for cid, cell in fmt.cells.items():
        if cell.computed:
            value(cid)
    return out


def to_json(answers: Answers, *, with_totals: bool = True) -> str:
    """The answers file's text: cells in printed order, computed totals filled in when known."""
    fmt = answers.fmt
    cells = {k: v for k, v in answers.cells.items() if not fmt.cells[k].computed}
    if with_totals:
        cells.update(computed_values(fmt, cells))
    ordered = {cid: _plain(cells[cid]) for cid in fmt.cells if cid in cells}
    texts = {k: answers.texts[k] for k in fmt.all_text_keys if k in answers.texts}
    data: dict[str, Any] = {
        "format": answers.format,
        "agency": answers.agency,
        "year": answers.year,
        "cells": ordered,
        "texts": texts,
    }
    contact = {k: answers.contact[k] for k in CONTACT_KEYS if k in answers.contact}
    if contact:
        data["contact"] = contact
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _plain(value: Number) -> int | float:
    # Decimals become floats only for output; repr of a float is the shortest round-trip form,
    # so "103.3879" is written as 103.3879.
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return int(value)
        return float(value)
    return value


def from_json(text: str | bytes) -> Answers:
    """Read an answers file; raises ``AnswersFileError`` listing every problem found."""
    try:
        data = json.loads(text, parse_float=Decimal, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as exc:
        detail = str(exc)[:200]
        raise AnswersFileError([Problem("not_json", detail=detail)]) from None
    return from_data(data)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


def from_data(data: Any) -> Answers:
    """Validate a decoded answers file."""
    if not isinstance(data, dict):
        raise AnswersFileError([Problem("not_object")])
    problems: list[Problem] = [Problem("unknown_key", k) for k in data if k not in TOP_KEYS]
    fmt_id = data.get("format")
    if fmt_id is None:
        problems.append(Problem("missing_key", "format"))
        raise AnswersFileError(problems)
    if not isinstance(fmt_id, str) or fmt_id not in FORMATS:
        problems.append(Problem("unknown_format", "format", str(fmt_id)[:40]))
        raise AnswersFileError(problems)
    fmt = FORMATS[fmt_id]
    year = data.get("year")
    if year is None:
        problems.append(Problem("missing_key", "year"))
    elif not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
        problems.append(Problem("bad_year", "year", str(year)[:20]))
    elif not fmt.applies_to(year):
        problems.append(Problem("format_year_mismatch", "year", f"{fmt_id}/{year}"))
    agency = data.get("agency", "")
    if not isinstance(agency, str) or len(agency) > 200:
        problems.append(Problem("bad_agency", "agency"))
    cells = _read_cells(fmt, data.get("cells", {}), problems)
    texts = _read_strings(data.get("texts", {}), "texts", set(fmt.all_text_keys), problems)
    contact = _read_strings(data.get("contact", {}), "contact", set(CONTACT_KEYS), problems)
    problems.extend(
        Problem("too_long", f"contact.{key}", str(limit)) for key, limit, _ in too_long(contact)
    )
    if problems:
        raise AnswersFileError(problems)
    assert isinstance(year, int)
    return Answers(fmt_id, year, str(agency).strip(), cells, texts, contact)


def _read_cells(fmt: Format, raw: Any, problems: list[Problem]) -> dict[str, Number]:
    cells: dict[str, Number] = {}
    if not isinstance(raw, dict):
        problems.append(Problem("not_object", "cells"))
        return cells
    for key, value in raw.items():
        if key not in fmt.cells:
            problems.append(Problem("unknown_cell", key))
            continue
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            problems.append(Problem("not_a_number", key, str(value)[:40]))
            continue
        if isinstance(value, Decimal):
            try:
                if not value.is_finite() or abs(value) > Decimal(10) ** 15:
                    raise InvalidOperation
                value = int(value) if value == value.to_integral_value() else value.normalize()
            except InvalidOperation:
                problems.append(Problem("not_a_number", key, str(value)[:40]))
                continue
        elif abs(value) > 10**15:
            problems.append(Problem("not_a_number", key, str(value)[:40]))
            continue
        cells[key] = value
    return cells


def _read_strings(
    raw: Any, where: str, allowed: set[str], problems: list[Problem]
) -> dict[str, str]:
    out: dict[str, str] = {}
    if not isinstance(raw, dict):
        problems.append(Problem("not_object", where))
        return out
    for key, value in raw.items():
        if key not in allowed:
            problems.append(Problem("unknown_key", f"{where}.{key}"))
        elif not isinstance(value, str) or len(value) > MAX_TEXT:
            problems.append(Problem("not_a_string", f"{where}.{key}"))
        else:
            out[key] = value
    return out


def too_long(contact: Mapping[str, str]) -> list[tuple[str, int, int]]:
    """Contact details longer than ``CONTACT_LIMITS`` allows: (key, limit, length)."""
    return [
        (key, CONTACT_LIMITS[key], len(value))
        for key, value in contact.items()
        if key in CONTACT_LIMITS and len(value) > CONTACT_LIMITS[key]
    ]


def section_text(answers: Answers, section: str) -> str:
    """A narrative section's text: the whole-section key, then its finer keys in order."""
    parts = [answers.texts.get(section, "")]
    for s in answers.fmt.sections:
        if s.key == section:
            parts.extend(answers.texts.get(t.key, "") for t in s.texts if t.key != section)
    return "\n".join(p.strip() for p in parts if p and p.strip())
