"""Figures a report's narrative states, next to the phrases that name them (rule 8).

Rule 8 asks that numbers quoted in the narrative ("共收到政府信息公开申请224件") match the tables.
``find_figures`` finds such statements so the caller can compare them with the cells. It is tuned
for precision: a false alarm annoys a user more than a missed figure, so anything ambiguous (joint
counts, approximations, changes on last year, sub-counts after 其中, other kinds of applications)
yields nothing.

Matching runs on a length-preserving NFKC form of the text (full-width digits and punctuation
become ASCII, one character for one), so every offset found is an offset into the original text.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

import cn2an


class Topic(StrEnum):
    """What a narrative figure counts; each maps to table cells."""

    RECEIVED = "received"  # table 3 row 一, 总计
    CARRIED_IN = "carried_in"  # table 3 row 二, 总计
    ANSWERED = "answered"  # table 3 （七）总计
    CARRIED_OUT = "carried_out"  # table 3 row 四, 总计
    REVIEW = "review"  # table 4 行政复议 总计
    SUIT = "suit"  # table 4 行政诉讼, both 总计 together
    NORMATIVE_ISSUED = "normative_issued"  # table 2 行政规范性文件 本年制发件数 / 本年新制作数量
    NORMATIVE_IN_FORCE = "normative_in_force"  # table 2 现行有效件数 / 对外公开总数量


@dataclass(frozen=True)
class Figure:
    """One figure the narrative states.

    Attributes:
        topic: What it counts.
        value: The count; 0 for a negated statement ("未发生行政复议").
        sentence: The whole sentence it was found in, stripped.
        start: Offset of the number in the original text; for a 0 stated as a negation, of the
            negation ("未" in "未发生行政复议", "无" in "均无").
        end: End offset (exclusive) of that number or negation.
    """

    topic: Topic
    value: int
    sentence: str
    start: int
    end: int


# --- Building blocks. They apply to the normalised text, where ，；！？：（） are ASCII. ---------
#
# Patterns open with a literal or a character class wherever possible: the regex engine then skips
# ahead quickly, while an opening lookbehind or group makes it try every position. Checks that
# would need an opening lookbehind are done in ``_candidate`` instead.

_SENTENCE_STOPS = "。;!?\n\r"
_CLAUSE_STOPS = _SENTENCE_STOPS + ","
# Any character that stays inside one comma clause.
_G = r"[^。;!?\n\r,]"
_CN_DIGITS = "零〇一二两三四五六七八九十百千万"
# A count, loosely: ``_number`` checks its form and what precedes it. It never starts inside a run
# of digits (the lookbehinds), which keeps scanning a long run linear.
_NUM = (
    rf"(?P<n>[\d{_CN_DIGITS}](?<![\d{_CN_DIGITS}][\d{_CN_DIGITS}])(?<!\d,\d)"
    rf"[\d,{_CN_DIGITS}]*)"
)
_UNIT_APPLICATION = r"(?P<u>件|起|份|项)"
_UNIT_CASE = r"(?P<u>件|起|宗|个)"
_UNIT_DOCUMENT = r"(?P<u>件|份|个|部)"
# What may stand between a counted noun and its number ("申请，共计15件", "申请（含网上申请）15件");
# anything else there means the number is about something else.
_TAIL = r"(?P<t>(?:[共计合总累数量为达有是的:\s]|\([^()\n]{0,30}\)|,){0,12}?)"
_NEG = r"(?:未曾|未|没有|无|不存在)"

_RECEIVE = r"(?:收到|新收|受理|接收|接到|收悉)"
# 申请人/申请书/申请表 are not applications being counted.
_APPLICATION = r"申请(?!人|书|表|材料)"
_CARRIED_IN = r"上一?个?年度?的?结转"
_CARRIED_OUT = r"(?:结转|转入|转至)(?:至|到)?下一?个?年度?"
_ANSWER = r"(?:答复|办结|办理完毕|处理完毕|回复|办复)"
_ISSUE = r"(?:制发|制定|出台|印发|新制作)"
_NORMATIVE = r"(?:行政)?规范性文件"
# A 0 stated about appeals must not be about their results ("未发生行政复议被纠错的情况").
_NOT_RESULT = rf"(?!{_G}{{0,12}}?(?:纠错|纠正|撤销|败诉|维持|确认违法|结果|后起诉))"
# What may come between a negation and the negated noun: a verb, or straight a cause ("无因……").
_ZERO_VERB = (
    r"(?:(?:曾|再)?(?:发生|出现|产生|收到|接到|涉及|被提起|被申请|提起|引发|引起)过?|(?=因))"
)


def _appeal_patterns(noun: str, other: str) -> tuple[str, ...]:
    """Patterns for 行政复议 or 行政诉讼; ``other`` is the other noun, for joint statements."""
    # "行政复议和行政诉讼共3件" counts both: neither noun may take the number alone.
    alone = rf"(?<!{other}[和、及与或]{noun})(?<!{other}{noun})"
    both = rf"(?:{noun}[和、及与](?:行政)?{other[2:]}|{other}[和、及与](?:行政)?{noun[2:]})"
    return (
        # 办理信息公开行政复议12件 / 行政诉讼立案4件 / 收到行政复议申请1起
        rf"(?P<p>{noun}){alone}(?P<q>{_G}{{0,10}}?){_TAIL}{_NUM}{_UNIT_CASE}",
        # 发生1起行政复议案件 / 收到2件行政复议申请
        rf"{_NUM}{_UNIT_CASE}(?P<q>{_G}{{0,10}}?)(?P<p>{noun}){alone}{_NOT_RESULT}",
        # 行政复议、行政诉讼各1件
        rf"(?P<p>{both})(?:案件)?(?:数量)?(?:均为|均是|都为|都是|各|均)有?{_NUM}{_UNIT_CASE}",
        # 行政复议和行政诉讼均为0 / 均为零 / 均无
        rf"(?P<p>{both})(?:案件)?(?:数量)?(?:均为|均是|都为|都是|均)(?P<neg>0|零|无)(?![\d.])",
        # 未发生因政府信息公开引起的行政复议、行政诉讼 / 无行政诉讼案件
        rf"(?P<neg>{_NEG})(?:{_ZERO_VERB}(?P<z>{_G}{{0,30}}?))?(?P<p>{noun}){_NOT_RESULT}",
    )


# The phrase patterns, per topic. Named groups: n (the number) and u (its unit), or neg (words
# meaning 0); p (the naming phrase); q, r (free text, checked against _GAP_BLOCK); z (free text
# before a negated noun, checked against _ZERO_GAP_BLOCK); t (filler between phrase and number).
_PATTERN_TEXT: Mapping[Topic, tuple[str, ...]] = {
    Topic.RECEIVED: (
        # 共收到政府信息公开申请224件 / 收到网上依申请公开事项15项
        rf"(?P<p>{_RECEIVE})(?P<q>{_G}{{0,24}}?){_APPLICATION}(?:公开)?(?:事项)?{_TAIL}"
        rf"{_NUM}{_UNIT_APPLICATION}",
        # 收到15件政府信息公开申请 / 收到一起……关于政府信息公开的申请
        rf"(?P<p>{_RECEIVE})(?P<q>(?:(?!申请){_G}){{0,12}}?){_NUM}{_UNIT_APPLICATION}"
        rf"(?P<r>{_G}{{0,30}}?){_APPLICATION}",
        # 本年度未收到政府信息公开申请 (not 未受理: that counts refused applications)
        rf"(?P<neg>未曾|未|没有)(?P<p>收到|接到|收悉)(?P<q>{_G}{{0,24}}?){_APPLICATION}",
        # 本年度无政府信息公开申请 / 无依申请公开事项
        rf"(?P<neg>{_NEG})(?P<p>(?:政府)?信息公开{_APPLICATION}|依申请公开(?:事项|申请|情况))"
        rf"(?!{_G}{{0,8}}(?:复议|诉讼|纠错|纠正))",
    ),
    Topic.CARRIED_IN: (
        # 上年结转3件 / （含上年结转申请1件）
        rf"(?P<p>{_CARRIED_IN})(?P<q>{_G}{{0,16}}?){_TAIL}{_NUM}{_UNIT_APPLICATION}",
        # 另有2件为上年结转
        rf"{_NUM}{_UNIT_APPLICATION}(?P<q>{_G}{{0,6}}?)(?:为|系|属于?|是)(?P<p>{_CARRIED_IN})",
        # 无上年结转申请 / 上年无结转
        rf"(?P<neg>无|没有)(?P<p>{_CARRIED_IN})(?!{_G}{{0,4}}(?:资金|经费|项目))",
        rf"(?P<p>上一?个?年度?)(?P<neg>无|没有)结转(?!{_G}{{0,4}}(?:资金|经费|项目))",
    ),
    Topic.CARRIED_OUT: (
        # 2件结转下年继续办理
        rf"{_NUM}{_UNIT_APPLICATION}(?P<q>{_G}{{0,8}}?)(?P<p>{_CARRIED_OUT})",
        # 结转下年度继续办理2件
        rf"(?P<p>{_CARRIED_OUT})(?:继续|需|需要)?(?:办理|处理|答复)?的?(?:申请)?{_TAIL}"
        rf"{_NUM}{_UNIT_APPLICATION}",
        # 无结转下年度办理的申请
        rf"(?P<neg>无|没有)(?P<q>{_G}{{0,6}}?)(?P<p>{_CARRIED_OUT})",
    ),
    Topic.ANSWERED: (
        # 已答复222件 / 办结18件
        rf"(?P<p>{_ANSWER})的?(?:政府信息公开)?(?:申请)?{_TAIL}{_NUM}{_UNIT_APPLICATION}",
        # 15件均已按时答复
        rf"{_NUM}{_UNIT_APPLICATION}(?:申请)?(?:均|全部|都)?(?:已经|已)?"
        rf"(?:按时|按期|依法|及时|在法定期限内)?(?:予以|作出)?(?P<p>{_ANSWER})",
    ),
    Topic.REVIEW: _appeal_patterns("行政复议", "行政诉讼"),
    Topic.SUIT: _appeal_patterns("行政诉讼", "行政复议"),
    Topic.NORMATIVE_ISSUED: (
        # 制发行政规范性文件14件
        rf"(?P<p>{_ISSUE})(?P<q>{_G}{{0,12}}?){_NORMATIVE}(?:数量)?{_TAIL}{_NUM}{_UNIT_DOCUMENT}",
        # 印发3件规范性文件
        rf"(?P<p>{_ISSUE})(?P<q>{_G}{{0,8}}?){_NUM}{_UNIT_DOCUMENT}(?P<r>{_G}{{0,4}}?){_NORMATIVE}",
        # 未制发规范性文件 / 无新制发的规范性文件
        rf"(?P<neg>未曾|未|没有)新?(?P<p>{_ISSUE})(?P<q>{_G}{{0,8}}?){_NORMATIVE}",
        rf"(?P<neg>无|没有)(?P<p>新?{_ISSUE}的?){_NORMATIVE}",
    ),
    Topic.NORMATIVE_IN_FORCE: (
        # 现行有效的行政规范性文件606件
        rf"(?P<p>现行有效)(?P<q>{_G}{{0,6}}?){_NORMATIVE}(?:数量)?{_TAIL}{_NUM}{_UNIT_DOCUMENT}",
        # 规范性文件清理后现行有效606件
        rf"规范性文件(?P<q>{_G}{{0,10}}?)(?P<p>现行有效)的?{_TAIL}{_NUM}{_UNIT_DOCUMENT}",
    ),
}

_PATTERNS: Mapping[Topic, tuple[re.Pattern[str], ...]] = {
    topic: tuple(re.compile(text) for text in texts) for topic, texts in _PATTERN_TEXT.items()
}

# When one number is claimed by two topics, the more specific wins: "(含上年结转申请1件)" is
# CARRIED_IN whatever else its clause says.
_PRIORITY: tuple[Topic, ...] = (
    Topic.CARRIED_IN,
    Topic.CARRIED_OUT,
    Topic.REVIEW,
    Topic.SUIT,
    Topic.NORMATIVE_IN_FORCE,
    Topic.NORMATIVE_ISSUED,
    Topic.RECEIVED,
    Topic.ANSWERED,
)

# Free text inside a match (groups q, r) that shows the number is about something else: a change,
# an approximation, a sub-count, another number, another counted thing.
_GAP_BLOCK_COMMON = r"其中|较|同比|比上年|增加|减少|增长|下降|上升|约|近|超过|逾|\d"
_GAP_BLOCK: Mapping[Topic, re.Pattern[str]] = {
    topic: re.compile(f"{_GAP_BLOCK_COMMON}|{extra}")
    for topic, extra in {
        Topic.RECEIVED: "复议|诉讼|许可|审批|登记|备案|补贴|救助|低保|结转|答复|办结|予以|不予|"
        "建议|提案|投诉|举报|信访|咨询|来电|留言|诉求",
        Topic.CARRIED_IN: "资金|经费|项目|元|余额|收入|结余|预算|指标|任务|下一?年",
        Topic.CARRIED_OUT: "资金|经费|项目|元|余额|收入|结余|预算|指标|任务|上一?年",
        Topic.ANSWERED: "复议|诉讼",
        Topic.REVIEW: "诉|维持|纠正|纠错|撤销|驳回|终止|审结|结果|确认|后|前|参加|参与|答辩|会议|"
        "培训|委员|人员|公开申请",
        Topic.SUIT: "复议|维持|纠正|纠错|撤销|驳回|终止|审结|败诉|胜诉|结果|确认|参加|参与|应诉|"
        "出庭|会议|培训|人员|公开申请",
        Topic.NORMATIVE_ISSUED: "废止|清理|修改|修订|有效|备案|审查|解读|规章|政策|公开|失效",
        Topic.NORMATIVE_IN_FORCE: "废止|失效|修改|修订|制发|制定|出台|印发",
    }.items()
}
# Before a negated noun another appeal noun is fine ("未发生行政复议、行政诉讼"); a result is not
# ("未发生被纠错的行政复议").
_ZERO_GAP_BLOCK = re.compile(rf"{_GAP_BLOCK_COMMON}|纠错|纠正|撤销|败诉|维持|结果")

# Words anywhere in the clause up to the end of a match that make it about something else. For
# applications: other counted things ("人大代表建议和政协委员提案办理答复551件"). For appeals: a
# result or a kind, which makes a sub-count ("尚未审结的行政复议1件", "复议后起诉的行政诉讼1件").
_OTHER_COUNTED = (
    "建议|提案|议案|信件|来信|留言|来电|诉求|咨询|工单|投诉|举报|信访|热线|复议|诉讼|审批|许可|"
    "政务服务|网民|批示"
)
_APPEAL_PART = "维持|纠正|纠错|撤销|驳回|终止|审结|败诉|胜诉|结果|起诉|未经"
_CLAUSE_BLOCK: Mapping[Topic, re.Pattern[str]] = {
    Topic.RECEIVED: re.compile(_OTHER_COUNTED),
    Topic.CARRIED_IN: re.compile(_OTHER_COUNTED),
    Topic.CARRIED_OUT: re.compile(_OTHER_COUNTED),
    Topic.ANSWERED: re.compile(_OTHER_COUNTED),
    Topic.REVIEW: re.compile(_APPEAL_PART),
    Topic.SUIT: re.compile(_APPEAL_PART),
}
_APPLICATION_TOPICS = frozenset(
    {Topic.RECEIVED, Topic.CARRIED_IN, Topic.CARRIED_OUT, Topic.ANSWERED}
)
# Bare 申请/答复/结转 count disclosure applications only where the paragraph (or its heading) is
# about them.
_APPLICATION_CONTEXT = re.compile(rf"公开{_G}{{0,4}}申请|依申请|申请公开")

_LONGEST_NUMBER = 12  # "一万二千三百四十五" is 9; longer runs are no count
_NUMBER_FORM = re.compile(rf"\d{{1,3}}(?:,\d{{3}})+|\d+|[{_CN_DIGITS}]+")
_APPROXIMATE_BEFORE = ("约", "近", "逾", "超过", "大约", "将近", "不到", "不足")
_APPROXIMATE_AFTER = re.compile(r"次|左右|以上|以下|之多|上下")
# A phrase right after these is negated: "尚未办结3件" is not ANSWERED=3.
_NEGATING = frozenset("未不没无非")
# "有无"/"是否未" ask rather than state.
_NOT_NEGATION = ("有", "是否")
# "一起" is "together" ("与业务科室一起研究行政复议案件") unless a verb puts a count before it.
_BEFORE_ONE_CASE = frozenset("了到生共计有现理悉为是")
# After a Chinese numeral that ends a match only these may follow: "三件事" is no count.
_CN_FOLLOWERS = frozenset("其均并全已较同比且另和及、")

# Characters known to be their own NFKC form: ASCII, CJK unified ideographs and common Chinese
# punctuation. Only the rest need looking at.
_MAYBE_UNSTABLE = re.compile(
    "[^\x00-\x7f\u4e00-\u9fff\u3001\u3002\u300a-\u3011\u3014\u3015"
    "\u201c\u201d\u2018\u2019\u2014\u00b7]"
)


@cache
def _fold(char: str) -> str | None:
    """The NFKC form of one character when that is one other character."""
    folded = unicodedata.normalize("NFKC", char)
    return folded if folded != char and len(folded) == 1 else None


def _normalise(text: str) -> str:
    """NFKC, one character for one, so offsets survive."""
    for char in set(_MAYBE_UNSTABLE.findall(text)):
        folded = _fold(char)
        if folded is not None:
            text = text.replace(char, folded)
    return text


def _number(norm: str, token: str, start: int) -> int | None:
    """The value of a count token at ``start``, or None if it is not a whole count."""
    if len(token) > _LONGEST_NUMBER or not _NUMBER_FORM.fullmatch(token):
        return None
    before = norm[start - 1 : start] if start else ""
    # Not the tail of a longer number ("103.64", "1.3万"), nor an ordinal ("第三件").
    if before and (before == "第" or before.isdigit() or before in _CN_DIGITS):
        return None
    if before in (".", ",") and norm[start - 2 : start - 1].isdigit():
        return None
    if token[0].isdigit():
        return int(token.replace(",", ""))
    try:
        value = cn2an.cn2an(token, "normal")
    except ValueError:
        return None
    return value if isinstance(value, int) else None


_SENTENCE_STOP_RE = re.compile(f"[{_SENTENCE_STOPS}]")
_CLAUSE_STOP_RE = re.compile(f"[{_CLAUSE_STOPS}]")


class _Text:
    """The normalised text with its sentence, clause and line boundaries."""

    def __init__(self, text: str) -> None:
        self.original = text
        self.norm = norm = _normalise(text)
        self.sentence_stops = [m.start() for m in _SENTENCE_STOP_RE.finditer(norm)]
        self.clause_stops = [m.start() for m in _CLAUSE_STOP_RE.finditer(norm)]
        self.line_stops = [m.start() for m in re.finditer("\n", norm)]
        self._context: dict[int, bool] = {}

    def sentence_span(self, pos: int) -> tuple[int, int]:
        i = bisect_left(self.sentence_stops, pos)
        start = self.sentence_stops[i - 1] + 1 if i else 0
        end = self.sentence_stops[i] if i < len(self.sentence_stops) else len(self.norm)
        return start, end

    def clause_start(self, pos: int) -> int:
        i = bisect_right(self.clause_stops, pos - 1)
        return self.clause_stops[i - 1] + 1 if i else 0

    def sentence(self, pos: int) -> str:
        start, end = self.sentence_span(pos)
        return self.original[start:end].strip()

    def in_application_context(self, pos: int) -> bool:
        """Whether the line holding ``pos``, or the non-empty line before it, is about requests."""
        line = bisect_left(self.line_stops, pos)
        cached = self._context.get(line)
        if cached is None:
            cached = bool(_APPLICATION_CONTEXT.search(self._line(line)))
            previous = line - 1
            while not cached and previous >= 0:
                text = self._line(previous)
                if text.strip():
                    cached = bool(_APPLICATION_CONTEXT.search(text))
                    break
                previous -= 1
            self._context[line] = cached
        return cached

    def _line(self, index: int) -> str:
        start = self.line_stops[index - 1] + 1 if index else 0
        end = self.line_stops[index] if index < len(self.line_stops) else len(self.norm)
        return self.norm[start:end]


def _count_value(text: _Text, match: re.Match[str]) -> int | None:
    """The value of a match's number, or None when its surroundings make it no plain count."""
    norm = text.norm
    token = match["n"]
    start = match.start("n")
    value = _number(norm, token, start)
    if value is None or norm[max(0, start - 2) : start].endswith(_APPROXIMATE_BEFORE):
        return None
    unit_end = match.end("u")
    if _APPROXIMATE_AFTER.match(norm, unit_end):
        return None
    if norm[match.start("p") - 1 : match.start("p")] in _NEGATING:
        return None
    if (
        token == "一"
        and match["u"] == "起"
        and unit_end != match.end()
        and norm[start - 1 : start] not in _BEFORE_ONE_CASE
    ):
        return None
    if unit_end == match.end():
        following = norm[unit_end : unit_end + 1]
        # A number reached across a comma must close its clause: "收到申请，共计15件".
        tail = re.sub(r"\([^()]*\)", "", match.groupdict().get("t") or "")
        if "," in tail and following and following not in _CLAUSE_STOPS + "(":
            return None
        if (
            not token[0].isdigit()
            and "\u4e00" <= following <= "\u9fff"
            and following not in _CN_FOLLOWERS
        ):
            return None
    return value


