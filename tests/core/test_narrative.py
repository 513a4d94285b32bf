"""Figures stated in a report's narrative (rule 8): what is found, what must not be."""

from __future__ import annotations

import dataclasses
import re
import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.narrative import Figure, Topic, find_figures
from tests.data import APPEALS_001, REQUESTS_001

EXAMPLES = Path(__file__).parents[1] / "fixtures" / "examples"

R = Topic.RECEIVED
CI = Topic.CARRIED_IN
A = Topic.ANSWERED
CO = Topic.CARRIED_OUT
RV = Topic.REVIEW
S = Topic.SUIT
NI = Topic.NORMATIVE_ISSUED
NF = Topic.NORMATIVE_IN_FORCE

# Bare 申请/答复/结转 count disclosure applications only under a heading (or in a paragraph) about
# them; cases that rely on that carry this heading.
HEADING = "（二）依申请公开情况\n"


def example(prefix: str) -> str:
    (path,) = EXAMPLES.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def stated(text: str) -> list[tuple[Topic, int, str]]:
    """(topic, value, the text at the figure's offsets) for each figure, in order."""
    return [(f.topic, f.value, text[f.start : f.end]) for f in find_figures(text)]


# --- Table-driven: figures found ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Applications received.
        ("本年度共受理政府信息公开申请36件。", [(R, 36, "36")]),
        ("全市各级行政机关共收到政府信息公开申请224件，较去年增长103.64%。", [(R, 224, "224")]),
        ("本年度新收政府信息公开申请20件，同比增长25%。", [(R, 20, "20")]),
        ("本机关共收到政府信息公开申请3件（均为自然人）。", [(R, 3, "3")]),
        ("2020年12月31日前收到的政府信息公开申请共26件。", [(R, 26, "26")]),
        ("本年度共收到政府信息公开申请，共计15件。", [(R, 15, "15")]),
        ("本年度收到15件政府信息公开申请。", [(R, 15, "15")]),
        ("省民政厅收到网上依申请公开事项15项，答复15项。", [(R, 15, "15"), (A, 15, "15")]),
        ("本年度共收到政府信息公开申请１５件。", [(R, 15, "１５")]),
        ("本年度共收到政府信息公开申请十二件。", [(R, 12, "十二")]),
        ("本年度共收到政府信息公开申请1,234件。", [(R, 1234, "1,234")]),
        (
            "全年我区收到一起由书面邮寄方式提出的关于政府信息公开的申请。",
            [(R, 1, "一")],
        ),
        ("本年度未收到政府信息公开申请。", [(R, 0, "未")]),
        ("本年度无政府信息公开申请。", [(R, 0, "无")]),
        # The flow of applications: received, carried in, answered, carried out.
        (
            "本年度共收到政府信息公开申请15件，上年结转3件；全部按期答复；办结18件。",
            [(R, 15, "15"), (CI, 3, "3"), (A, 18, "18")],
        ),
        (
            HEADING + "已答复222件(含上年结转申请1件),2件结转下年继续办理,均在法定期限内予以答复。",
            [(A, 222, "222"), (CI, 1, "1"), (CO, 2, "2")],
        ),
        (
            "本年度新收政府信息公开申请20件，上年结转2件，已办结21件，1件结转下年度继续办理。",
            [(R, 20, "20"), (CI, 2, "2"), (A, 21, "21"), (CO, 1, "1")],
        ),
        ("本年度新收政府信息公开申请20件，结转下一年度办理2件。", [(R, 20, "20"), (CO, 2, "2")]),
        (
            "全年共受理政府信息公开申请5件，其中2件为上年结转。",
            [(R, 5, "5"), (CI, 2, "2")],
        ),
        (
            "本年度共收到政府信息公开申请１０件；其中上年结转２件。",
            [(R, 10, "１０"), (CI, 2, "２")],
        ),
        (
            "收到依申请公开申请8件，8件均已按时答复，无结转下年度的申请。",
            [(R, 8, "8"), (A, 8, "8"), (CO, 0, "无")],
        ),
        (
            HEADING + "共收到申请15件，办结14件，1件结转下年度继续办理。",
            [(R, 15, "15"), (A, 14, "14"), (CO, 1, "1")],
        ),
        (HEADING + "上年度结转至本年度办理的申请2件。", [(CI, 2, "2")]),
        (HEADING + "上年无结转申请。", [(CI, 0, "无")]),
        (HEADING + "尚未办结的3件结转下年度办理。", [(CO, 3, "3")]),
        # Administrative review and suits.
        (
            "办理信息公开行政复议12件，行政诉讼立案4件（均为行政复议后起诉），无结果纠正案件。",
            [(RV, 12, "12"), (S, 4, "4")],
        ),
        ("收到行政复议申请1起。", [(RV, 1, "1")]),
        ("本年度发生1起政府信息公开行政复议案件。", [(RV, 1, "1")]),
        ("因政府信息公开工作被申请行政复议2件，其中维持1件。", [(RV, 2, "2")]),
        ("被申请行政复议1件、被提起行政诉讼2件。", [(RV, 1, "1"), (S, 2, "2")]),
        (
            "本年度因政府信息公开申请引发行政复议案件2起、行政诉讼案件1起。",
            [(RV, 2, "2"), (S, 1, "1")],
        ),
        ("本年度收到行政复议申请两起，行政诉讼一起。", [(RV, 2, "两"), (S, 1, "一")]),
        ("本年度被申请行政复议1件（结果维持），行政诉讼0件。", [(RV, 1, "1"), (S, 0, "0")]),
        ("本年度行政复议、行政诉讼各1件。", [(RV, 1, "1"), (S, 1, "1")]),
        ("行政复议、行政诉讼均为0。", [(RV, 0, "0"), (S, 0, "0")]),
        ("未发生因政府信息公开引起的行政复议、行政诉讼。", [(RV, 0, "未"), (S, 0, "未")]),
        ("全年无因政府信息公开引发的行政复议及行政诉讼案件。", [(RV, 0, "无"), (S, 0, "无")]),
        ("本年度无行政诉讼案件，行政复议1件。", [(S, 0, "无"), (RV, 1, "1")]),
        (
            "本年度，我局没有收到政府信息公开申请，也没有发生行政复议和行政诉讼。",
            [(R, 0, "没有"), (RV, 0, "没有"), (S, 0, "没有")],
        ),
        # Normative documents.
        (
            "全年制发行政规范性文件14件，现行有效的规范性文件606件。",
            [(NI, 14, "14"), (NF, 606, "606")],
        ),
        ("全年制定出台规范性文件3件。", [(NI, 3, "3")]),
        ("本年度印发3件规范性文件。", [(NI, 3, "3")]),
        ("本年度未制发规范性文件。", [(NI, 0, "未")]),
        ("清理后现行有效的行政规范性文件共606件，废止12件。", [(NF, 606, "606")]),
        ("经清理，规范性文件现行有效85件。", [(NF, 85, "85")]),
        # A topic stated twice: both figures, the caller judges.
        (
            "共收到政府信息公开申请15件。全年共收到政府信息公开申请16件。",
            [(R, 15, "15"), (R, 16, "16")],
        ),
    ],
)
def test_figures_found(text: str, expected: list[tuple[Topic, int, str]]) -> None:
    assert stated(text) == expected


