"""The data model of a report format: sections, tables, header trees and cells.

A table is described by two trees, one for its columns and one for its rows, exactly as the
printed table nests its labels. Everything else - the cell ids, the printed grid with its merged
cells, the sum rules and the interview's questions - is derived from those trees.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property


class Kind(StrEnum):
    """What a cell holds."""

    COUNT = "count"  # non-negative integer
    SIGNED = "signed"  # integer that may be negative (gov-2019 本年增/减)
    AMOUNT = "amount"  # non-negative decimal amount in the cell's unit


@dataclass(frozen=True)
class Node:
    """A label in a header tree (columns) or a label tree (rows).

    Attributes:
        label: The label exactly as printed.
        key: The id part of a leaf ("natural", "granted"); empty for a group label.
        children: Nested labels; a node with children is a group with no values of its own.
        total: A computed leaf: the sum of the other leaves under the same parent.
        short: A short name used in messages ("本年新收"); defaults to the label.
        span: Printed value columns a column leaf occupies (table 2's merged value headers).
        kind: Value kind of a column leaf.
        unit: Unit of a column leaf's values ("万元", "元").
        hint: Extra instruction shown when the row is asked (rule 11).
    """

    label: str
    key: str = ""
    children: tuple[Node, ...] = ()
    total: bool = False
    short: str = ""
    span: int = 1
    kind: Kind = Kind.COUNT
    unit: str = ""
    hint: str = ""

    @property
    def name(self) -> str:
        """Short name for messages."""
        return self.short or self.label

    def depth(self) -> int:
        """Levels of labels from this node down to its deepest leaf."""
        return 1 + max((c.depth() for c in self.children), default=0)

    def leaves(self) -> tuple[Node, ...]:
        """Leaves under this node, in printed order (the node itself when it is a leaf)."""
        if not self.children:
            return (self,)
        return tuple(leaf for c in self.children for leaf in c.leaves())


def group(label: str, *children: Node, short: str = "") -> Node:
    """A group label over nested labels."""
    return Node(label=label, children=children, short=short)


@dataclass(frozen=True)
class Block:
    """A rectangular part of a table under one column header.

    Table 2 is four or five blocks, each under a caption row; tables 3 and 4 are one block.

    Attributes:
        corner: Text of the top-left header cell over the row labels ("信息内容" or table 3's note).
        columns: Top-level column header nodes.
        rows: Top-level row label nodes. A single row with an empty label means the block has no
            row labels at all (table 4).
        caption: Caption row spanning the whole table, if any.
        key: Id part of the block's rows when the block has no row labels.
    """

    corner: str
    columns: tuple[Node, ...]
    rows: tuple[Node, ...]
    caption: str = ""

    @property
    def has_row_labels(self) -> bool:
        return any(r.label for r in self.rows)

    def column_leaves(self) -> tuple[Node, ...]:
        return tuple(leaf for c in self.columns for leaf in c.leaves())

    def row_leaves(self) -> tuple[Node, ...]:
        return tuple(leaf for r in self.rows for leaf in r.leaves())

    def header_depth(self) -> int:
        return max(c.depth() for c in self.columns)

    def label_depth(self) -> int:
        if not self.has_row_labels:
            return 0
        return max(r.depth() for r in self.rows)

    def value_width(self) -> int:
        return sum(leaf.span for leaf in self.column_leaves())


@dataclass(frozen=True)
class Balance:
    """A balance printed in a table: the sum of ``left`` rows equals the sum of ``right`` rows.

    Applied to every column of the table (table 3's rule 1).
    """

    left: tuple[str, ...]
    right: tuple[str, ...]


@dataclass(frozen=True)
class Stock:
    """A stock carried from year to year: ``stock`` = last year's ``stock`` + ``inflow`` - ``outflow``.

    Applied to every row of the block holding these columns (rule 7, a warning).
    """

    stock: str
    inflow: str
    outflow: str


@dataclass(frozen=True)
class Table:
    """One statistical table of the report.

    Attributes:
        row_total_rule: Spec rule number of this table's "total = sum of the columns" rules.
        column_total_rule: Spec rule number of its "total row = sum of the rows" rules.
        balance_rule: Spec rule number of its printed balance.
        carry_rule: Spec rule number of the cross-year check that carried-in equals last year's
            carried-out (the balance's second left row against its last right row).
    """

    id: str  # first part of its cell ids: proactive, requests, appeals
    number: int  # 2, 3, 4 as the spec counts them
    title: str  # 二、主动公开政府信息情况
    short: str  # 表二
    blocks: tuple[Block, ...]
    balance: Balance | None = None
    stocks: tuple[Stock, ...] = ()
    row_total_rule: int = 0
    column_total_rule: int = 0
    balance_rule: int = 0
    carry_rule: int = 0

    def width(self) -> int:
        """Printed columns: row labels plus value columns of the widest block."""
        return max(b.label_depth() for b in self.blocks) + max(b.value_width() for b in self.blocks)


@dataclass(frozen=True)
class Cell:
    """One value cell of a table, with its public id and everything needed to talk about it."""

    id: str
    table: str
    block: int
    row: str  # row key ("" for table 4)
    col: str  # column key (may contain a dot: "review.upheld")
    row_path: tuple[str, ...]  # printed labels from the top-level row down
    col_path: tuple[str, ...]  # printed labels from the top-level column down
    row_name: str
    col_name: str
    kind: Kind
    unit: str
    computed: bool

    @property
    def integer(self) -> bool:
        return self.kind is not Kind.AMOUNT


@dataclass(frozen=True)
class TextField:
    """A narrative answer: its key in the answers file and how the interview asks for it."""

    key: str
    label: str
    prompt: str
    optional: bool = False


@dataclass(frozen=True)
class Section:
    """One of the six sections of the report."""

    key: str
    title: str
    table: str = ""  # id of the table this section holds
    texts: tuple[TextField, ...] = ()


@dataclass(frozen=True, eq=False)  # identity: formats are singletons, hashed on every check
class Format:
    """A complete report format (gov-2021 or gov-2019)."""

    id: str
    name: str
    document: str  # the format document: 国办公开办函〔2021〕30号
    first_year: int
    last_year: int | None
    sections: tuple[Section, ...]
    tables: tuple[Table, ...]
    # Cells that narrative figures (rule 8) are compared with, by topic of core.narrative.
    figures: tuple[tuple[str, tuple[str, ...]], ...] = field(default=())

    @cached_property
    def cells(self) -> dict[str, Cell]:
        """Every value cell by id, in printed order (table by table, row by row)."""
        out: dict[str, Cell] = {}
        for table in self.tables:
            for b_index, block in enumerate(table.blocks):
                for row, row_path in _leaf_paths(block.rows):
                    for col, col_path in _leaf_paths(block.columns):
                        cid = ".".join(p for p in (table.id, row.key, col.key) if p)
                        out[cid] = Cell(
                            id=cid,
                            table=table.id,
                            block=b_index,
                            row=row.key,
                            col=col.key,
                            row_path=tuple(p for p in row_path if p),
                            col_path=col_path,
                            row_name=row.name,
                            col_name=col.name,
                            kind=col.kind,
                            unit=col.unit,
                            computed=row.total or col.total,
                        )
        return out

    @cached_property
    def input_cells(self) -> tuple[str, ...]:
        """Ids of cells a person enters (everything not computed), in printed order."""
        return tuple(c.id for c in self.cells.values() if not c.computed)

    def table(self, table_id: str) -> Table:
        for t in self.tables:
            if t.id == table_id:
                return t
        raise KeyError(table_id)

    @cached_property
    def all_text_keys(self) -> tuple[str, ...]:
        """Every key the answers file's ``texts`` may hold for this format."""
        keys: list[str] = []
        for s in self.sections:
            if s.texts and s.key not in keys:
                keys.append(s.key)
            keys.extend(t.key for t in s.texts if t.key not in keys)
        return tuple(keys)

    def applies_to(self, year: int) -> bool:
        return year >= self.first_year and (self.last_year is None or year <= self.last_year)


def _leaf_paths(nodes: tuple[Node, ...]) -> list[tuple[Node, tuple[str, ...]]]:
    out: list[tuple[Node, tuple[str, ...]]] = []

    def walk(node: Node, path: tuple[str, ...]) -> None:
        here = (*path, node.label)
        if not node.children:
            out.append((node, here))
        for child in node.children:
            walk(child, here)

    for n in nodes:
        walk(n, ())
    return out
