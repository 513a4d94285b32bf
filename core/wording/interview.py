"""Every sentence the interview says. Functions take plain values and return Chinese text."""

from __future__ import annotations

from collections.abc import Sequence

# Button labels (kept short: they must fit a phone's keyboard row).
BTN_ZERO = "全部为0"
BTN_GROUP_ZERO = "本组全部为0"
BTN_BLOCK_ZERO = "本项全部为0"
BTN_TABLE_ZERO = "本表全部为0"
BTN_ACCEPT = "确认建议值"
BTN_BACK = "返回上一题"
BTN_LATER = "稍后再填"
BTN_DONE = "完成"
BTN_CLEAR = "清空重写"
BTN_SKIP = "跳过"
BTN_NONE = "无"
BTN_NO_FEE = "本年度未收取"
BTN_FINISH = "完成填报"
BTN_CHANGE_YEAR = "更改年度"
BTN_CONFIRM = "确认无误"

NO_FEE_TEXT = "本年度未收取信息处理费。"


def fee_text(amount: str) -> str:
    return f"本年度共收取信息处理费{amount}元。"


def progress_line(where: str, pct: int) -> str:
    return f"{where} · 总进度 {pct}%"


def row_where(table_short: str, index: int, total: int) -> str:
    return f"{table_short} · 第 {index}/{total} 行"


def ask_agency(year: int, document: str) -> str:
    return (
        f"报告年度：{year}年（按{document}格式填报）。\n"
        "请发送本单位全称，将用于报告标题，例如「某某县民政局」。"
    )


def ask_contact() -> str:
    return (
        "请发送报告开头公布的联系方式（有哪项写哪项，可一条发完），例如：\n"
        "联系部门：县政府办公室\n地址：某某县人民路1号\n邮编：012345\n"
        "电话：0471-1234567\n网址：www.example.gov.cn（电子版下载地址）\n"
        "不需要可点「跳过」。"
    )


CONTACT_LABELS = {
    "office": "联系部门",
    "address": "地址",
    "postcode": "邮编",
    "phone": "电话",
    "email": "电子邮箱",
    "website": "网址",
}