# --- Table-driven: nothing to find ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # Not counts: percentages, years, dates, ordinals, amounts, other units.
        "较去年增长103.64%。",
        "办结率100%，答复率100%。",
        "本年度报告中所列数据统计期限为2020年1月1日至2020年12月31日。",
        "全年共受理政府信息公开申请第3件。",
        "收取信息处理费0.5万元。",
        "2020年，全市各级行政机关共主动公开政府信息103615条，其中市直机关33649条。",
        "全年累计开展业务培训98次，累计培训6553人次。",
        "全市共有新媒体账号603个，其中微信公众号451个。",
        "同时受理群众来电1.3万余件。",
        # Approximate counts.
        "本年度共收到政府信息公开申请约50件。",
        "本年度共收到政府信息公开申请50件左右。",
        "共收到咨询件50余件，回复率100%。",
        # Other things counted with the same verbs.
        "全年公布人大代表建议和政协委员提案办理答复551件。",
        "政务服务中心共受理行政许可申请3000件。",
        "接到市民来电咨询政府信息公开申请事宜120件。",
        "集中发布本级政府、各相关部门出台的政策文件及解读112件。",
        "本年度共清理规范性文件32件，废止5件。",
        # Sub-counts and parts of a result.
        "其中，予以公开55件，部分公开96件。",
        "行政复议维持3件，纠正1件。",
        "尚未审结的行政复议1件。",
        "未经复议直接起诉的行政诉讼1件。",
        "因政府信息公开行政诉讼败诉1件。",
        "行政诉讼案件中复议后起诉3件。",
        # A joint count belongs to neither topic.
        "因政府信息公开被申请行政复议和行政诉讼共3件。",
        # A change on last year, not a count.
        "收到的政府信息公开申请较上年增加5件。",
        # Negations of something else.
        "不存在发生依申请公开行政复议被纠错的情况；未发生依申请公开行政诉讼被纠错的情况。",
        "无结果纠正案件。",
        "本年度内未发生政府信息公开工作责任追究。",
        "我局有无收到政府信息公开申请？",
        "尚未办结的申请3件。",
        # 一起 meaning "together".
        "与业务科室一起研究行政复议案件。",
        # A number across a comma that is not the quantity of the clause.
        "全年共收到政府信息公开申请，15件予以公开。",
        # 申请人 is a person, not an application.
        "本年度未收到申请人补正材料。",
        # Bare 申请 with nothing about disclosure around it.
        "共收到申请15件，办结14件，1件结转下年度继续办理。",
        "上年结转资金120万元，结转项目5个。",
        "",
    ],
)
def test_nothing_found(text: str) -> None:
    assert find_figures(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Sub-counts after 其中 are skipped for the topic just stated...
        (
            "共收到政府信息公开申请224件，其中自然人申请193件，网上受理申请20件。",
            [(R, 224, "224")],
        ),
        ("本年度受理政府信息公开申请10件,其中网上受理申请8件。", [(R, 10, "10")]),
        (
            "本年度被申请行政复议3件，提起行政诉讼2件，其中复议后起诉1件。",
            [(RV, 3, "3"), (S, 2, "2")],
        ),
        # ...but not for another topic, nor in the next sentence.
        (
            "共收到政府信息公开申请20件，其中上年结转2件。全年又受理政府信息公开申请3件。",
            [(R, 20, "20"), (CI, 2, "2"), (R, 3, "3")],
        ),
    ],
)
def test_sub_counts(text: str, expected: list[tuple[Topic, int, str]]) -> None:
    assert stated(text) == expected


