"""The questions of an interview, in the order they are asked, derived from the format."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from ..formats.model import Block, Format, Node

TABLE_PREFIX = {"proactive": "t2", "requests": "t3", "appeals": "t4"}


class QKind(StrEnum):
    AGENCY = "agency"
    CONTACT = "contact"
    TEXT = "text"
    ROW = "row"
    FEE = "fee"
    REVIEW = "review"


@dataclass(frozen=True)
class Question:
    """One question. Ids are short and ASCII: they travel in 64-byte button data.

    Attributes:
        cells: Input cells the question asks, in column order (row questions).
        path: Printed labels from the table's top row label down to this row.
        group: Label of the group this row belongs to ("（三）不予公开"), if any.
        group_rows: Ids of the row questions in that group.
        block_rows: Ids of the row questions in the same table-2 block.
        hint: Extra instruction (rule 11).
    """

    id: str
    kind: QKind
    section: str
    table: str = ""
    cells: tuple[str, ...] = ()
    path: tuple[str, ...] = ()
    text_key: str = ""
    label: str = ""
    optional: bool = False
    group: str = ""
    group_rows: tuple[str, ...] = ()
    block: str = ""
    block_rows: tuple[str, ...] = ()
    hint: str = ""


@dataclass(frozen=True)
class Plan:
    fmt: Format
    questions: tuple[Question, ...]

    def get(self, qid: str) -> Question | None:
        return self.index.get(qid)

    @property
    def index(self) -> dict[str, Question]:
        return _index(self)

    def position(self, qid: str) -> int:
        return self.order[qid]

    @property
    def order(self) -> dict[str, int]:
        return _order(self)

    def table_questions(self, table: str) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.table == table)


@cache
def _index(plan: Plan) -> dict[str, Question]:
    return {q.id: q for q in plan.questions}


@cache
def _order(plan: Plan) -> dict[str, int]:
    return {q.id: i for i, q in enumerate(plan.questions)}


def _row_questions(fmt: Format, table_id: str) -> list[Question]:
    table = fmt.table(table_id)
    prefix = TABLE_PREFIX[table_id]
    out: list[Question] = []
    for block in table.blocks:
        if not block.has_row_labels:
            out.extend(_block_questions(fmt, table_id, prefix, block))
            continue
        block_rows = tuple(f"{prefix}.{r.key}" for r in block.row_leaves() if not r.total)
        for top in block.rows:
            out.extend(_walk_rows(fmt, table_id, prefix, block, top, (), "", (), block_rows))
    return out


def _walk_rows(
    fmt: Format,
    table_id: str,
    prefix: str,
    block: Block,
    node: Node,
    path: tuple[str, ...],
    group: str,
    group_rows: tuple[str, ...],
    block_rows: tuple[str, ...],
) -> list[Question]:
    here = (*path, node.label)
    if node.children:
        # A group directly holding leaves ("（三）不予公开") is where "本组全部为0" applies.
        leaves = [c for c in node.children if not c.children and not c.total]
        is_group = len(leaves) == len(node.children) and len(leaves) > 1
        rows = tuple(f"{prefix}.{c.key}" for c in leaves) if is_group else group_rows
        label = node.label if is_group else group
        out: list[Question] = []
        for child in node.children:
            out.extend(
                _walk_rows(fmt, table_id, prefix, block, child, here, label, rows, block_rows)
            )
        return out
    if node.total:
        return []
    cells = tuple(
        cid
        for cid in (
            ".".join(p for p in (table_id, node.key, c.key) if p) for c in block.column_leaves()
        )
        if not fmt.cells[cid].computed
    )
    return [
        Question(
            id=f"{prefix}.{node.key}",
            kind=QKind.ROW,
            section=table_id,
            table=table_id,
            cells=cells,
            path=here,
            label=node.label,
            group=group,
            group_rows=group_rows,
            block=block.caption,
            block_rows=block_rows if len(block_rows) > 1 and table_id == "proactive" else (),
            hint=node.hint,
        )
    ]


def _block_questions(fmt: Format, table_id: str, prefix: str, block: Block) -> list[Question]:
    """Table 4 has no row labels: each top-level column group's blocks become one question."""
    out: list[Question] = []
    for leaf_group in _leaf_groups(block.columns, ()):
        node, path = leaf_group
        cells = tuple(f"{table_id}.{c.key}" for c in node.children if not c.total)
        key = cells[0].split(".")[1]
        out.append(
            Question(
                id=f"{prefix}.{key}",
                kind=QKind.ROW,
                section=table_id,
                table=table_id,
                cells=cells,
                path=(*path, node.label),
                label="·".join((*path, node.label)),
            )
        )
    return out


def _leaf_groups(
    nodes: tuple[Node, ...], path: tuple[str, ...]
) -> list[tuple[Node, tuple[str, ...]]]:
    out: list[tuple[Node, tuple[str, ...]]] = []
    for n in nodes:
        if n.children and all(not c.children for c in n.children):
            out.append((n, path))
        elif n.children:
            out.extend(_leaf_groups(n.children, (*path, n.label)))
    return out


@cache
def build_plan(fmt: Format) -> Plan:
    """Every question for ``fmt``, in interview order."""
    qs: list[Question] = [
        Question("agency", QKind.AGENCY, "meta", label="单位名称"),
        Question("contact", QKind.CONTACT, "meta", label="联系方式", optional=True),
    ]
    for section in fmt.sections:
        if section.table:
            qs.extend(_row_questions(fmt, section.table))
            continue
        for field in section.texts:
            if field.key == "other.fee":
                qs.append(
                    Question("fee", QKind.FEE, section.key, text_key=field.key, label=field.label)
                )
                continue
            qs.append(
                Question(
                    f"x.{field.key}",
                    QKind.TEXT,
                    section.key,
                    text_key=field.key,
                    label=field.label,
                    optional=field.optional,
                    path=(section.title,),
                )
            )
    qs.append(Question("review", QKind.REVIEW, "review", label="检查和确认"))
    return Plan(fmt, tuple(qs))
