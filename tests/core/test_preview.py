"""The chat preview: every section, the tables' non-zero lines, messages within 4096 units."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from core.answers import Answers
from core.formats import GOV_2021
from core.preview import LIMIT, preview, preview_text, split_messages, utf16_len

from .rendered import FIXTURES, load

JOINERS = "\u0301\u200d\ufe0f\U0001f3fd"


def check_messages(messages: list[str], text: str, limit: int = LIMIT) -> None:
    assert "".join(messages) == text
    for message in messages:
        assert message and utf16_len(message) <= limit
        assert message[0] not in JOINERS


def test_every_section_is_there() -> None:
    for name in FIXTURES:
        answers = load(name)
        text = preview_text(answers)
        positions = [text.index(s.title) for s in answers.fmt.sections]
        assert positions == sorted(positions)
        check_messages(preview(answers), text)


def test_table_lines_with_totals() -> None:
    text = preview_text(load("example-001-2020"))
    assert "（一）予以公开：自然人 50、商业企业 4、其他法人或其他组织 1，总计 55\n" in text
    assert "（三）不予公开·1.属于国家秘密：自然人 1、其他法人或其他组织 1，总计 2\n" in text
    assert "（七）总计：自然人 192、商业企业 19、其他法人或其他组织 12，总计 223\n" in text
    assert "2.其他法律行政法规禁止公开" not in text  # an all-zero line
    assert "行政复议：结果维持 8、其他结果 1、尚未审结 3，总计 12\n" in text
    assert "行政诉讼·未经复议直接起诉" not in text
    assert "行政诉讼·复议后起诉：结果维持 3、其他结果 1，总计 4\n" in text
    assert (
        "第二十条第（五）项\n行政许可：上一年项目数量 209、本年增/减 12、处理决定数量 512366"
        in text
    )
    assert "其他对外管理服务事项：上一年项目数量 257、本年增/减 -13、处理决定数量 5031" in text
    assert "政府集中采购：采购项目数量 1796、采购总金额 3117000000元" in text


def test_all_zero_tables_and_blank_lines() -> None:
    text = preview_text(load("example-000-2019"))
    section_3 = text[text.index("三、收到和处理") : text.index("四、政府信息公开行政复议")]
    assert section_3.strip().endswith("（本表各项均为 0）")
    draft = preview_text(load("example-002-2020"), draft=True)
    assert draft.startswith("梁山县水泊街道办事处2020年政府信息公开工作年度报告（草稿）\n\n")
    assert "二、上年结转政府信息公开申请数量：未填\n" in draft
    assert "政府集中采购：采购项目数量 0、采购总金额 未填\n" in draft


def test_narrative_headings_on_their_own_lines() -> None:
    text = preview_text(load("full-2021"))
    assert "\n（一）主动公开\n围绕稳就业" in text
    assert "\n六、其他需要报告的事项\n本年度未收取信息处理费。\n本年度共办理" in text


def huge(answers: Answers) -> Answers:
    """Every narrative at the answers file's limit, with emoji and joined sequences."""
    para = "本年度主动公开政府信息👨‍👩‍👧‍👦，é́，👍🏽。" * 300
    texts = {key: "\n".join([para] * 5)[:50_000] for key in GOV_2021.all_text_keys}
    return Answers(answers.format, answers.year, answers.agency, answers.cells, texts)


def test_a_huge_report_splits_within_the_limit() -> None:
    answers = huge(load("full-2021"))
    messages = preview(answers)
    assert len(messages) > 10
    check_messages(messages, preview_text(answers))


def test_split_prefers_section_then_paragraph_boundaries() -> None:
    text = "一、甲\n" + "段落。" * 30 + "\n\n二、乙\n" + "内容。" * 30
    messages = split_messages(text, 120)
    assert messages[0].endswith("\n\n")
    assert messages[1].startswith("二、乙")
    check_messages(messages, text, 120)


def test_a_single_huge_paragraph_is_hard_split_after_a_sentence() -> None:
    text = ("一句话。" * 2000) + ("长" * 5000)
    messages = split_messages(text)
    check_messages(messages, text)
    assert messages[0].endswith("。")


def test_emoji_count_twice_and_never_split() -> None:
    text = "👍" * 5000
    messages = split_messages(text)
    assert [utf16_len(m) for m in messages] == [4096, 4096, 1808]
    check_messages(messages, text)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "中", "。", "\n", "\n\n", "👍", "👨‍👩", "é́", " "])).map("".join),
    st.integers(min_value=2, max_value=60),
)
def test_split_never_loses_anything(text: str, limit: int) -> None:
    messages = split_messages(text, limit)
    assert "".join(messages) == text
    assert all(m and utf16_len(m) <= limit for m in messages)


def test_amounts_keep_their_unit() -> None:
    from pathlib import Path

    from core.answers import from_json
    from core.preview import preview_text

    fixtures = Path(__file__).parents[1] / "fixtures" / "answers"
    text = preview_text(from_json((fixtures / "full-2021.json").read_bytes()))
    assert "本年收费金额 12.35万元" in text
    text = preview_text(from_json((fixtures / "example-001-2020.json").read_bytes()))
    assert "采购总金额 3117000000元" in text and "元元" not in text