# --- Figures themselves ---------------------------------------------------------------------------


def test_figure_carries_its_sentence_and_offsets() -> None:
    text = "一、总体情况\n全年共收到政府信息公开申请２２件；全部按期答复。"
    (figure,) = find_figures(text)
    assert figure == Figure(
        topic=R,
        value=22,
        sentence="全年共收到政府信息公开申请２２件",
        start=text.index("２２"),
        end=text.index("２２") + 2,
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        figure.value = 1  # type: ignore[misc]


def test_topics_are_strings() -> None:
    assert [t.value for t in Topic] == [
        "received",
        "carried_in",
        "answered",
        "carried_out",
        "review",
        "suit",
        "normative_issued",
        "normative_in_force",
    ]
    assert Topic("suit") is S


def test_figures_come_in_text_order() -> None:
    text = "办结18件，上年结转3件。本年度共收到政府信息公开申请15件。"
    assert [f.start for f in find_figures(text)] == sorted(f.start for f in find_figures(text))
    assert [f.topic for f in find_figures(text)] == [A, CI, R]


# --- The published examples -----------------------------------------------------------------------


def _section(text: str, heading: str, next_heading: str) -> str:
    start = text.index(heading)
    return text[start : text.index(next_heading, start)]


def _table_total(text: str, label: str) -> int:
    """The 总计 (last) value of a table-3 row in a flattened example."""
    (line,) = [ln for ln in text.splitlines() if ln.startswith(label)]
    return [int(cell) for cell in re.findall(r"\|\s*(\d+)\s*(?=\|)", line)][-1]


def test_example_001_requests_paragraph() -> None:
    text = example("001")
    paragraph = _section(text, "(二)依申请公开情况", "(三)政府信息管理情况")
    figures = find_figures(paragraph)
    assert sorted((f.topic, f.value) for f in figures) == sorted(
        [(R, 224), (A, 222), (CI, 1), (CO, 2), (RV, 12), (S, 4)]
    )
    for figure in figures:
        assert paragraph[figure.start : figure.end] == str(figure.value)
        assert figure.sentence in paragraph
        assert paragraph[figure.start : figure.end] in figure.sentence
    # Table lines, the junk the hacked page inserted, and the other sections add nothing.
    assert [(f.topic, f.value) for f in find_figures(text)] == [(f.topic, f.value) for f in figures]


def test_example_001_mismatch_is_visible() -> None:
    """The narrative's 已答复222件 against table 3's （七）总计 223: what rule 8 must catch."""
    text = example("001")
    by_topic = {f.topic: f.value for f in find_figures(text)}
    results_total = _table_total(text, "(七)总计")
    assert results_total == 223
    assert by_topic[A] == 222 != results_total
    # Every other figure agrees with the tables.
    assert by_topic[R] == _table_total(text, "一、本年新收") == sum(REQUESTS_001["new"])
    assert by_topic[CI] == sum(REQUESTS_001["carried_in"])
    assert by_topic[CO] == _table_total(text, "四、结转下年度") == sum(REQUESTS_001["carried_out"])
    assert by_topic[RV] == sum(APPEALS_001["review"])
    assert by_topic[S] == sum(APPEALS_001["suit_direct"]) + sum(APPEALS_001["suit_after_review"])


@pytest.mark.parametrize("prefix", ["000", "002"])
def test_examples_without_stated_figures(prefix: str) -> None:
    # 000 states only 主动公开 counts (84条, 13篇); 002 states no counts at all. Their tables are
    # all 0, and nothing in the narrative contradicts that.
    assert find_figures(example(prefix)) == []


def test_example_003_states_one_application_and_no_appeals() -> None:
    # A 2016 report: "全年我区收到一起……申请" and "我区未发生过……行政申诉、行政复议和行政诉讼的
    # 情况"; "未发生依申请公开行政诉讼被纠错的情况" is about corrections, not a 0.
    text = example("003")
    figures = find_figures(text)
    assert [(f.topic, f.value) for f in figures] == [(R, 1), (RV, 0), (S, 0)]
    assert text[figures[0].start : figures[0].end] == "一"
    assert all(text[f.start : f.end] == "未" for f in figures[1:])
    assert "行政诉讼" in figures[1].sentence
    assert "被纠错" not in figures[1].sentence


def test_example_004_states_fifteen_applications_answered() -> None:
    # "收到网上依申请公开事项15项,答复15项"; 灾害信息246条, 信息100余条 etc. are not topics.
    text = example("004")
    figures = find_figures(text)
    assert [(f.topic, f.value) for f in figures] == [(R, 15), (A, 15)]
    assert all("依申请公开事项15项" in f.sentence for f in figures)


# --- Robustness -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "收到" * 3000,
        "行政复议" * 1500,
        "1" * 6000,
        "一" * 6000 + "件",
        "收到政府信息公开申请，" * 600,
        "未发生" + "、" * 5000 + "行政复议",
    ],
)
def test_degenerate_input_is_quick(text: str) -> None:
    started = time.perf_counter()
    find_figures(text)
    # Generous: catches runaway backtracking, not machine speed.
    assert time.perf_counter() - started < 1.0


