"""Chinese wording for reading and checking a published report (``core.importers``)."""

from __future__ import annotations

from collections.abc import Sequence

from ..formats import FORMATS, Format
from ..importers.checking import DocumentCheck, SlashGroup
from ..importers.model import Finding, Imported, Kind, Status
from ..importers.sections import SECTIONS
from .rules import describe_full

KIND_NAMES = {
    Kind.DOCX: "Word 文件（.docx）",
    Kind.XLSX: "Excel 表格（.xlsx）",
    Kind.HTML: "网页（HTML）",
    Kind.TEXT: "文本",
}
FORMAT_NAMES = {"gov-2021": "2021年起格式", "gov-2019": "2019年格式"}
TABLE_NAMES = {
    "proactive": "表二（主动公开政府信息情况）",
    "requests": "表三（收到和处理政府信息公开申请情况）",
    "appeals": "表四（政府信息公开行政复议、行政诉讼情况）",
}
TABLE_SHORT = {"proactive": "表二", "requests": "表三", "appeals": "表四"}
SECTION_TITLES = dict(
    zip(
        SECTIONS,
        (
            "一、总体情况",
            "二、主动公开政府信息情况",
            "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况",
            "五、存在的主要问题及改进情况",
            "六、其他需要报告的事项",
        ),
        strict=True,
    )
)
_OFFICE = "请发送 Word（.docx）、网页（.html）、网页文字（.txt）或本系统导出的 Excel（.xlsx）文件。"

MESSAGES = {
    # Files that cannot be read at all.
    "too_large": "文件太大（约 {text} MB，上限 20 MB），没有读取。" + _OFFICE,
    "empty": "文件是空的。" + _OFFICE,
    "binary_ole": "这是旧版 Word/Excel 文件（.doc/.xls）或加了密码的文件，无法读取：请在 Word 或 WPS 中另存为 .docx（表格另存为 .xlsx）后再发送。",
    "binary_pdf": "这是 PDF 文件，无法读取其中的表格。" + _OFFICE,
    "binary_image": "这是图片，无法读取其中的数字。" + _OFFICE,
    "binary_archive": "这是压缩包：请解压后只发送报告文件。",
    "binary_rtf": "这是 RTF 文件：请在 Word 或 WPS 中另存为 .docx 后再发送。",
    "binary": "文件内容无法识别{ext}，不是文字、网页、Word 或 Excel 文件。" + _OFFICE,
    "damaged_zip": "文件已损坏{ext}（压缩结构不完整），无法读取：请重新下载或重新保存后再发送。",
    "zip_bomb": "文件解压后异常庞大，为安全起见没有读取：请确认发送的是年度报告本身。",
    "encrypted": "文件设置了密码，无法读取：请去掉密码后再发送。",
    "other_zip": "这个压缩文件{ext}不是 Word（.docx）或 Excel（.xlsx）文件。" + _OFFICE,
    "damaged_docx": "Word 文件已损坏，无法读取：请在 Word 或 WPS 中打开后另存为 .docx 再发送。",
    "damaged_xlsx": "Excel 文件已损坏，无法读取：请在 Excel 或 WPS 中打开后另存为 .xlsx 再发送。",
    "huge_sheet": "这个 Excel 文件中的工作表远大于年度报告的表格（数以十万计的单元格），为免长时间处理没有读取：请只发送年度报告的表格（表二至表四）。",
    "unreadable": "文件结构异常，无法读取。" + _OFFICE,
    # What reading found.
    "wrong_extension": "文件扩展名是 .{where}，但内容是{kind}，已按{kind}读取。",
    "no_tables": "没有找到表二、表三、表四（可能是统一格式实施前的报告，或表格是图片），无法核对数字。",
    "table_missing": "没有找到{table}，文件可能不完整。",
    "rows_missing": "{table}缺少这些行：{text}（文件可能不完整，或行名写法不同）。",
    "section_missing": "没有找到「{section}」部分。",
    "unrecognised_row": "{table}有一行无法识别：「{text}」，这一行的数字没有读取。",
    "unrecognised_column": "{table}有一列无法识别：「{text}」。",
    "extra_values": "{table}「{text}」行的数字比规定的列多，多出的没有读取。",
    "duplicate_row": "{table}「{text}」行出现了两次且数字不同，以第一次为准。",
    "format_from_year": "表格中没有能区分两种格式的行或列，按报告年度（{text}年）视为{format}。",
    "too_many_cells": "表格部分超过 {text} 个单元格，远多于年度报告的表格，只读取了前面的部分。",
    "year_unknown": "没有找到报告年度（标题或统计期限中均未写明）。",
}


def describe_finding(finding: Finding) -> str:
    """One sentence for a finding."""
    ext = f"（扩展名 .{finding.text}）" if finding.code != "too_large" and finding.text else ""
    kind = KIND_NAMES.get(Kind(finding.text), finding.text) if finding.text in set(Kind) else ""
    template = MESSAGES.get(finding.code, "读取时发现问题：{code}")
    return template.format(
        code=finding.code,
        where=finding.where,
        text=finding.text,
        ext=ext,
        kind=kind,
        table=TABLE_SHORT.get(finding.where, finding.where)
        if finding.code != "table_missing"
        else TABLE_NAMES.get(finding.where, finding.where),
        section=SECTION_TITLES.get(finding.where, finding.where),
        format=FORMAT_NAMES.get(finding.where, finding.where),
    )