def _echo(text: str, limit: int) -> str:
    """What the user typed, shown back: cut with "…" when long (a reply has 4096 units)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def contact_saved(contact: dict[str, str]) -> str:
    lines = [f"{CONTACT_LABELS[k]}：{_echo(v, 200)}" for k, v in contact.items() if v]
    return "已记录联系方式：\n" + "\n".join(lines) if lines else "已跳过联系方式。"


def contact_too_long(problems: list[tuple[str, int, int]]) -> str:
    lines = [
        f"「{CONTACT_LABELS[key]}」有 {length} 个字，最多 {limit} 个字"
        for key, limit, length in problems
    ]
    return (
        "联系方式没有保存：" + "；".join(lines) + "。\n"
        "请每项另起一行、以「电话：」「地址：」等开头，删减后重新发送全部联系方式。"
    )


def agency_saved(name: str) -> str:
    return f"已记录单位名称：{name}"


def agency_invalid() -> str:
    return "单位名称应为 2 到 60 个字，例如「某某县民政局」，请重新发送。"


def choose_year(current: int) -> str:
    return f"当前报告年度为 {current} 年。请选择要填报的年度："


def year_changed(year: int, document: str, dropped: int) -> str:
    text = f"报告年度已改为 {year} 年（按{document}格式）。"
    if dropped:
        text += f"新格式中没有的 {dropped} 个数已移除，请在相应表格中重新填写。"
    return text


def ask_row(
    *,
    where: str,
    path: Sequence[str],
    names: Sequence[str],
    example: str,
    unit_hint: str,
    current: Sequence[str],
    implied: Sequence[str],
    proposal: Sequence[str],
    proposal_reason: str = "",
    hint: str,
) -> str:
    lines = [where, " › ".join(p for p in path if p)]
    if len(names) == 1:
        lines.append(f"请发送「{names[0]}」的{unit_hint}，例如 {example}。")
    else:
        lines.append(f"请按顺序发送 {len(names)} 个数：{'、'.join(names)}")
        lines.append(f"例如：{example}")
        lines.append(f"也可写明列名，例如「{names[0]}3 {names[-1]}1」，未写的列按 0 计。")
    if implied:
        lines.append(f"（{'、'.join(implied)}已没有未计入的申请，只能为 0，已自动填入）")
    if current:
        lines.append(f"当前已填：{'、'.join(current)}")
    if proposal:
        lines.append(
            f"{proposal_reason}，建议填：{'、'.join(proposal)}。"
            "正确请点「确认建议值」，否则请发送实际数字。"
        )
    if hint:
        lines.append(f"注意：{hint}")
    return "\n".join(lines)


def row_saved(parts: Sequence[str], total: str, notes: Sequence[str]) -> str:
    text = "已记录：" + "、".join(parts)
    if total:
        text += f"，总计 {total}"
    text += "。"
    for n in notes:
        text += "\n" + n
    return text


def zeroed(what: str) -> str:
    return f"已将「{what}」全部记为 0。"


def converted(typed: str, value: str, unit: str) -> str:
    return f"已按 {typed} = {value}{unit} 记录。"


def auto_zero(count: int) -> str:
    return f"按勾稽关系，其余 {count} 个单元格只能为 0，已自动填入。"


def ask_text(where: str, label: str, prompt: str, length: int, optional: bool) -> str:
    lines = [where, f"【{label}】", prompt]
    if length:
        lines.append(
            f"已填 {length} 字。可继续发送补充，发完点「完成」；点「清空重写」可重新填写。"
        )
    else:
        lines.append("可分几条发送，每条会接在前面；发完点「完成」。")
        if optional:
            lines.append("本部分没有可写的内容可点「跳过」。")
    return "\n".join(lines)


def text_saved(length: int, label: str) -> str:
    return f"已记录「{label}」，目前共 {length} 字。可继续发送补充，或点「完成」。"


def text_short(length: int) -> str:
    return f"提示：这一部分只有 {length} 字，比一般报告短，确认完整后再点「完成」。"


def text_same_as_last() -> str:
    return "提示：这一部分与上年报告的文字完全相同，请确认已按本年度情况更新。"


def text_empty_done() -> str:
    return "这一部分还没有内容：请先发送文字，或点「跳过」。"


def text_required() -> str:
    return "这一部分是报告必备内容，不能跳过：请发送文字，也可以先点「稍后再填」。"


def text_cleared(label: str) -> str:
    return f"已清空「{label}」，请重新发送。"


def ask_fee(where: str) -> str:
    return (
        f"{where}\n【信息处理费】本年度是否按《政府信息公开信息处理费管理办法》收取信息处理费？\n"
        "未收取请点「本年度未收取」；收取了请发送金额，例如「1200元」。"
    )


def fee_saved(text: str) -> str:
    return f"已记录：{_echo(text, 300)}"


def deferred(label: str) -> str:
    return f"「{label}」留待稍后填写，完成前会再提醒。"


def went_back() -> str:
    return "已返回上一题。"


def nothing_before() -> str:
    return "已经是第一题了。"


def stale_button() -> str:
    return "这个按钮已过期（对应的问题已回答或已离开）。当前的问题是："


def unknown_button() -> str:
    return "无法识别这个按钮，可能是旧版本留下的。当前的问题是："


REASON_BALANCE = "按勾稽关系（第一项加第二项之和，等于第三项加第四项之和）计算"
REASON_LAST_YEAR = "按上年报告的「结转下年度继续办理」"


def no_proposal() -> str:
    return "这一行目前没有可确认的建议值，请直接发送数字。"


def press_buttons_hint() -> str:
    return "这一题请点下方按钮，或发送文字。"


def review_head(errors: int, warnings: int, missing: int) -> str:
    if not (errors or warnings or missing):
        return "检查完毕：所有数据已填写，勾稽关系全部正确。点「完成填报」结束，之后可预览和下载。"
    parts = []
    if missing:
        parts.append(f"{missing} 处未填")
    if errors:
        parts.append(f"{errors} 个错误")
    if warnings:
        parts.append(f"{warnings} 个提醒待确认")
    return (
        "检查结果："
        + "，".join(parts)
        + "。错误必须改正；提醒请确认无误，或发送说明（如「1：因机构改革数据口径调整」）。"
    )


def review_missing(labels: Sequence[str]) -> str:
    shown = "、".join(labels[:12])
    more = f"等 {len(labels)} 处" if len(labels) > 12 else ""
    return f"未填：{shown}{more}"


def warning_line(index: int, text: str, note: str | None) -> str:
    status = "" if note is None else ("（已确认）" if not note else f"（说明：{note}）")
    return f"{index}. {text}{status}"


def ack_saved(index: int) -> str:
    return f"第 {index} 条提醒已确认。"


def note_saved(index: int) -> str:
    return f"已记录第 {index} 条提醒的说明。"


def note_which() -> str:
    return "有多条提醒，请在说明前写明序号，例如「2：本年机构调整，口径有变化」。"


def note_bad_index(count: int) -> str:
    return f"没有这一条提醒：序号应在 1 到 {count} 之间。"


def finish_blocked() -> str:
    return "还不能完成：请先填完、改正全部错误并确认每条提醒。"


def finished(agency: str, year: int) -> str:
    return (
        f"「{agency}{year}年政府信息公开工作年度报告」已填报完成。"
        "可用 /preview 预览、/download 下载；如需修改，用 /edit 跳到任意部分。"
    )


def already_done() -> str:
    return "报告已完成。如需修改请用 /edit 选择要改的部分，或 /preview 预览。"


def edit_menu() -> str:
    return "要修改哪一部分？点下方按钮跳转；也可以发送 /edit 加行名，例如「/edit 不予公开」。"


def edit_not_found(query: str) -> str:
    return f"没有找到「{_echo(query, 30)}」：请发送表名或行名的一部分，例如「表三」「予以公开」「行政复议」。"


def status_text(
    agency: str,
    year: int,
    pct: int,
    done: int,
    total: int,
    parts: Sequence[tuple[str, int, int]],
    errors: int,
) -> str:
    lines = [
        f"「{agency or '本单位'}」{year}年度报告",
        f"总进度 {pct}%（已完成 {done}/{total} 题）",
    ]
    for name, d, t in parts:
        state = "已完成" if d == t else f"{d}/{t}"
        lines.append(f"· {name}：{state}")
    if errors:
        lines.append(f"目前有 {errors} 个错误待改正，发送 /review 查看。")
    return "\n".join(lines)


def fix_button(name: str) -> str:
    label = name if len(name) <= 12 else name[:11] + "…"
    return f"改「{label}」"


def violations_head() -> str:
    return "发现问题："
