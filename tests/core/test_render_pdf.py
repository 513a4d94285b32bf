"""LibreOffice opens the rendered .docx: it converts to PDF and page 1 becomes a PNG.

CI installs ``libreoffice-writer``, ``poppler-utils`` and ``fonts-noto-cjk`` (see ``.ci/run``).
The official fonts (仿宋_GB2312, 方正小标宋简体, …) are not free; ``fixtures/fonts/fonts.conf``
maps them to Noto CJK for the conversion. To refresh ``docs/report-page1.png`` after a layout
change, run ``.venv/bin/python -m tests.core.test_render_pdf``.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from core.render_docx import render_docx

from .rendered import REPORT_DATE, load

ROOT = Path(__file__).resolve().parents[2]
FONTS = ROOT / "tests" / "fixtures" / "fonts" / "fonts.conf"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def page_one_png(workdir: Path, dpi: int = 100) -> Path:
    """Render full-2021, convert it with LibreOffice and return page 1 as a PNG."""
    source = workdir / "report.docx"
    source.write_bytes(render_docx(load("full-2021"), report_date=REPORT_DATE))
    env = {**os.environ, "FONTCONFIG_FILE": str(FONTS), "HOME": str(workdir)}
    # A profile of its own, so that a running LibreOffice or a parallel test cannot interfere.
    profile = f"-env:UserInstallation=file://{workdir / 'profile'}"
    subprocess.run(
        ["soffice", profile, "--headless", "--convert-to", "pdf", "--outdir", str(workdir), source],
        check=True,
        capture_output=True,
        env=env,
        timeout=180,
    )
    pdf = workdir / "report.pdf"
    assert pdf.stat().st_size > 10_000
    stem = workdir / "page"
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile", pdf, stem],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return stem.with_suffix(".png")


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    assert data[:8] == PNG_SIGNATURE and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


needs_tools = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftoppm") is None,
    reason="LibreOffice (libreoffice-writer) and pdftoppm (poppler-utils) are not installed; "
    "CI installs them",
)


@needs_tools
def test_libreoffice_converts_the_report_and_page_one_is_a_png(tmp_path: Path) -> None:
    png = page_one_png(tmp_path)
    width, height = png_size(png.read_bytes())
    # A4 portrait at 100 dpi: 827 × 1169 pixels (give or take LibreOffice's rounding).
    assert abs(width - 827) <= 1 and abs(height - 1169) <= 1
    pages = subprocess.run(
        ["pdfinfo", tmp_path / "report.pdf"], capture_output=True, text=True, check=True
    ).stdout
    assert (
        int(next(line for line in pages.splitlines() if line.startswith("Pages:")).split()[1]) > 3
    )
    text = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", tmp_path / "report.pdf", "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "青山县人力资源和社会保障局" in text
    assert "—1—" in "".join(text.split())


def test_the_committed_page_one_image_is_a_png() -> None:
    png = ROOT / "docs" / "report-page1.png"
    assert png_size(png.read_bytes())[1] > png_size(png.read_bytes())[0]


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        image = page_one_png(Path(tmp), dpi=110)
        shutil.copyfile(image, ROOT / "docs" / "report-page1.png")
    print("docs/report-page1.png refreshed")
