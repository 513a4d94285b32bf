"""Report files rendered in worker processes (bot/rendering.py)."""

from __future__ import annotations

import io
import os
import signal
from concurrent.futures import ProcessPoolExecutor
from datetime import date

import docx
import openpyxl

from bot import rendering
from core.answers import Answers
from core.formats import GOV_2021

TODAY = date(2026, 1, 20)


def _answers() -> Answers:
    cells = {cid: 0 for cid, cell in GOV_2021.cells.items() if not cell.computed}
    return Answers("gov-2021", 2025, "某某县民政局", cells, {})


async def test_files_render_in_a_worker_process() -> None:
    answers = _answers()
    docx_bytes = await rendering.render("docx", answers, TODAY, draft=False)
    xlsx_bytes = await rendering.render("xlsx", answers, TODAY, draft=False)
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(docx_bytes)).paragraphs)
    assert "某某县民政局2025年政府信息公开工作年度报告" in text.replace("\n", "")
    assert "表三" in openpyxl.load_workbook(io.BytesIO(xlsx_bytes)).sheetnames
    pool = rendering._pool
    assert isinstance(pool, ProcessPoolExecutor)
    workers = pool._processes or {}
    assert workers and all(pid != os.getpid() for pid in workers)


async def test_a_draft_says_so() -> None:
    answers = _answers().with_cells({"proactive.rules.issued": None})
    draft = await rendering.render("docx", answers, TODAY, draft=True)
    assert "草稿" in "".join(p.text for p in docx.Document(io.BytesIO(draft)).paragraphs)


async def test_a_killed_worker_costs_no_file() -> None:
    answers = _answers()
    await rendering.render("docx", answers, TODAY, draft=False)  # the pool is up
    pool = rendering._pool
    assert isinstance(pool, ProcessPoolExecutor)
    for pid in list(pool._processes or {}):
        os.kill(pid, signal.SIGKILL)
    # The file being rendered when its worker dies, and every one after, still arrives.
    again = await rendering.render("docx", answers, TODAY, draft=False)
    after = await rendering.render("xlsx", answers, TODAY, draft=False)
    assert docx.Document(io.BytesIO(again)).tables
    assert openpyxl.load_workbook(io.BytesIO(after)).sheetnames
