"""Typed narrative as paragraphs and headings, the way an officer's Word document structures it.

Every non-empty line the user typed is one paragraph. Official documents number their headings
一、 → （一） → 1. → （1）; inside a section (whose own title is the 一、 level) a line that
is *only* a heading becomes a heading paragraph:

- "一、…" and "（一）…" lines are second-level headings (楷体): the section is the first level;
- "1.…", "1．…" and "1、…" lines are third-level headings (仿宋, bold, as GB/T 9704 practice);
- "（1）…" lines stay body text: a fourth level is never set apart.

ASCII punctuation typed beside Chinese text ("领导,我局" or "(一)") is set full-width, as an
officer's Word document has it; punctuation inside numbers, addresses and Latin text is kept.

A line counts as a heading only when it is short (at most ``HEADING_MAX`` characters) and holds no
sentence inside it: "1.深化政务公开组织领导" is a heading, "一是公开的内容更加充实。……" is not
(一是 is an enumeration in running text, not a numbering marker). A paragraph that opens with a
marker and a short first sentence ("（一）加强组织领导。年初，……") keeps its text but its first
sentence is styled as a run-in heading (``lead``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

HEADING_MAX = 40
BODY, H1, H2, H3 = 0, 1, 2, 3

# Characters XML 1.0 cannot hold: C0 controls other than tab and newline (carriage returns are
# folded into newlines first), lone surrogates (JSON can carry them as "\ud800"), U+FFFE/U+FFFF.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_CN = "一二三四五六七八九十"
# "一、二季度……" opens a sentence, not a heading.
_H2_MARKER = re.compile(rf"(?:[（(][{_CN}]{{1,3}}[）)]|[{_CN}]{{1,3}}、(?![{_CN}]))")
_H3_MARKER = re.compile(r"\d{1,2}(?:[.．](?!\d)|、)")
_INNER_STOP = re.compile("[。；;！？!?]")
_LEAD_END = re.compile("[。：:]")


_FULL_WIDTH = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
_PUNCT = re.compile("[,;:?!]")
_PARENS = re.compile(r"\(([^()\n]{0,200})\)")


def _wide(ch: str) -> bool:
    """Chinese text or its punctuation, including the curly quotes Chinese text uses."""
    return ch >= "\u2e80" or "\u2018" <= ch <= "\u201d"


def typeset(text: str) -> str:
    """Full-width punctuation where ASCII punctuation touches Chinese text."""

    def punct(m: re.Match[str]) -> str:
        i = m.start()
        before = text[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if _wide(before) or _wide(after):
            return _FULL_WIDTH[m.group()]
        return m.group()

    def parens(m: re.Match[str]) -> str:
        before = text[m.start() - 1] if m.start() else ""
        after = text[m.end()] if m.end() < len(text) else ""
        if any(_wide(ch) for ch in (before, after, *m.group(1))):
            return f"（{m.group(1)}）"
        return m.group()

    text = _PARENS.sub(parens, text)
    return _PUNCT.sub(punct, text)


def clean_text(text: str) -> str:
    """``text`` without the characters an XML document cannot hold; line ends become ``\\n``."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _XML_ILLEGAL.sub("", text)


@dataclass(frozen=True)
class Para:
    """One paragraph of the rendered report.

    Attributes:
        text: The paragraph's text (never empty).
        level: ``BODY`` for body text, ``H1``/``H2``/``H3`` for a heading paragraph.
        lead: Characters at the start of a body paragraph that form a run-in heading.
        lead_level: The heading level of that run-in heading (``H2`` or ``H3``).
    """

    text: str
    level: int = BODY
    lead: int = 0
    lead_level: int = BODY


def heading_level(line: str) -> int:
    """The heading level a line's numbering marker calls for, or ``BODY``."""
    if _H2_MARKER.match(line):
        return H2
    if _H3_MARKER.match(line):
        return H3
    return BODY


def parse_paragraph(line: str) -> Para:
    """A single line as a heading, a body paragraph with a run-in heading, or plain body text."""
    level = heading_level(line)
    if level == BODY:
        return Para(line)
    inner = _INNER_STOP.search(line)
    alone = inner is None or inner.end() == len(line)
    if len(line) <= HEADING_MAX and alone and not line.endswith(("：", ":", "，", ",")):
        return Para(line, level)
    end = _LEAD_END.search(line)
    if end is not None and end.end() <= HEADING_MAX and end.end() < len(line):
        return Para(line, BODY, lead=end.end(), lead_level=level)
    return Para(line)


def _plain(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def parse_narrative(text: str, section_title: str = "") -> list[Para]:
    """The paragraphs of a narrative answer.

    Args:
        text: What the user typed; any characters at all.
        section_title: The section's own title: a first line repeating it is dropped, since the
            report prints the title itself.

    Returns:
        One ``Para`` per non-empty line, leading and trailing spaces (including the full-width
        spaces people indent with) removed.
    """
    lines = [line.strip(" \t\u3000\u00a0") for line in typeset(clean_text(text)).split("\n")]
    lines = [line for line in lines if line]
    if lines and section_title and _plain(lines[0]) == _plain(section_title):
        lines = lines[1:]
    return [parse_paragraph(line) for line in lines]