def fatal_message(imported: Imported) -> str:
    """Why nothing could be read: the first fatal finding's sentence."""
    for finding in imported.findings:
        if finding.fatal:
            return describe_finding(finding)
    return MESSAGES["unreadable"]


def head(imported: Imported) -> str:
    """ "已读取 Word 文件（.docx）：某某县民政局2025年度报告，2021年起格式。" """
    kind = KIND_NAMES.get(imported.kind, "文件") if imported.kind else "文件"
    who = imported.agency or "（未写明单位）"
    year = f"{imported.year}年度报告" if imported.year else "（未写明年度）报告"
    fmt = f"，{FORMAT_NAMES[imported.format]}" if imported.format else ""
    return f"已读取{kind}：{who}{year}{fmt}。"


def found_line(imported: Imported) -> str:
    tables = "、".join(TABLE_SHORT[t] for t in imported.tables_found) or "无"
    sections = "、".join(SECTION_TITLES[s].split("、")[0] for s in imported.sections_found) or "无"
    return f"找到的表格：{tables}；找到的部分：{sections}。"


def summary(check: DocumentCheck) -> str:
    imp = check.imported
    if imp.format is None:
        return "没有可核对的表格数据。"
    blank = len(imp.cells_with(Status.BLANK))
    slash = len(imp.cells_with(Status.SLASH))
    unreadable = len(imp.cells_with(Status.UNREADABLE))
    missing = len(imp.cells_with(Status.MISSING))
    parts = [f"{len(check.errors)} 个错误", f"{len(check.warnings)} 个提醒"]
    for count, what in (
        (blank, "个空白单元格"),
        (slash, "个“/”单元格"),
        (unreadable, "个无法识别的数字"),
        (missing, "个单元格未找到"),
    ):
        if count:
            parts.append(f"{count} {what}")
    verdict = "数据完整，勾稽关系全部正确。" if check.valid and not check.warnings else ""
    return "检查结果：" + "，".join(parts) + "。" + verdict


def cell_groups(fmt: Format, ids: Sequence[str]) -> list[str]:
    """Cells grouped by printed row: "表三「二、上年结转政府信息公开申请数量」行：其他"."""
    wanted = set(ids)
    rows: dict[tuple[str, str], list[str]] = {}
    totals: dict[tuple[str, str], int] = {}
    for cell in fmt.cells.values():
        line = "·".join(cell.row_path[-2:] if len(cell.row_path) > 2 else cell.row_path)
        if cell.table == "appeals":
            line = "·".join(cell.col_path[:-1])
        k = (cell.table, line)
        totals[k] = totals.get(k, 0) + 1
        if cell.id in wanted:
            rows.setdefault(k, []).append(cell.col_path[-1])
    out = []
    for (table, line), cols in rows.items():
        place = f"{TABLE_SHORT[table]}「{line}」" + ("" if table == "appeals" else "行")
        out.append(
            f"{place}：整行"
            if len(cols) == totals[(table, line)] and len(cols) > 1
            else f"{place}：{'、'.join(cols)}"
        )
    return out


def slash_line(fmt: Format, group: SlashGroup) -> str:
    places = cell_groups(fmt, group.cells)
    where = "；".join(places[:3]) + ("等" if len(places) > 3 else "")
    if group.scope == "table":
        where = TABLE_NAMES[fmt.cells[group.cells[0]].table] + "整表"
    if group.legitimate:
        return f"{where}为“/”（不适用），可以理解；本系统生成报告时请填 0 或实际数字。"
    return f"{where}为“/”：这里应填数字（没有请填 0）。"


def report_lines(check: DocumentCheck) -> list[str]:
    """The whole check, one line per item, for the command line and the chat."""
    imp = check.imported
    lines = [head(imp), found_line(imp), summary(check)]
    fmt = FORMATS[imp.format] if imp.format else None
    if fmt is not None:
        lines.extend(describe_full(fmt, v) for v in check.violations)
        for status, label in (
            (Status.BLANK, "空白单元格"),
            (Status.UNREADABLE, "无法识别的数字"),
            (Status.MISSING, "没有找到的单元格"),
        ):
            ids = imp.cells_with(status)
            if ids:
                groups = cell_groups(fmt, ids)
                shown = groups[:12] + (
                    [f"……另有 {len(groups) - 12} 行"] if len(groups) > 12 else []
                )
                lines.append(f"{label}（{len(ids)} 个）：" + "；".join(shown))
                if status is Status.UNREADABLE:
                    quoted = "、".join(f"「{imp.sources[c].text}」" for c in ids[:8])
                    lines.append(f"  原文：{quoted}")
        lines.extend(slash_line(fmt, g) for g in check.slashes)
    lines.extend(describe_finding(f) for f in imp.findings if not f.fatal)
    return lines
