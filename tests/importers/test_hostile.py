"""Whatever the bytes, reading never raises: damaged, disguised, oversized and hostile files."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.importers import MAX_BYTES, Kind, read_document
from core.wording.importing import fatal_message
from tests.core.rendered import load

from .corpus import RENDERERS

FULL = load("full-2021")
DOCX = RENDERERS["docx"][1](FULL, False)
XLSX = RENDERERS["xlsx"][1](FULL, False)
HTML = RENDERERS["html"][1](FULL, False)
TEXT = RENDERERS["text"][1](FULL, False)


def _fatal(data: bytes, filename: str) -> str:
    imported = read_document(data, filename)
    assert not imported.readable and imported.format is None
    return fatal_message(imported)


def test_oversized_file_is_refused_before_reading() -> None:
    assert "20 MB" in _fatal(b"x" * (MAX_BYTES + 1), "big.txt")


def test_zip_bomb_is_refused_from_declared_sizes() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"\0" * (150 * 1024 * 1024))
    assert len(out.getvalue()) < 1024 * 1024
    assert "异常庞大" in _fatal(out.getvalue(), "bomb.docx")


def test_damaged_zip() -> None:
    assert "已损坏" in _fatal(DOCX[: len(DOCX) // 2], "cut.docx")


def test_zip_without_a_document() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("readme.txt", "hello")
    assert "不是 Word" in _fatal(out.getvalue(), "x.docx")


def test_docx_with_a_corrupt_part() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(DOCX)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            dst.writestr(info, b"<not xml" if info.filename == "word/document.xml" else data)
    assert "Word 文件已损坏" in _fatal(out.getvalue(), "x.docx")


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "旧版 Word"),
        (b"%PDF-1.7\n...", "PDF"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 50, "图片"),
        (b"", "空的"),
        (bytes(range(256)) * 20, "无法识别"),
    ],
)
def test_files_that_are_no_report(data: bytes, words: str) -> None:
    assert words in _fatal(data, "report.docx")


@pytest.mark.parametrize(
    ("data", "filename", "kind"),
    [
        (HTML, "report.docx", Kind.HTML),
        (DOCX, "report.txt", Kind.DOCX),
        (XLSX, "x.docx", Kind.XLSX),
    ],
)
def test_a_file_not_what_its_name_says_is_read_by_content_with_a_note(
    data: bytes, filename: str, kind: Kind
) -> None:
    imported = read_document(data, filename)
    assert imported.kind is kind and imported.format == "gov-2021"
    assert "wrong_extension" in [f.code for f in imported.findings]


@pytest.mark.parametrize("cut", [0.2, 0.5, 0.7, 0.9])
def test_truncated_text_reports_what_is_missing(cut: int) -> None:
    imported = read_document(TEXT[: int(len(TEXT) * cut)], "cut.txt")
    codes = {f.code for f in imported.findings}
    assert imported.readable
    assert codes & {"no_tables", "table_missing", "rows_missing", "section_missing"}


def test_truncated_inside_table_3_names_the_missing_rows() -> None:
    text = TEXT.decode()
    cut = text.index("（五）不予处理")
    imported = read_document(text[:cut].encode(), "cut.txt")
    rows = next(f for f in imported.findings if f.code == "rows_missing")
    assert rows.where == "requests" and "2.重复申请" in rows.text
    assert ("table_missing", "appeals") in {(f.code, f.where) for f in imported.findings}
    assert imported.cells["requests.granted.natural"] == FULL.cells["requests.granted.natural"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000), st.sampled_from(["a.docx", "a.xlsx", "a.html", "a.txt", ""]))
def test_random_bytes_never_crash(data: bytes, filename: str) -> None:
    read_document(data, filename)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_documents_never_crash(data: st.DataObject) -> None:
    source = data.draw(st.sampled_from([DOCX, XLSX, HTML, TEXT]))
    position = data.draw(st.integers(0, len(source) - 1))
    junk = data.draw(st.binary(min_size=1, max_size=64))
    mutated = source[:position] + junk + source[position + len(junk) :]
    read_document(mutated, data.draw(st.sampled_from(["x.docx", "x.xlsx", "x.html", "x.txt"])))


@settings(max_examples=150, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("|\t\n /<>td规章总计（一）0123增减元万 &;")), max_size=400
    )
)
def test_table_like_text_never_crashes(text: str) -> None:
    read_document(text.encode(), "x.txt")
    read_document(f"<table><tr><td>{text}</td></tr></table>".encode(), "x.html")
