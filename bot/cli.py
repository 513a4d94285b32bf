"""The ``nianbao`` command line."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .config import Settings


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nianbao",
        description="年报：政府信息公开工作年度报告填报工具",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = sub.add_parser("check", help="检查答案文件：勾稽关系、缺项和提醒")
    check.add_argument("file", metavar="FILE", help="答案文件（JSON）")
    check.add_argument("--json", action="store_true", help="以 JSON 输出结果")
    check.add_argument("--last-year", metavar="FILE", help="上年的答案文件，用于跨年度核对")

    console = sub.add_parser("console", help="在终端中逐题填写报告")
    console.add_argument(
        "--answers",
        metavar="FILE",
        default="nianbao-answers.json",
        help="答案文件：每一步都保存到这里，已有则从中继续（默认 nianbao-answers.json）",
    )
    console.add_argument("--format", choices=["gov-2021", "gov-2019"], help="报告格式")
    console.add_argument("--last-year", metavar="FILE", help="上年的答案文件，用于跨年度核对")

    render = sub.add_parser("render", help="生成报告：.docx 正式文本、.xlsx 表格、文字预览")
    render.add_argument("file", metavar="ANSWERS.json", help="答案文件（JSON）")
    render.add_argument("-o", "--output", metavar="REPORT.docx", help="生成的报告（.docx）")
    render.add_argument("--xlsx", metavar="TABLES.xlsx", help="另存表二至表四和勾稽检查（.xlsx）")
    render.add_argument("--text", action="store_true", help="在终端输出全文预览")
    render.add_argument("--draft", action="store_true", help="有错误或未填项时也生成（草稿）")
    render.add_argument(
        "--date", type=date.fromisoformat, metavar="YYYY-MM-DD", help="落款日期（默认今天）"
    )

    add_aggregate_command(sub)
    add_storage_commands(sub)
    remind = sub.add_parser("remind", help="按截止日期检查并发送一次提醒（可指定时刻，用于核对）")
    remind.add_argument(
        "--at", metavar="TIME", help="按这一时刻检查，例如 2027-01-24T09:00+08:00（默认现在）"
    )
    remind.add_argument("--dry-run", action="store_true", help="只列出将发送的提醒，不发送、不记录")
    sub.add_parser(
        "run",
        help="启动 Telegram 机器人（设置 WEBHOOK_URL 时用 webhook，否则用长轮询）",
    )
    health = sub.add_parser("health", help="检查运行中的机器人是否正常（容器的健康检查）")
    health.add_argument(
        "--url", help="要检查的地址（默认按设置：本机 PORT 或 METRICS_PORT 的 /healthz）"
    )
    health.add_argument("--timeout", type=float, default=5.0, metavar="SECONDS", help="超时秒数")
    playground = sub.add_parser(
        "playground", help="本地试用：无需 Telegram，在浏览器中与真实的机器人对话（多个角色）"
    )
    playground.add_argument(
        "--host", default="127.0.0.1", help="试用页面的地址，只能是本机（默认 127.0.0.1）"
    )
    playground.add_argument("--port", type=int, default=8080, help="试用页面的端口（默认 8080）")
    return parser


def add_aggregate_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """aggregate: sum agencies' answers files into the consolidated report."""
    agg = sub.add_parser("aggregate", help="汇总各单位的答案文件，生成本级报告的答案文件和汇总表")
    agg.add_argument("files", nargs="+", metavar="ANSWERS.json", help="各单位的答案文件（JSON）")
    agg.add_argument(
        "-o", "--output", required=True, metavar="SUM.json", help="汇总结果（答案文件）"
    )
    agg.add_argument("--agency", default="", metavar="NAME", help="本级报告的单位名称")
    agg.add_argument(
        "--office", default="", metavar="NAME", help="汇总编制的机关（默认同单位名称）"
    )
    agg.add_argument("--xlsx", metavar="COMPILATION.xlsx", help="另存汇总表：各单位逐行数据和合计")
    agg.add_argument("--own", metavar="OWN.json", help="本级已有的报告，与各单位合计逐项比对")
    agg.add_argument(
        "--blank-as-zero", action="store_true", help="未填的单元格按 0 计入合计（默认拒绝汇总）"
    )


