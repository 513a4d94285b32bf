"""Reading a web page: paragraphs and tables, as government sites publish reports.

The standard library's tolerant ``html.parser`` drives a small builder: block elements and
``<br>`` end lines, ``&nbsp;`` is a space, ``<td>``/``<th>`` open cells (a cell covered by
``rowspan``/``colspan`` is simply absent from the markup, which is how ``Line`` wants it), tables
nested in cells are kept nested (``lines.emit`` decides whether a table is data or layout), and
scripts, styles and hidden elements (the usual carriers of injected junk) are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from .lines import RawCell, RawTable, emit, text_lines
from .model import Line

_BLOCK = frozenset(
    {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section"}
    | {"article", "blockquote", "pre", "dl", "dt", "dd", "center", "header", "footer", "form"}
    | {"hr", "title", "table", "caption", "nav", "aside", "main", "address", "figure"}
)
_SKIP = frozenset({"script", "style", "head", "noscript", "template", "svg", "object", "iframe"})
_VOID = frozenset({"br", "img", "hr", "input", "meta", "link", "col", "area", "base", "wbr"})
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_SPACE = re.compile(r"[ \t\r\n\f\v]+")
_TAGS = re.compile(r"<[^>]*>")
MAX_DEPTH = 20


@dataclass
class _Frame:
    table: RawTable
    parent: list[str | RawTable]
    cell: RawCell | None = None


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.body: list[str | RawTable] = []
        self.frames: list[_Frame] = []
        self.text: list[str] = []
        self.skipping: list[str] = []
        self.hidden: list[str] = []

    def container(self) -> list[str | RawTable] | None:
        if not self.frames:
            return self.body
        cell = self.frames[-1].cell
        return cell.parts if cell is not None else None

    def flush(self) -> None:
        line = _SPACE.sub(" ", "".join(self.text)).replace("\xa0", " ")
        self.text.clear()
        target = self.container()
        if target is not None and line.strip(" "):
            target.append("\n".join(part.strip(" ") for part in line.split("\n")))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping:
            if tag in _SKIP:
                self.skipping.append(tag)
            return
        if tag in _SKIP:
            self.skipping.append(tag)
            return
        if self.hidden:
            if tag == self.hidden[0] and tag not in _VOID:
                self.hidden.append(tag)
            return
        attr = dict(attrs)
        if ("hidden" in attr or _HIDDEN.search(attr.get("style") or "")) and tag not in _VOID:
            self.hidden.append(tag)
            return
        if tag == "br":
            self.text.append("\n")
        elif tag == "table":
            self.flush()
            parent = self.container()
            if parent is None or len(self.frames) >= MAX_DEPTH:
                parent = []  # a table between cells, or nested absurdly deep: dropped
            self.frames.append(_Frame(RawTable(), parent))
        elif tag == "tr" and self.frames:
            self._close_cell()
            self.frames[-1].table.rows.append([])
        elif tag in ("td", "th") and self.frames:
            self._close_cell()
            frame = self.frames[-1]
            if not frame.table.rows:
                frame.table.rows.append([])
            frame.cell = RawCell()
            frame.table.rows[-1].append(frame.cell)
        elif tag in _BLOCK:
            self.flush()

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.pop()
            return
        if self.hidden:
            if tag == self.hidden[-1]:
                self.hidden.pop()
            return
        if tag in ("td", "th", "tr") and self.frames:
            self._close_cell()
        elif tag == "table" and self.frames:
            self._close_cell()
            frame = self.frames.pop()
            frame.parent.append(frame.table)
        elif tag in _BLOCK or tag == "br":
            self.flush()

    def handle_data(self, data: str) -> None:
        if not self.skipping and not self.hidden:
            self.text.append(data)

    def _close_cell(self) -> None:
        self.flush()
        self.frames[-1].cell = None

    def finish(self) -> list[str | RawTable]:
        self.close()
        self.flush()
        while self.frames:
            self._close_cell()
            frame = self.frames.pop()
            frame.parent.append(frame.table)
        return self.body


def read_html(text: str) -> list[Line]:
    """The page's lines. Never raises: markup the parser chokes on is read as plain text."""
    builder = _Builder()
    try:
        builder.feed(text)
        parts = builder.finish()
    except (AssertionError, ValueError, IndexError, RecursionError):
        plain = _TAGS.sub("\n", text)
        return text_lines(plain.split("\n"))
    return emit(parts)