def _candidate(text: _Text, topic: Topic, match: re.Match[str]) -> Figure | None:
    """The figure a pattern match states, or None when a check shows it is about something else."""
    groups = match.groupdict()
    gap = (groups.get("q") or "") + (groups.get("r") or "")
    if gap and _GAP_BLOCK[topic].search(gap):
        return None
    if _ZERO_GAP_BLOCK.search(groups.get("z") or ""):
        return None
    if groups.get("neg") is not None:
        start, end = match.span("neg")
        if text.norm[max(0, start - 2) : start].endswith(_NOT_NEGATION):
            return None
        value: int | None = 0
    else:
        start, end = match.span("n")
        value = _count_value(text, match)
    if value is None:
        return None
    block = _CLAUSE_BLOCK.get(topic)
    if block is not None and block.search(text.norm, text.clause_start(match.start()), match.end()):
        return None
    if topic in _APPLICATION_TOPICS and not text.in_application_context(match.start()):
        return None
    return Figure(topic, value, text.sentence(start), start, end)


def _matches(pattern: re.Pattern[str], norm: str) -> list[re.Match[str]]:
    """All matches, overlapping ones included: a rejected match must not hide a later one."""
    found: list[re.Match[str]] = []
    pos = 0
    while (match := pattern.search(norm, pos)) is not None:
        found.append(match)
        pos = match.start() + 1
    return found


