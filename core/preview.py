"""The report as plain text for reading on a phone before confirming, split into chat messages.

Every section is there: the narrative as the .docx prints it (headings on lines of their own) and
each table as its non-zero lines with their totals ("（一）予以公开：自然人 50、商业企业 4，总计
55"). ``split_messages`` cuts the text into messages of at most 4096 UTF-16 code units - the
unit Telegram counts - at paragraph boundaries when it can, and never inside a character.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from .answers import Answers
from .formats.model import Cell, Format, Table
from .report import cell_text, cell_values, line_label, opening, section_paras, title
from .rules import Number
from .wording import report as W

LIMIT = 4096
# Characters that must stay with the character before them: combining marks, joiners, variation
# selectors, emoji modifiers and tags.
_JOINING = re.compile(
    "[\u0300-\u036f\u200c\u200d\u20d0-\u20ff\ufe00-\ufe0f\U0001f3fb-\U0001f3ff"
    "\U000e0020-\U000e007f\U000e0100-\U000e01ef]"
)
_SENTENCE_END = "。！？；!?;"


def preview_text(answers: Answers, draft: bool = False) -> str:
    """The whole report as plain text."""
    fmt = answers.fmt
    values = cell_values(answers)
    blocks = [title(answers, draft), opening(answers)]
    for section in fmt.sections:
        if section.table:
            lines = table_lines(fmt, fmt.table(section.table), values)
        else:
            lines = [p.text for p in section_paras(answers, section, draft)]
        blocks.append("\n".join([section.title, *lines]))
    return "\n\n".join(blocks)


def preview(answers: Answers, draft: bool = False, limit: int = LIMIT) -> list[str]:
    """The report as chat messages of at most ``limit`` UTF-16 code units each.

    A piece of nothing but line breaks (between two long paragraphs) is left out: Telegram
    refuses a message that is empty once trimmed.
    """
    return [p for p in split_messages(preview_text(answers, draft), limit) if p.strip()]


def _is_total(cell: Cell) -> bool:
    return cell.computed and cell.col.rsplit(".", 1)[-1] == "total"


def _unit_dropped(cell: Cell, values: Mapping[str, Number]) -> str:
    """The unit the printed label carries ("（单位：万元）") but the short name leaves out."""
    label = cell.col_path[-1]
    if cell.id in values and cell.unit and cell.unit in label and cell.unit not in cell.col_name:
        return cell.unit
    return ""


def table_lines(fmt: Format, table: Table, values: Mapping[str, Number]) -> list[str]:
    """The table's lines that hold anything but zeros, with their totals; blanks read 未填."""
    lines: dict[tuple[int, str], list[Cell]] = {}
    for cell in fmt.cells.values():
        if cell.table == table.id:
            lines.setdefault((cell.block, line_label(cell)), []).append(cell)
    out: list[str] = []
    block_shown = -1
    for (block, label), cells in lines.items():
        texts = {c.id: cell_text(c, values) or W.PREVIEW_BLANK for c in cells}
        if all(values.get(c.id) == 0 for c in cells):
            continue
        caption = table.blocks[block].caption
        if caption and block != block_shown:
            out.append(caption)
            block_shown = block
        if all(c.id not in values for c in cells):
            out.append(W.preview_blank_row(label))
            continue
        totals = [c for c in cells if _is_total(c)]
        parts = [c for c in cells if not _is_total(c)]
        if totals:
            # With a total, zeros are noise: the total already accounts for them.
            shown = [(c.col_name, texts[c.id]) for c in parts if values.get(c.id) != 0]
            out.append(W.preview_row(label, shown, texts[totals[0].id]))
        else:
            shown = [(c.col_name, texts[c.id] + _unit_dropped(c, values)) for c in parts]
            out.append(W.preview_row(label, shown, None))
    return out or [W.PREVIEW_ALL_ZERO]


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units: characters outside the BMP count twice."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def split_messages(text: str, limit: int = LIMIT) -> list[str]:
    """``text`` in pieces of at most ``limit`` UTF-16 units whose concatenation is ``text``.

    Pieces end at a blank line (between sections) when they can, else at a line end, else after
    a sentence, else wherever the limit falls - but never inside a character or between a
    character and the marks joined to it.
    """
    if limit < 2:
        raise ValueError("limit must be at least 2")
    return [p for p in _split(text, limit, ("\n\n", "\n")) if p]


def _split(text: str, limit: int, separators: tuple[str, ...]) -> list[str]:
    if utf16_len(text) <= limit:
        return [text]
    if not separators:
        return _hard_split(text, limit)
    sep, rest = separators[0], separators[1:]
    pieces = [p + sep for p in text.split(sep)]
    pieces[-1] = pieces[-1][: -len(sep)]
    out: list[str] = []
    current = ""
    for piece in pieces:
        if utf16_len(current) + utf16_len(piece) <= limit:
            current += piece
            continue
        if current:
            out.append(current)
            current = ""
        if utf16_len(piece) <= limit:
            current = piece
        else:
            parts = _split(piece, limit, rest)
            out.extend(parts[:-1])
            current = parts[-1]
    out.append(current)
    return out


def _hard_split(text: str, limit: int) -> list[str]:
    out: list[str] = []
    while utf16_len(text) > limit:
        cut = _fit(text, limit)
        # Prefer to end after a sentence in the last quarter of the piece.
        for i in range(cut, max(cut * 3 // 4, 1), -1):
            if text[i - 1] in _SENTENCE_END:
                cut = i
                break
        while cut > 1 and (_JOINING.match(text, cut) or text[cut - 1] == "\u200d"):
            cut -= 1
        out.append(text[:cut])
        text = text[cut:]
    out.append(text)
    return out


def _fit(text: str, limit: int) -> int:
    """The largest prefix length (in characters) within ``limit`` UTF-16 units."""
    units = 0
    for i, ch in enumerate(text):
        units += 2 if ord(ch) > 0xFFFF else 1
        if units > limit:
            return max(i, 1)
    return len(text)
