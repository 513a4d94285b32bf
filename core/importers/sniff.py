"""What a file really holds, judged from its bytes, and whether it is safe to open.

Checked before any parser sees the bytes: the size (20 MB), and for a zip archive (.docx, .xlsx)
the number of members and their declared uncompressed sizes - a zip bomb is refused without
inflating anything. ``zipfile`` never inflates a member past its declared size (it fails the CRC
instead), so the declared sizes bound the memory a parser can use.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from .model import Finding, Kind

MAX_BYTES = 20 * 1024 * 1024
MAX_UNZIPPED = 200 * 1024 * 1024  # all members together
MAX_MEMBER = 100 * 1024 * 1024
MAX_MEMBERS = 5000
MAX_RATIO = 200  # a member inflating more than this is a bomb, not a document

EXTENSIONS: dict[str, Kind] = {
    "docx": Kind.DOCX,
    "xlsx": Kind.XLSX,
    "html": Kind.HTML,
    "htm": Kind.HTML,
    "txt": Kind.TEXT,
    "text": Kind.TEXT,
}
# Old binary Office files, PDFs and images people send instead of a report.
_MAGIC = (
    (b"\xd0\xcf\x11\xe0", "ole"),
    (b"%PDF", "pdf"),
    (b"\x89PNG", "image"),
    (b"\xff\xd8\xff", "image"),
    (b"GIF8", "image"),
    (b"Rar!", "archive"),
    (b"7z\xbc\xaf", "archive"),
    (b"\x1f\x8b", "archive"),
    (b"{\\rtf", "rtf"),
)
_HTML = re.compile(
    rb"<\s*(?:!doctype\s+html|html|head|body|table|p|div|meta|tr|td|span|br)\b", re.I
)
_CHARSET = re.compile(rb"""charset\s*=\s*["']?\s*([a-z0-9_\-]+)""", re.I)


@dataclass(frozen=True)
class Sniffed:
    """The kind the bytes hold, the text for text kinds, and findings (fatal when unreadable)."""

    kind: Kind | None
    text: str = ""
    findings: tuple[Finding, ...] = ()


def extension(filename: str) -> str:
    name = filename.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def sniff(data: bytes, filename: str = "") -> Sniffed:
    """Decide what ``data`` is; never raises."""
    ext = extension(filename)
    claimed = EXTENSIONS.get(ext)
    if len(data) > MAX_BYTES:
        return _fatal("too_large", str(len(data) // (1024 * 1024)))
    if not data.strip():
        return _fatal("empty")
    if data.startswith(b"PK"):
        return _zip(data, claimed, ext)
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return _fatal(f"binary_{what}", ext)
    text = decode(data)
    if text is None:
        return _fatal("binary", ext)
    kind = Kind.HTML if _HTML.search(data[:4096]) else Kind.TEXT
    return _with_claim(Sniffed(kind, text), claimed, ext)


def _zip(data: bytes, claimed: Kind | None, ext: str) -> Sniffed:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        return _fatal("damaged_zip", ext)
    if len(infos) > MAX_MEMBERS:
        return _fatal("zip_bomb")
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_MEMBER or (info.file_size > 1024 * 1024 and ratio > MAX_RATIO):
            return _fatal("zip_bomb")
    if total > MAX_UNZIPPED:
        return _fatal("zip_bomb")
    if any(info.flag_bits & 0x1 for info in infos):
        return _fatal("encrypted", ext)
    names = {info.filename for info in infos}
    if "word/document.xml" in names:
        kind = Kind.DOCX
    elif "xl/workbook.xml" in names:
        kind = Kind.XLSX
    else:
        return _fatal("other_zip", ext)
    return _with_claim(Sniffed(kind), claimed, ext)


def _with_claim(found: Sniffed, claimed: Kind | None, ext: str) -> Sniffed:
    """A file whose content differs from its extension is read by content, with a note."""
    if claimed is None or claimed is found.kind:
        return found
    if {claimed, found.kind} == {Kind.HTML, Kind.TEXT}:
        return found  # a web page saved as .txt, or text saved as .html: nothing to say
    note = Finding("wrong_extension", ext, str(found.kind))
    return Sniffed(found.kind, found.text, (*found.findings, note))


def decode(data: bytes) -> str | None:
    """The text of ``data``: BOM, declared charset, UTF-8, then GB18030; None for binary data."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    if b"\x00" in data[:4096]:
        return None
    declared = _CHARSET.search(data[:4096])
    candidates = ["utf-8", "gb18030"]
    if declared:
        name = declared.group(1).decode("ascii", "replace").lower()
        if name in ("gb2312", "gbk", "gb18030", "x-gbk"):
            candidates = ["gb18030", "utf-8"]
    for codec in candidates:
        try:
            text = data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        return text if _plausible(text) else None
    # A few bad bytes (a file cut inside a character, a stray byte) do not make it binary.
    text = data.decode(candidates[0], "replace")
    if text.count("\ufffd") <= max(2, len(text) // 200) and _plausible(text):
        return text
    return None


def _plausible(text: str) -> bool:
    """Text, not binary that happens to decode: few control characters."""
    sample = text[:8192]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t\f\v")
    return controls <= len(sample) // 100


def _fatal(code: str, detail: str = "") -> Sniffed:
    return Sniffed(None, "", (Finding(code, text=detail, fatal=True),))
