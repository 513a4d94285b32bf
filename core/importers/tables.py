"""Recognising tables 2, 3 and 4 in a document's lines, cell by cell.

Every source is reduced to one stream of tokens (cell texts in reading order): a real table's rows
(merged cells once, in their first row), text rows split on ``|``, and one cell per line inside
sections 二 to 四. A row label starts a row; the values that follow it, up to the next label,
are its cells in the format's column order. Blank cells a page pads a row with are dropped at its
end; a row with too few values is blank at its end. A grid row ends its row; a text row may go on
over several lines. Table 4's one row has no label: it is the first values after its header.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..formats import FORMATS, Format
from ..formats.model import Block, Node
from .labels import Catalogue, Label, Match, Role, catalogue, distinctive, key
from .model import CellSource, Finding, Line, Status
from .sections import END, TABLE_SECTIONS, Layout
from .values import is_blank, looks_like_value, read_value

MAX_JOIN = 3  # a label broken over at most three lines
MAX_UNKNOWN = 24  # an unknown label longer than this is prose, not a row or a column
MAX_TOKENS = 20_000  # the three tables have about 700 cells; more is not a report


@dataclass(frozen=True)
class Token:
    text: str
    line: int
    region: int
    joins_prev: bool  # may be the end of the previous token's text (a line break inside a cell)
    row_end: bool  # last cell of a real table's row
    boundary: bool = False  # a section heading: no row goes on past it


def tokens(lines: list[Line], layout: Layout) -> list[Token]:
    """The stream of table tokens."""
    out: list[Token] = []
    previous: Line | None = None
    for i, line in enumerate(lines):
        section = layout.section[i] if i < len(layout.section) else ""
        if section == END or len(out) >= MAX_TOKENS:
            break
        if i in layout.headings:
            out.append(Token("", i, -1, False, False, boundary=True))
            previous = None
            continue
        if line.paragraph:
            if section not in TABLE_SECTIONS:
                previous = None
                continue
            # One cell per line: any break may fall inside a cell.
            join = previous is not None and (previous.paragraph or previous.open_end)
            out.append(Token(line.cells[0], i, 0, join, False))
            previous = line
            continue
        for j, text in enumerate(line.cells):
            join = (
                j == 0
                and line.open_start
                and previous is not None
                and (previous.open_end or previous.paragraph)
            )
            last = j == len(line.cells) - 1
            out.append(Token(text, i, line.region, join, line.grid and last))
        previous = line
    return out


def detect(toks: list[Token]) -> str | None:
    """The format whose own labels the tokens show more of; None when they show none."""
    scores = dict.fromkeys(FORMATS, 0)
    own = {fid: distinctive(fid) for fid in FORMATS}
    other_2019 = key("（六）其他处理")
    for i, tok in enumerate(toks):
        texts = [tok.text]
        if i + 1 < len(toks) and toks[i + 1].joins_prev:
            texts.append(tok.text + toks[i + 1].text)
        for text in texts:
            k = key(text)
            for fid in FORMATS:
                if k in own[fid]:
                    scores[fid] += 1
        # （六）其他处理 followed by values is the single row of gov-2019.
        if key(tok.text) == other_2019:
            following = next((t for t in toks[i + 1 : i + 3] if not is_blank(t.text)), None)
            if following is not None and looks_like_value(following.text):
                scores["gov-2019"] += 1
    best = max(scores.values())
    winners = [fid for fid, s in scores.items() if s == best]
    return winners[0] if best and len(winners) == 1 else None


@dataclass
class _Row:
    label: Label | None  # None for table 4's row or an unknown label
    text: str
    table: str
    block: int
    line: int
    values: list[str] = field(default_factory=list)
    unknown: bool = False
    header: bool = False  # an unknown label met among column headers


@dataclass
class Result:
    """Cells read per cell id, and what was noticed on the way."""

    sources: dict[str, CellSource] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)


class Reader:
    """Walks the tokens once for one format."""

    def __init__(self, fmt: Format, toks: list[Token]) -> None:
        self.fmt = fmt
        self.cat: Catalogue = catalogue(fmt.id)
        self.toks = toks
        self.table: str | None = None
        self.header = False
        self.pending: _Row | None = None
        self.rows: dict[tuple[str, str], list[str]] = {}
        self.result = Result()
        self.label_lines: set[int] = set()  # lines holding a label: blank padding there is no value
        self.appeals_header = False

    def run(self) -> Result:
        i = 0
        previous_region: int | None = None
        while i < len(self.toks):
            tok = self.toks[i]
            if tok.boundary:
                self._close()
                self.table, self.header, self.appeals_header = None, False, False
                i += 1
                continue
            if tok.region != previous_region:
                self._close()
            previous_region = tok.region
            match, used = self._label_at(i)
            if match is not None:
                self._label(match, tok)
            else:
                self._value_or_text(tok)
            end = self.toks[i + used - 1]
            i += used
            if end.row_end and self.pending is not None and not self.pending.header:
                self._close()
        self._close()
        self._assemble()
        return self.result

    # ------------------------------------------------------------------ labels

    def _label_at(self, i: int) -> tuple[Match | None, int]:
        tok = self.toks[i]
        if is_blank(tok.text):
            return None, 1
        single = self.cat.match(tok.text)
        if single is not None and single.exact:
            return single, 1
        text = tok.text
        joined: tuple[Match | None, int] = (None, 1)
        # A label never starts with a value: "1" then "2.重复申请" is a count and a label.
        for n in range(2, MAX_JOIN + 1 if not looks_like_value(text) else 2):
            j = i + n - 1
            if j >= len(self.toks) or not self.toks[j].joins_prev or self.toks[j].boundary:
                break
            text += self.toks[j].text
            m = self.cat.match(text)
            if m is not None and m.exact:
                joined = (m, n)
        if joined[0] is not None:
            return joined
        if single is not None and not looks_like_value(tok.text):
            return single, 1
        return None, 1

    def _pick(self, match: Match) -> Label:
        here = [lb for lb in match.labels if lb.table == self.table]
        return (here or list(match.labels))[0]

    def _label(self, match: Match, tok: Token) -> None:
        label = self._pick(match)
        self.label_lines.add(tok.line)
        if label.role in (Role.CAPTION, Role.CORNER, Role.COLUMN):
            self._close()
            self.table = label.table
            if label.table == "appeals":
                self.appeals_header = True
            self.header = True
            return
        self._close()
        self.table, self.header = label.table, False
        if label.role is Role.GROUP:
            # Values after a group label belong to no row: say so rather than drop them.
            self.pending = _Row(label, tok.text, label.table, label.block, tok.line, unknown=True)
            return
        self.pending = _Row(label, tok.text, label.table, label.block, tok.line)

    # ------------------------------------------------------------------ values

    def _value_or_text(self, tok: Token) -> None:
        row = self.pending
        value = looks_like_value(tok.text)
        if row is not None and (value or (tok.line == row.line and not row.header)):
            row.values.append(tok.text)
            return
        if value:
            if self.table == "appeals" and self.appeals_header and ("appeals", "") not in self.rows:
                if is_blank(tok.text) and tok.line in self.label_lines:
                    return  # padding after the header cells
                self.pending = _Row(None, "", "appeals", 0, tok.line, [tok.text])
                self.header = False
            return
        self._close()
        text = tok.text.strip()
        if self.table is not None and len(text) <= MAX_UNKNOWN:
            self.pending = _Row(
                None, text, self.table, 0, tok.line, unknown=True, header=self.header
            )

    def _close(self) -> None:
        row, self.pending = self.pending, None
        if row is None:
            return
        filled = [v for v in row.values if not is_blank(v)]
        if row.unknown:
            if filled:
                where = row.label.table if row.label else row.table
                self.result.findings.append(Finding("unrecognised_row", where, row.text))
            elif row.header and row.label is None:
                self.result.findings.append(Finding("unrecognised_column", row.table, row.text))
            return
        node = row.label.node if row.label is not None else None
        rkey = node.key if node is not None else ""
        if (row.table, rkey) in self.rows:
            if [v.strip() for v in self.rows[(row.table, rkey)]] != [v.strip() for v in row.values]:
                self.result.findings.append(Finding("duplicate_row", row.table, row.text))
            return
        self.rows[(row.table, rkey)] = row.values

    # ------------------------------------------------------------------ cells

    def _assemble(self) -> None:
        found_tables = {t for t, _ in self.rows}
        for table in self.fmt.tables:
            if table.id not in found_tables:
                continue
            self.result.tables.append(table.id)
            missing: list[str] = []
            for block in table.blocks:
                for row in block.row_leaves():
                    values = self.rows.get((table.id, row.key))
                    if values is None:
                        missing.append(row.label or table.short)
                        for cid in _row_cells(table.id, block, row):
                            self.result.sources[cid] = CellSource(Status.MISSING)
                        continue
                    self._assign(table.id, block, row, values)
            if missing:
                self.result.findings.append(Finding("rows_missing", table.id, "、".join(missing)))

    def _assign(self, table: str, block: Block, row: Node, values: list[str]) -> None:
        leaves = block.column_leaves()
        ids = _row_cells(table, block, row)
        if len(leaves) == 1 and leaves[0].span > 1:
            filled = [v for v in values if not is_blank(v)]
            values = filled[:1]
            if len(filled) > 1:
                self.result.findings.append(Finding("extra_values", table, row.label))
        else:
            while len(values) > len(leaves) and is_blank(values[-1]):
                values = values[:-1]
            if len(values) > len(leaves):
                self.result.findings.append(Finding("extra_values", table, row.label or "表四"))
                values = values[: len(leaves)]
        for n, cid in enumerate(ids):
            text = values[n] if n < len(values) else ""
            self.result.sources[cid] = read_value(self.fmt.cells[cid], text)


def _row_cells(table: str, block: Block, row: Node) -> list[str]:
    return [".".join(p for p in (table, row.key, c.key) if p) for c in block.column_leaves()]


def recognise(fmt: Format, toks: list[Token]) -> Result:
    """Read the tables of ``fmt`` from the tokens."""
    return Reader(fmt, toks).run()