def _is_joint(match: re.Match[str]) -> bool:
    phrase = match["p"]
    return "复议" in phrase and "诉讼" in phrase


def _drop_sub_counts(text: _Text, figures: list[Figure]) -> list[Figure]:
    """Drops figures after 其中 when the same sentence stated their topic before it."""
    kept: list[Figure] = []
    for figure in figures:
        sentence_start, _ = text.sentence_span(figure.start)
        marker = text.norm.rfind("其中", sentence_start, figure.start)
        if marker >= 0 and any(
            earlier.topic == figure.topic
            and sentence_start <= earlier.start
            and earlier.end <= marker
            for earlier in kept
        ):
            continue
        kept.append(figure)
    return kept


def find_figures(text: str) -> list[Figure]:
    """Finds the figures a narrative states about the topics rule 8 compares with the tables.

    Args:
        text: Narrative text, or a whole report (table lines state no figures).

    Returns:
        The figures in text order. A topic stated twice yields two figures, even with the same
        value; the caller decides what a repetition means.
    """
    doc = _Text(text)
    numbers: dict[int, Figure] = {}
    # A 0 stated by negation, or a number stated for both appeals at once ("各1件"), stands for
    # every topic it names.
    shared: dict[tuple[Topic, int], Figure] = {}
    for topic in _PRIORITY:
        for pattern in _PATTERNS[topic]:
            for match in _matches(pattern, doc.norm):
                figure = _candidate(doc, topic, match)
                if figure is None:
                    continue
                if match.groupdict().get("neg") is not None or _is_joint(match):
                    shared.setdefault((topic, figure.start), figure)
                else:
                    # Topics run in priority order, so the first claim on a number stands.
                    numbers.setdefault(figure.start, figure)
    ordered = sorted(
        [*numbers.values(), *shared.values()],
        key=lambda f: (f.start, _PRIORITY.index(f.topic)),
    )
    return _drop_sub_counts(doc, ordered)