def test_a_long_report_is_quick() -> None:
    text = example("001")[:5000]
    find_figures(text)
    started = time.perf_counter()
    for _ in range(10):
        find_figures(text)
    # Typically about 1 ms each; the bound leaves room for a loaded machine.
    assert (time.perf_counter() - started) / 10 < 0.05


_ALPHABET = list(
    "收到受理政府信息公开申请上年结转下年度已答复办结行政复议诉讼规范性文件现行有效制发其中"
    "未无没有件起项条万元年%0123456789０１２３４５十二两一，,。；;（）()\n "
)


_FRAGMENTS = [
    "共收到政府信息公开申请",
    "上年结转",
    "已答复",
    "办结",
    "结转下年度继续办理",
    "办理信息公开行政复议",
    "行政诉讼",
    "未发生",
    "无",
    "其中",
    "现行有效规范性文件",
    "制发行政规范性文件",
    "（含上年结转申请1件）",
    "较去年增长103.64%",
    "224件",
    "１２件",
    "1,234件",
    "十二件",
    "一起",
    "2020年",
    "，",
    "。",
    "；",
    "\n",
]


def _check_offsets(text: str) -> None:
    figures = find_figures(text)
    assert [f.start for f in figures] == sorted(f.start for f in figures)
    for figure in figures:
        assert 0 <= figure.start < figure.end <= len(text)
        assert figure.value >= 0
        assert figure.sentence.strip() == figure.sentence
        assert figure.sentence in text
        word = text[figure.start : figure.end]
        assert word in figure.sentence
        folded = unicodedata.normalize("NFKC", word).replace(",", "")
        if folded.isdigit():
            assert int(folded) == figure.value


@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=30).map("".join))
def test_offsets_point_at_the_figure_in_report_like_text(text: str) -> None:
    _check_offsets(text)


@given(st.text(alphabet=_ALPHABET, max_size=120))
def test_offsets_point_at_the_figure(text: str) -> None:
    _check_offsets(text)