def add_storage_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """migrate, export, import, backup: the database named by DATABASE_URL."""
    sub.add_parser("migrate", help="把数据库升级到最新结构（DATABASE_URL 指定的数据库）")
    export = sub.add_parser("export", help="把数据库中的报告导出为答案文件")
    export.add_argument("--agency", type=int, required=True, metavar="ID", help="单位 ID")
    export.add_argument("--year", type=int, required=True, metavar="YYYY", help="报告年度")
    export.add_argument("-o", "--output", required=True, metavar="FILE", help="答案文件（JSON）")
    imp = sub.add_parser("import", help="把答案文件导入数据库（新建或整体替换该单位该年度的报告）")
    imp.add_argument("file", metavar="FILE", help="答案文件（JSON）")
    imp.add_argument("--agency", type=int, required=True, metavar="ID", help="单位 ID")
    backup = sub.add_parser("backup", help="在线备份 SQLite 数据库（PostgreSQL 请用 pg_dump）")
    backup.add_argument("-o", "--output", required=True, metavar="FILE", help="备份文件")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``nianbao`` command."""
    args = build_parser().parse_args(argv)
    if args.command == "check":
        from .check_cmd import run_check

        return run_check(args.file, args.json, args.last_year)
    if args.command == "console":
        from .console import run_console

        return run_console(args.answers, args.format, args.last_year)
    if args.command == "render":
        from .render_cmd import run_render

        return run_render(args.file, args.output, args.xlsx, args.text, args.draft, args.date)
    if args.command == "aggregate":
        from .aggregate_cmd import run_aggregate

        return run_aggregate(
            args.files,
            args.output,
            agency=args.agency,
            office=args.office,
            xlsx=args.xlsx,
            own_path=args.own,
            blank_as_zero=args.blank_as_zero,
        )
    if args.command in ("migrate", "export", "import", "backup"):
        return run_storage_command(args)
    if args.command == "remind":
        from .remind_cmd import run_remind

        return run_remind(load_settings(), args.at, args.dry_run)
    if args.command == "run":
        from .run import run_bot

        return run_bot(load_settings())
    if args.command == "health":
        from .health_cmd import run_health

        return run_health(load_settings(), args.url, args.timeout)
    if args.command == "playground":
        from .playground import run_playground

        return run_playground(load_settings(), args.host, args.port)
    return 2


def load_settings() -> Settings:
    """The settings from the environment; malformed ones end the program with one sentence."""
    from pydantic import ValidationError

    from . import texts_ops
    from .config import Settings

    try:
        return Settings()
    except ValidationError as exc:
        problems = "；".join(_settings_problem(dict(e)) for e in exc.errors())
        sys.stderr.write(texts_ops.SETTINGS_INVALID.format(problems=problems) + "\n")
        raise SystemExit(2) from None


def _settings_problem(error: dict[str, Any]) -> str:
    """One refused setting in Chinese: its variable, why, and (unless secret) what was given."""
    from . import texts_ops

    name = ".".join(str(part) for part in error["loc"])
    context = {
        k: int(v) if isinstance(v, float) and v.is_integer() else v
        for k, v in (error.get("ctx") or {}).items()
    }
    if "expected" in context:  # "'text' or 'json'"
        context["expected"] = "、".join(re.findall(r"'([^']*)'", str(context["expected"])))
    why = texts_ops.SETTINGS_WHY.get(error["type"], texts_ops.SETTINGS_WHY_OTHER)
    try:
        why = why.format(**context)
    except (KeyError, IndexError):
        why = texts_ops.SETTINGS_WHY_OTHER
    given = error.get("input")
    if isinstance(given, str | int | float) and not any(w in name for w in ("TOKEN", "SECRET")):
        why += texts_ops.SETTINGS_GIVEN.format(value=str(given)[:40])
    return texts_ops.SETTINGS_PROBLEM.format(name=name, value=why)


def run_storage_command(args: argparse.Namespace) -> int:
    """Dispatch migrate, export, import and backup with the settings from the environment."""
    from . import storage_cmd

    settings = load_settings()
    if args.command == "migrate":
        return storage_cmd.run_migrate(settings)
    if args.command == "export":
        return storage_cmd.run_export(settings, args.agency, args.year, args.output)
    if args.command == "import":
        return storage_cmd.run_import(settings, args.file, args.agency)
    return storage_cmd.run_backup(settings, args.output)


if __name__ == "__main__":
    sys.exit(main())
