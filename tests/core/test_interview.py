"""The interview state machine: whole reports, budgets, corrections and every kind of input."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from core.answers import to_json
from core.check import evaluate
from core.formats import GOV_2019, GOV_2021
from core.interview import Mode, Press, State, build_plan, complete_answers, new_state, report_year
from core.interview.derive import asked_cells
from core.rules import Severity
from tests.core.interview_driver import Driver
from tests.data import APPEALS_001, COLUMNS, REQUESTS_001, REQUESTS_TEXT_001, cells_001_gov2021

OVERVIEW_001 = [
    "2020年，我市坚持以人民为中心的发展思想，持续提高政府工作透明度。" * 2,
    REQUESTS_TEXT_001,
    "做好基础信息发布，编制机构职能统一模版，同步编制更新政府信息公开指南。",
    "新版政府门户网站已上线运行，14个旗市区政府蒙古文政务网站均已开通上线。",
    "充分发挥考核促进工作的良性作用，全市累计开展业务培训98次。",
]


def fill_header(d: Driver) -> None:
    d.type("呼伦贝尔市人民政府")
    d.type("地址：呼伦贝尔市海拉尔区友好六街1号\n邮编：021008\n网址：www.hlbe.gov.cn")


def test_report_year_and_format_follow_the_date() -> None:
    assert report_year(date(2026, 1, 10)) == 2025
    assert report_year(date(2026, 3, 31)) == 2025
    assert report_year(date(2026, 4, 1)) == 2026
    assert new_state(date(2021, 2, 1)).answers.format == "gov-2019"
    assert new_state(date(2022, 2, 1)).answers.format == "gov-2021"


def test_all_zero_report_within_15_actions() -> None:
    d = Driver()
    fill_header(d)
    for _ in range(5):
        d.press("跳过")
    d.press("本表全部为0")  # 表二
    d.press("本表全部为0")  # 表三: the results block follows
    d.press("本表全部为0")  # 表四
    d.narrate(
        "一是公开意识有待加强。二是平台建设仍有短板。下一步将加强培训，完善制度，持续提升公开质量。"
    )
    d.press("完成")
    d.press("本年度未收取")
    d.press("无")
    assert "检查完毕" in d.text
    d.press("完成填报")
    assert d.state.mode is Mode.DONE
    assert d.actions <= 15, d.actions
    final = complete_answers(d.state)
    assert len(final.cells) == len(GOV_2021.input_cells)
    assert all(v == 0 for v in final.cells.values())
    assert final.texts["other.fee"] == "本年度未收取信息处理费。"


def test_example_001_within_45_actions() -> None:
    d = Driver()
    fill_header(d)
    for text in OVERVIEW_001:
        d.narrate(text)
        d.press("完成")
    assert d.current == "t2.rules"
    d.type("1 0 1")
    d.type("14 0 606")
    d.type("512366")
    d.type("69775")
    d.type("4660")
    d.type("0")
    assert d.current == "t3.new"
    d.type("193 19 0 0 0 12")
    d.type("自然人1")  # named entry: the rest are 0
    # Only 自然人, 商业企业 and 其他 can be non-zero now: three numbers per row.
    assert "请按顺序发送 3 个数：自然人、商业企业、其他" in d.text
    rows_2021 = dict(REQUESTS_001)
    rows_2021["other_other"] = rows_2021.pop("other")
    plan = build_plan(GOV_2021)
    for _ in range(30):
        if not d.current.startswith("t3.") or d.current == "t3.carried_out":
            break
        key = d.current.removeprefix("t3.")
        values = rows_2021.get(key, (0,) * 6)
        group = plan.get(d.current)
        assert group is not None
        if key == "rejected_complaint":
            d.press("本组全部为0")
        elif not any(values):
            d.press("全部为0")
        else:
            asked = asked_cells(group, GOV_2021, d.state.answers.cells)
            d.type(" ".join(str(values[COLUMNS.index(c.split(".")[-1])]) for c in asked))
    assert d.current == "t3.carried_out"
    assert "建议填：自然人 2。" in d.text
    d.press("确认建议值")
    assert d.current == "t4.review"
    # Table 4 is printed as one row: its twelve inputs in one message.
    d.type(" ".join(str(v) for vals in APPEALS_001.values() for v in vals))
    assert d.current == "x.problems"
    assert "行政复议：结果维持 8、结果纠正 0、其他结果 1、尚未审结 3，总计 12" in d.text
    assert "复议后起诉：结果维持 3、结果纠正 0、其他结果 1、尚未审结 0，总计 4" in d.text
    d.narrate("一是公开理念和意识有待进一步加强。二是专业领域的学习仍需加强。")
    d.narrate("下一步，我市将深入做好《条例》的贯彻落实，进一步深化解读回应参与。")
    d.press("完成")
    d.press("本年度未收取")
    d.press("无")
    assert d.state.mode is Mode.REVIEW
    # Two warnings: 规章 (rule 9) and the narrative's 222 against the table's 223 (rule 8).
    assert "2 个提醒待确认" in d.text
    assert "222" in d.text and "223" in d.text
    d.press("确认无误（第1条）")
    d.type("2：正文222件不含上年结转，表格按办理结果口径统计")
    d.press("完成填报")
    assert d.state.mode is Mode.DONE
    assert d.actions <= 45, d.actions
    final = complete_answers(d.state)
    assert dict(final.cells) == cells_001_gov2021()
    assert [v for v in evaluate(GOV_2021, final.cells) if v.severity is Severity.ERROR] == []


def start_at_table3(**kw: object) -> Driver:
    d = Driver()
    d.type("某某县民政局")
    d.press("跳过")
    d.command("edit", "表三")
    assert d.current == "t3.new"
    return d


def test_no_applications_skips_the_results_block() -> None:
    d = start_at_table3()
    d.press("全部为0")
    d.press("全部为0")
    assert d.current == "t4.review"
    assert "其余 132 个单元格只能为 0" in d.text


def test_capacity_used_up_fills_the_rest_with_zero() -> None:
    d = start_at_table3()
    d.type("3 0 0 0 0 0")
    d.type("0")
    assert "请发送「自然人」的件数" in d.text
    d.type("3")  # all three granted: nothing else can be non-zero
    assert d.current == "t4.review"


def test_rejected_answers_keep_everything() -> None:
    d = start_at_table3()
    before = d.state
    for bad in ["", "abc", "-3", "3.5", "1e9", "1 2", "自然人1 自然人2", "法人3"]:
        d.type(bad)
        assert d.state.answers == before.answers, bad
        assert d.current == "t3.new"
        assert d.replies[0].text and not d.replies[0].text.startswith("已记录")
    assert "一、本年新收政府信息公开申请数量" in d.last.text


def test_overlong_contact_details_are_refused_and_nothing_is_lost() -> None:
    d = Driver()
    d.type("呼伦贝尔市人民政府")
    before = d.state
    d.type("联系电话：0471-1234567" * 300)
    assert d.state == before and d.current == "contact"
    assert d.replies[0].text.startswith("联系方式没有保存：「电话」有 5095 个字，最多 100 个字。")
    d.type("电话：0471-1234567\n地址：" + "某" * 200)
    assert d.state.answers.contact == {"address": "某" * 200, "phone": "0471-1234567"}


def test_numbers_in_every_written_form() -> None:
    d = start_at_table3()
    d.type("十二 １９ 0 无 零 1,234")
    cells = d.state.answers.cells
    assert [cells[f"requests.new.{c}"] for c in COLUMNS] == [12, 19, 0, 0, 0, 1234]


def test_violation_is_reported_at_once_with_fix_buttons() -> None:
    d = start_at_table3()
    d.type("3 0 0 0 0 0")
    d.type("0")
    d.type("5")  # 5 granted of 3 received
    assert "【错误·规则1】自然人列：本年新收 3 + 上年结转 0 = 3" in d.replies[0].text
    assert "改「本年新收」" in [b.label for row in d.replies[0].buttons for b in row]
    d.press("改「本年新收」")
    assert d.current == "t3.new"
    assert "当前已填：自然人 3" in d.text


def test_back_and_later() -> None:
    d = start_at_table3()
    d.type("1 0 0 0 0 0")
    assert d.current == "t3.carried_in"
    d.press("返回上一题")
    assert d.current == "t3.new"
    d.press("稍后再填")
    assert d.current == "t3.carried_in"
    assert "t3.new" in d.state.deferred
    d.command("review")
    assert "未填" in d.text and "完成填报" not in d.labels()


def test_stale_button_changes_nothing() -> None:
    d = start_at_table3()
    old = Press("z|t3.new")
    d.type("1 0 0 0 0 0")
    answers = d.state.answers
    d._do(old)
    assert d.state.answers == answers
    assert "按钮已过期" in d.replies[0].text
    d._do(Press("z|t3.granted|x|y"))
    d._do(Press("nonsense"))
    d._do(Press("j|t9.none"))
    assert d.state.answers == answers


def test_forged_jump_is_harmless_and_valid_jump_works() -> None:
    first = Driver()  # the year buttons belong to the first question
    for forged in ("y|agency|²", "y|agency|99999999999999999999", "y|agency|2019x"):
        before = first.state
        first._do(Press(forged))  # no year a person could mean: the question stays
        assert first.state == before and "单位" in first.last.text, forged
    d = start_at_table3()
    d._do(Press("j|t4.review"))
    assert d.current == "t4.review"


def test_amount_in_yuan_is_converted_and_said() -> None:
    d = Driver()
    d.type("某某县财政局")
    d.command("edit", "行政事业性收费")
    d.type("125000元")
    assert d.state.answers.cells["proactive.fees.amount"] == Decimal("12.5")
    assert "12.5万元" in d.replies[0].text
    d.press("返回上一题")
    d.type("125000")  # a bare number this size in 万元 is ambiguous: ask, never guess
    assert d.state.answers.cells["proactive.fees.amount"] == Decimal("12.5")
    assert d.current == "t2.fees"


def test_signed_change_in_gov_2019() -> None:
    d = Driver(today=date(2021, 1, 20))
    assert d.state.answers.format == "gov-2019"
    d.type("某某县民政局")
    d.command("edit", "其他对外管理服务事项")
    d.type("257 减13 5031")
    cells = d.state.answers.cells
    assert cells["proactive.other_services.change"] == -13


def test_partial_row_hint_rule_11() -> None:
    d = start_at_table3()
    d.type("3 0 0 0 0 0")
    d.type("0")
    d.type("1")
    assert d.current == "t3.partial"
    assert "只计入本项" in d.text


def test_narrative_messages_append_and_clear() -> None:
    d = Driver()
    d.type("某某县民政局")
    d.press("跳过")
    d.type("第一段。")
    d.type("第二段。")
    assert d.state.answers.texts["overview.proactive"] == "第一段。\n第二段。"
    d.press("清空重写")
    assert "overview.proactive" not in d.state.answers.texts
    d.press("完成") if "完成" in d.labels() else None
    assert d.current == "x.overview.proactive"


def test_required_text_cannot_be_skipped() -> None:
    d = Driver()
    d.type("某某县民政局")
    d.command("edit", "存在的主要问题")
    assert d.current == "x.problems"
    assert "跳过" not in d.labels()


def test_year_change_switches_format() -> None:
    d = Driver()
    d.press("更改年度")
    d.press("2024年")
    assert d.state.answers.year == 2024
    d = Driver(today=date(2021, 6, 1))
    d.press("更改年度")
    d.press("2020年")
    assert d.state.answers.format == "gov-2019"


def test_state_survives_json_round_trip_mid_interview() -> None:
    d = start_at_table3()
    d.type("3 1 0 0 0 0")
    data = json.loads(json.dumps(d.state.to_data(), ensure_ascii=False))
    again = State.from_data(data)
    assert again == d.state
    resumed = Driver(again)
    assert resumed.current == "t3.carried_in"


def test_status_lists_what_is_missing() -> None:
    d = start_at_table3()
    d.command("status")
    year = d.state.answers.year
    assert d.text.startswith(
        f"「{d.state.answers.agency}」{year}年度报告\n总进度 4%（已完成 2/43 题）"
    )
    assert "· 基本信息：已完成" in d.text and "· 表三：0/24" in d.text


def test_edit_menu_and_search() -> None:
    d = Driver()
    d.command("edit")
    labels = d.labels()
    assert {"单位名称", "表二", "表三", "表四"} <= set(labels)
    d.command("edit", "国家秘密")
    assert d.current == "t3.denied_secret"
    d.command("edit", "不存在的行")
    assert "没有找到" in d.text


def test_finish_refused_while_errors_remain() -> None:
    d = start_at_table3()
    d._do(Press("f|review"))
    assert d.state.mode is not Mode.DONE


def test_done_report_can_be_reopened() -> None:
    d = finished_zero_report()
    d.command("edit", "行政复议")
    assert d.state.mode is Mode.ASK and d.current == "t4.review"


def test_all_buttons_fit_telegram_limits() -> None:
    d = Driver()
    fill_header(d)
    seen = 0
    for _ in range(60):
        for r in d.replies:
            assert 1 <= len(r.text) <= 4096
            for row_ in r.buttons:
                for b in row_:
                    assert 1 <= len(b.data.encode()) <= 64, b.data
                    seen += 1
        if d.state.mode is not Mode.ASK:
            break
        d.press(d.labels()[0] if d.labels()[0] not in ("更改年度",) else d.labels()[-1])
    assert seen > 50


def finished_zero_report() -> Driver:
    d = Driver()
    fill_header(d)
    for _ in range(5):
        d.press("跳过")
    for _ in range(3):
        d.press("本表全部为0")
    d.narrate("存在的主要问题：公开意识有待加强。改进情况：下一步加强培训，完善制度。" * 2)
    d.press("完成")
    d.press("本年度未收取")
    d.press("无")
    d.press("完成填报")
    assert d.state.mode is Mode.DONE
    return d


def test_answers_file_of_a_finished_interview_is_complete() -> None:
    d = finished_zero_report()
    data = json.loads(to_json(complete_answers(d.state)))
    assert data["agency"] == "呼伦贝尔市人民政府"
    assert data["contact"]["website"] == "www.hlbe.gov.cn"
    assert len(data["cells"]) == len(GOV_2021.cells)


@pytest.mark.parametrize("fmt", [GOV_2021, GOV_2019], ids=lambda f: f.id)
def test_plan_asks_every_input_cell_once(fmt: object) -> None:
    plan = build_plan(fmt)  # type: ignore[arg-type]
    asked = [c for q in plan.questions for c in q.cells]
    assert sorted(asked) == sorted(fmt.input_cells)  # type: ignore[attr-defined]
    assert max(len(q.id) for q in plan.questions) <= 30


def test_last_years_carried_out_is_offered_as_carried_in() -> None:
    from core.answers import Answers

    last = Answers("gov-2021", 2024, "某某县民政局", cells_001_gov2021())
    d = Driver(new_state(date(2026, 1, 10), last=last))
    d.type("某某县民政局")
    d.command("edit", "上年结转")
    assert "按上年报告的「结转下年度继续办理」，建议填：自然人 2" in d.text
    d.press("确认建议值")
    cells = d.state.answers.cells
    assert cells["requests.carried_in.natural"] == 2 and cells["requests.carried_in.business"] == 0
    # Across a change of format nothing is carried over.
    old = Answers("gov-2019", 2020, "某某县民政局", {"requests.carried_out.natural": 5})
    d = Driver(new_state(date(2022, 1, 10), last=old))
    d.type("某某县民政局")
    d.command("edit", "上年结转")
    assert "确认建议值" not in d.labels()
