"""Label matching: printed labels of the formats against what a published table holds.

Published tables spell labels loosely: half-width brackets (第二十条第(一)项), spaces inside words
(本年新 制作数量), traditional characters (規章), missing numbering (予以公开 for （一）予以公开),
header words cut short (本年新). ``key`` folds all of that away; ``Catalogue`` indexes every
caption, corner, column header and row label of one format by its key.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from ..formats import FORMATS, Format
from ..formats.model import Node

# Traditional forms of the characters the labels, headings and units use (simplified on the right).
_TRADITIONAL = (
    "萬万與与業业為为舉举於于會会體体個个關关內内決决況况減减辦办務务動动區区單单發发後后國国"
    "處处復复複复審审對对屬属廢废強强當当總总執执護护報报據据數数無无機机權权條条構构沒没現现"
    "確确稱称穩稳類类係系糾纠納纳組组織织經经結结統统繼继續续維维繳缴罰罚範范獲获補补規规計计"
    "認认議议許许訟讼訪访訴诉詢询請请購购費费轉转過过這这進进採采問问項项題题額额產产門门們们"
    "說说開开勢势聯联網网絡络調调護护職职責责實实際际證证書书歲岁億亿兩两圓圆塊块態态應应"
)
_SIMPLIFY = str.maketrans(_TRADITIONAL[0::2], _TRADITIONAL[1::2])
_ENUM = re.compile(
    r"^\s*(?:[（(]\s*[一二三四五六七八九十\d]{1,3}\s*[）)]|[一二三四五六七八九十]{1,3}\s*[、.．]|\d{1,2}\s*[、.．])"
)
_DROP = frozenset("PZSC")  # punctuation, separators, symbols, controls


def fold(text: str) -> str:
    """NFKC (full-width to half-width) and traditional to simplified characters."""
    return unicodedata.normalize("NFKC", text).translate(_SIMPLIFY)


@cache
def _keep(ch: str) -> bool:
    return unicodedata.category(ch)[0] not in _DROP


def key(text: str) -> str:
    """What a label is matched on: folded, without spaces, punctuation or symbols."""
    return "".join(ch for ch in fold(text) if _keep(ch)).lower()


def bare_key(text: str) -> str:
    """The key without a leading enumeration marker ("（一）", "一、", "1.")."""
    return key(_ENUM.sub("", fold(text), count=1))


class Role(StrEnum):
    CAPTION = "caption"
    CORNER = "corner"
    COLUMN = "column"
    GROUP = "group"  # a row label with rows under it
    ROW = "row"  # a leaf row label: the row's values follow it


@dataclass(frozen=True)
class Label:
    """One printed label of a format, where it stands and what it is."""

    role: Role
    table: str
    block: int
    text: str
    node: Node | None = None


@dataclass(frozen=True)
class Match:
    """The labels a piece of text may be; ``exact`` is False for a prefix or partial match."""

    labels: tuple[Label, ...]
    exact: bool


NOTE_MARK = "勾稽关系"  # table 3's corner note, however it is worded
MIN_PREFIX = 3
MAX_EXTRA = 6  # characters a cell may add after a label ("总计（件）")


class Catalogue:
    """Every label of one format, by key."""

    def __init__(self, fmt: Format) -> None:
        self.fmt = fmt
        self.exact: dict[str, list[Label]] = {}
        self.bare: dict[str, list[Label]] = {}
        for table in fmt.tables:
            for b, block in enumerate(table.blocks):
                if block.caption:
                    self._add(Label(Role.CAPTION, table.id, b, block.caption))
                if block.corner:
                    self._add(Label(Role.CORNER, table.id, b, block.corner))
                for node in _walk(block.columns):
                    self._add(Label(Role.COLUMN, table.id, b, node.label, node))
                for node in _walk(block.rows):
                    if node.label:
                        role = Role.GROUP if node.children else Role.ROW
                        self._add(Label(role, table.id, b, node.label, node))
        for k, labels in list(self.bare.items()):
            if k in self.exact or len(k) < 2:
                del self.bare[k]  # "（七）总计" without its number is the column 总计
            else:
                self.bare[k] = labels
        self._keys = sorted(self.exact, key=len)

    def _add(self, label: Label) -> None:
        k = key(label.text)
        _append(self.exact, k, label)
        b = bare_key(label.text)
        if b != k:
            _append(self.bare, b, label)

    def match(self, text: str) -> Match | None:
        """The labels ``text`` may be, exactly or loosely; None when it is no label."""
        k = key(text)
        if not k:
            return None
        found = self.exact.get(k) or self.bare.get(k) or self.bare.get(bare_key(text))
        if found:
            return Match(_unique(found), True)
        if NOTE_MARK in k:
            return Match(tuple(_corner(self, "requests")), True)
        if len(k) < MIN_PREFIX or k.isdigit():
            return None
        loose = [
            label
            for lk in self._keys
            if (lk.startswith(k) and len(lk) > len(k))
            or (len(lk) >= 4 and k.startswith(lk) and len(k) - len(lk) <= MAX_EXTRA)
            for label in self.exact[lk]
        ]
        return Match(_unique(loose), False) if loose else None


def _append(index: dict[str, list[Label]], k: str, label: Label) -> None:
    index.setdefault(k, [])
    if label not in index[k]:
        index[k].append(label)


def _unique(labels: list[Label]) -> tuple[Label, ...]:
    return tuple(dict.fromkeys(labels))


def _corner(cat: Catalogue, table: str) -> list[Label]:
    return [
        lb
        for lbs in cat.exact.values()
        for lb in lbs
        if lb.table == table and lb.role is Role.CORNER
    ]


def _walk(nodes: tuple[Node, ...]) -> list[Node]:
    out: list[Node] = []
    for n in nodes:
        out.append(n)
        out.extend(_walk(n.children))
    return out


@cache
def catalogue(format_id: str) -> Catalogue:
    """The label catalogue of a format (built once)."""
    return Catalogue(FORMATS[format_id])


@cache
def distinctive(format_id: str) -> frozenset[str]:
    """Keys of labels only this format prints: evidence for detecting the format."""
    own = set(catalogue(format_id).exact)
    others = set().union(*(set(catalogue(f).exact) for f in FORMATS if f != format_id))
    return frozenset(own - others)
