"""The ``nianbao`` command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``nianbao`` command."""
    args = build_parser().parse_args(argv)
    if args.command == "check":
        from .check_cmd import run_check

        return run_check(args.file, args.json, args.last_year)
    if args.command == "console":
        from .console import run_console

        return run_console(args.answers, args.format, args.last_year)
    return 2


if __name__ == "__main__":
    sys.exit(main())
