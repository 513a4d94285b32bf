"""The six sections, the agency and the year, found in a document's lines.

A heading is a short paragraph opening with a Chinese ordinal ("五、") whose words name one of the
six sections ("存在的问题及改进情况" names 五 as well as the format's own wording does). Sections
come in order, so a later "一、…基本情况" inside 一、总体情况 is not a heading again, and table row
labels such as "四、结转下年度继续办理" name no section. Reports written before the uniform format
(the 2016 examples) number their parts differently; their parts are matched by name all the same.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .labels import Role, catalogue, fold
from .model import Line

SECTIONS = ("overview", "proactive", "requests", "appeals", "problems", "other")
NARRATIVE = ("overview", "problems", "other")
TABLE_SECTIONS = {"proactive": "proactive", "requests": "requests", "appeals": "appeals"}
END = "end"  # after the signature: page footers, a draft's notes

_HEADING = re.compile(r"^([一二三四五六七八九十]{1,3})\s*[、.,]\s*(\S.{0,44})$")
_NUMERALS = "一二三四五六七八九十"
# Checked in this order: "政府信息公开申请行政复议" is about appeals, not applications.
_KEYWORDS = (
    ("appeals", ("复议", "诉讼")),
    ("other", ("其他需要报告", "其他需要说明", "其他事项", "其他需报告")),
    ("proactive", ("主动公开",)),
    ("requests", ("依申请", "收到和处理", "申请情况", "申请公开")),
    ("problems", ("问题", "改进")),
    ("overview", ("总体情况", "基本情况", "概述", "总体概况", "工作概况")),
)
_DATE = re.compile(
    r"^(\d{4}|[〇零一二三四五六七八九]{4})\s*年\s*([\d一二三四五六七八九十]{1,3})\s*月"
    r"\s*([\d一二三四五六七八九十]{1,3})\s*日$"
)
_FOOTER = re.compile(
    r"^(?:主办|承办|协办|版权所有|copyright|网站标识码|网站地图|站点地图|联系我们|技术支持|"
    r"[^\s]{0,6}icp备|[^\s]{0,6}公网安备|关闭窗口|打印本页|【打印】|分享到|扫一扫)",
    re.I,
)
_TITLE = re.compile(
    r"^(?P<agency>.{0,60}?)(?P<year>20\d\d)\s*年度?\s*(?:的)?"
    r"(?:政府信息公开|政务公开|信息公开)(?:工作)?(?:年度)?(?:报告|成绩单|情况)"
)
_PERIOD = re.compile(
    r"(20\d\d)\s*年\s*(?:1|一)\s*月\s*(?:1|一)\s*日\s*(?:至|到|—|-|～|~)\s*(?:(20\d\d)\s*年\s*)?"
    r"(?:12|十二)\s*月\s*(?:31|三十一)\s*日"
)
_FILLER = re.compile(r"填报单位\s*[:：]\s*([^\s\u3000]+)")
_YEAR = re.compile(r"(20\d\d)\s*年")
_PLACEHOLDER = "（单位名称）"
_CN_DIGIT = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0"}


@dataclass
class Layout:
    """Where each section is.

    Attributes:
        section: For each line, the key of the section it is in ("" before the first heading,
            ``END`` after the signature).
        headings: Indexes of heading lines, with their section keys.
        texts: Narrative sections by answers-file key.
        found: Section keys whose headings were found, in order.
        agency: The agency's name, "" when not stated.
        year: The year reported on, None when not stated.
    """

    section: list[str] = field(default_factory=list)
    headings: dict[int, str] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    found: list[str] = field(default_factory=list)
    agency: str = ""
    year: int | None = None


def heading_key(text: str) -> str | None:
    """The section a heading line names, or None when it is no heading."""
    folded = fold(text).strip()
    m = _HEADING.match(folded)
    if m is None or any(ch in m.group(2) for ch in "。;:|"):
        return None
    for fid in ("gov-2021", "gov-2019"):
        found = catalogue(fid).match(folded)
        if found and found.exact and any(lb.role in (Role.ROW, Role.GROUP) for lb in found.labels):
            return None  # "二、上年结转政府信息公开申请数量" is a row of table 3
    words = m.group(2)
    for section, keywords in _KEYWORDS:
        if any(k in words for k in keywords):
            return section
    return None


def _numeral(text: str) -> int:
    m = _HEADING.match(fold(text).strip())
    if m is None:
        return 0
    digits = m.group(1)
    if digits == "十":
        return 10
    if len(digits) == 1:
        return _NUMERALS.index(digits) + 1
    return 10 + (_NUMERALS.index(digits[-1]) + 1 if digits[0] == "十" else 0)


def _heading_text(line: Line) -> str | None:
    cells = [c for c in line.cells if c.strip()]
    if len(cells) != 1 or "\n" in cells[0]:
        return None
    return cells[0]


def split(lines: list[Line]) -> Layout:
    """Find the headings, the narrative texts, the agency and the year."""
    layout = Layout()
    order, last_numeral = -1, 0
    for i, line in enumerate(lines):
        text = _heading_text(line)
        key = heading_key(text) if text is not None else None
        if key is None:
            continue
        index, numeral = SECTIONS.index(key), _numeral(text or "")
        if index > order and numeral > last_numeral:
            layout.headings[i] = key
            layout.found.append(key)
            order, last_numeral = index, numeral
    current = ""
    for i in range(len(lines)):
        current = layout.headings.get(i, current)
        layout.section.append(current)
    _close(lines, layout)
    _texts(lines, layout)
    _meta(lines, layout)
    return layout


def _close(lines: list[Line], layout: Layout) -> None:
    """Mark what follows the signature (or a page footer) as outside the report."""
    if not layout.found or layout.found[-1] not in ("problems", "other"):
        return
    start = max(layout.headings)
    for i in range(start + 1, len(lines)):
        text = lines[i].text.strip()
        date = _DATE.match(fold(text).replace(" ", ""))
        if date or _FOOTER.match(fold(text)):
            end = i
            if date and i - 1 > start and _signature(lines[i - 1]):
                end = i - 1
                layout.agency = layout.agency or lines[i - 1].text.strip()
            if date and not layout.year:
                layout.year = _year_of_date(date)
            for j in range(end, len(lines)):
                layout.section[j] = END
            return


def _signature(line: Line) -> bool:
    text = line.text.strip()
    return line.paragraph and 2 <= len(text) <= 40 and not re.search("[。，,；;：:！？]", text)


def _year_of_date(date: re.Match[str]) -> int | None:
    year = "".join(_CN_DIGIT.get(c, c) for c in date.group(1))
    month = date.group(2)
    if not year.isdigit():
        return None
    m = (
        int(month)
        if month.isdigit()
        else _NUMERALS.index(month[-1]) + 1 + (9 if len(month) > 1 else 0)
    )
    # A report signed in the first half of a year reports on the year before.
    return int(year) - 1 if m <= 6 else int(year)


def _texts(lines: list[Line], layout: Layout) -> None:
    parts: dict[str, list[str]] = {}
    for i, line in enumerate(lines):
        key = layout.section[i]
        if key in NARRATIVE and i not in layout.headings and line.paragraph:
            parts.setdefault(key, []).append(line.cells[0])
    layout.texts = {k: "\n".join(v) for k, v in parts.items() if "".join(v).strip()}


def _meta(lines: list[Line], layout: Layout) -> None:
    """Agency and year: the title first, then the statistics period, the signature, the text."""
    signed_by, signed_year = layout.agency, layout.year
    agency, year = "", None
    first = min(layout.headings, default=len(lines))
    head = [line.text for line in lines[: min(first, 12)]]
    for text in ("".join(head[:4]), *head):
        m = _TITLE.search(fold(text).replace(" ", ""))
        if m:
            agency = m.group("agency").strip(" ：:")
            year = int(m.group("year"))
            break
    for line in lines[:80]:
        text = fold(line.text)
        if not agency and (filler := _FILLER.search(text)):
            agency = filler.group(1)
        if year is None and (period := _PERIOD.search(text)):
            year = int(period.group(2) or period.group(1))
    if year is None:
        year = signed_year
    if year is None:
        years = Counter(
            int(y)
            for i, line in enumerate(lines)
            if layout.section[i] in ("", "overview") and line.paragraph
            for y in _YEAR.findall(fold(line.text))
        )
        year = years.most_common(1)[0][0] if years else None
    agency = agency or signed_by
    if agency == fold(_PLACEHOLDER) or len(agency) > 50:
        agency = ""
    layout.agency, layout.year = agency, year
