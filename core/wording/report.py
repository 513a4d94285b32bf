"""Every Chinese sentence of the rendered report, its preview and its spreadsheet.

Functions take plain values and return text; nothing here decides what is shown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

LAW = "《中华人民共和国政府信息公开条例》"
DRAFT_MARK = "（草稿）"
TITLE_TAIL = "年政府信息公开工作年度报告"
EMPTY_SECTION = "无。"
EMPTY_DRAFT_SECTION = "（待填写）"
BLANK_AGENCY = "（单位名称）"
CN_NUMERALS = "一二三四五六七八九十"


def title(agency: str, year: int, draft: bool) -> str:
    """ "某某县民政局2026年政府信息公开工作年度报告" (with （草稿） for a draft)."""
    return f"{agency or BLANK_AGENCY}{year}{TITLE_TAIL}{DRAFT_MARK if draft else ''}"


def period(year: int) -> str:
    """The statistics period: "2026年1月1日至2026年12月31日"."""
    return f"{year}年1月1日至{year}年12月31日"


def cn_ordinal(index: int) -> str:
    """1 → 一, 12 → 十二, for heading numbers （一）…（十二）."""
    if index <= 10:
        return CN_NUMERALS[index - 1]
    tens, ones = divmod(index, 10)
    head = "" if tens == 1 else CN_NUMERALS[tens - 1]
    return f"{head}十{CN_NUMERALS[ones - 1] if ones else ''}"


def area_heading(index: int, label: str) -> str:
    """A heading over one area of 一、总体情况: "（一）主动公开"."""
    return f"（{cn_ordinal(index)}）{label}"


def opening(
    *,
    document: str,
    parts: Sequence[str],
    year: int,
    agency: str,
    contact: Mapping[str, str],
) -> str:
    """The report's opening paragraph, as agencies word it.

    Args:
        document: The format document, e.g. 国办公开办函〔2021〕30号.
        parts: The six sections' names without their numbers.
        year: The report's year.
        agency: The agency's name (for the contact sentence when no office is given).
        contact: ``office``, ``address``, ``postcode``, ``phone``, ``email``, ``website``.
    """
    numeral = cn_ordinal(len(parts))
    sentences = [
        f"本报告根据{LAW}（以下简称《条例》）和国务院办公厅政府信息与政务公开办公室印发的"
        f"政府信息公开工作年度报告格式（{document}）要求编制。",
        f"全文包括{'、'.join(parts)}{numeral}个部分。",
        f"本报告所列数据的统计期限为{period(year)}。",
    ]
    website = contact.get("website", "").strip()
    if website:
        if any("\u4e00" <= ch <= "\u9fff" for ch in website):
            sentences.append(f"本报告电子版可在{website}下载。")
        else:
            sentences.append(f"本报告电子版可从{website}下载。")
    details = [
        f"{label}：{contact[key].strip()}"
        for key, label in (
            ("address", "地址"),
            ("postcode", "邮编"),
            ("phone", "电话"),
            ("email", "电子邮箱"),
        )
        if contact.get(key, "").strip()
    ]
    office = contact.get("office", "").strip()
    if office or details:
        who = office or agency or "本机关"
        tail = f"（{'；'.join(details)}）" if details else ""
        sentences.append(f"如对本报告有疑问，请与{who}联系{tail}。")
    return "".join(sentences)


# --- The draft's last page ---------------------------------------------------------------------

DRAFT_PAGE_TITLE = "草稿说明：尚待处理的问题"


def draft_summary(errors: int, missing: int, warnings: int) -> str:
    parts = []
    if errors:
        parts.append(f"{errors} 个错误")
    if missing:
        parts.append(f"{missing} 个单元格未填")
    if not parts:
        return f"本草稿数据完整、勾稽关系正确，尚有 {warnings} 个提醒请核实。"
    head = "、".join(parts)
    return f"本草稿尚有{head}，全部处理后才能生成正式报告。"


DRAFT_ERRORS = "错误"
DRAFT_MISSING = "未填的单元格"
DRAFT_WARNINGS = "提醒（请核实，不影响生成报告）"
DRAFT_TEXTS = "未填写的正文"


def draft_heading(index: int, label: str) -> str:
    """ "（一）错误": the parts of the draft page, numbered as they appear."""
    return f"（{cn_ordinal(index)}）{label}"


def missing_row(place: str, columns: Sequence[str], whole: bool) -> str:
    """ "表三「1.属于国家秘密」行：整行未填" or "…：自然人、总计未填"."""
    if whole:
        return f"{place}：整行未填"
    return f"{place}：{'、'.join(columns)}未填"


def missing_text(section_title: str) -> str:
    return f"「{section_title}」尚未填写。"


# --- Preview -----------------------------------------------------------------------------------

PREVIEW_ALL_ZERO = "（本表各项均为 0）"
PREVIEW_BLANK = "未填"


def preview_blank_row(label: str) -> str:
    return f"{label}：{PREVIEW_BLANK}"


def preview_row(label: str, parts: Sequence[tuple[str, str]], total: str | None) -> str:
    """ "（一）予以公开：自然人 50、商业企业 4，总计 55"."""
    body = "、".join(f"{name} {value}" for name, value in parts)
    if total is None:
        return f"{label}：{body}"
    if not body:
        return f"{label}：总计 {total}"
    return f"{label}：{body}，总计 {total}"


# --- Spreadsheet -------------------------------------------------------------------------------

SHEET_RULES = "勾稽检查"
RULES_HEADER = ("序号", "表格", "规则", "范围", "状态", "说明")
STATUS_PASS = "通过"
STATUS_ERROR = "错误"
STATUS_INCOMPLETE = "未完成"
INCOMPLETE_NOTE = "有单元格未填，暂不能判断"


def sheet_subtitle(agency: str, year: int) -> str:
    return f"填报单位：{agency or BLANK_AGENCY}　　统计期限：{period(year)}"
