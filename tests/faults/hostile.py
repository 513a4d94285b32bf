"""Hostile inputs from a seeded generator, and what every answer to them must satisfy."""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Iterable

import docx
import openpyxl

from bot import texts as T
from bot.localapi import ApiError, default_spec
from bot.localapi.wire import Upload as WireUpload
from bot.service import Out
from core.interview import Action, Command, Press, Text

# Pieces people (and attackers) type, glued together at random.
FRAGMENTS = (
    "", " ", "\u3000", "0", "1", "-1", "--5", "+7", "1e309", "-1e309", "1e-309", "NaN", "nan",
    "inf", "-Infinity", "9999999999999999999", "9" * 400, "0x10", "1_000", "1,000", "1，000",
    "１２３", "٣", "²", "½", "Ⅻ", "十万八千", "一亿亿亿", "负五", "3.5", "0.0001", "12.345万元",
    "5元", "-0", "00000", "1 2 3 4 5 6 7 8 9 10 11 12", "193 19 0 0 0 12", "自然人1 自然人2",
    "'; DROP TABLE reports; --", "' OR '1'='1", "\" OR 1=1 --", "Robert'); DROP TABLE x;--",
    "%s%s%s%n", "{0}{1}{__class__}", "${jndi:ldap://x}", "../../../../etc/passwd",
    "<b>粗体</b>", "<script>alert(1)</script>", "&lt;&amp;&#0;&#xd800;", "<a href='tg://x'>x</a>",
    "*bold* _it_ `code` [link](http://x) ~~s~~ ||spoiler||", "\\", "```", "<", ">", "&",
    "😀", "👨‍👩‍👧‍👦", "🇨🇳", "\u200b", "\u200d", "\ufeff", "\u2060", "a\u0301", "𠀀𪚥",
    "\x00", "\x01\x02\x1b[31m", "\x7f", "\x85", "\r\n", "\r", "\t", "\n\n\n", "\u2028\u2029",
    "\u202e", "\u202d", "\u2066\u2067\u2068\u2069", "\u200e\u200f", "\ud800", "\udfff",
    "\ufffe", "\uffff", "\U0010ffff", "/start", "/", "@nianbao_local_bot", "表三", "全部为0",
    "跳过", "某某县民政局", "联系电话：0471-1234567", "无", "本年度未收取", "完成",
)  # fmt: skip
VERBS = (
    "j|", "z|", "gz|", "bz|", "tz|", "ok|", "b|", "l|", "d|", "c|", "cl|", "s|", "n|", "nf|",
    "a|", "f|", "y|agency|", "r|", "w|", "u|l|", "u|d|", "u|o|", "u|x", "c|ag|", "c|ok|", "c|rt|",
    "c|sub|", "c|back|", "c|rv|", "c|cs|", "c|cp|", "c|pg|", "c|inv|", "c|mb|", "c|rm|",
    "c|rmn|", "c|ir|", "c|kr|", "c|df|", "", "x",
)  # fmt: skip
# Removing a member while that member types races (test_removed_while_typing): the concurrent
# hostile run leaves the removal itself ("c|rmy|") to the access tests.
RACING = "c|rmy|"
TAILS = (
    "0", "1", "-1", "2147483647", "2147483648", "9223372036854775808", "1" * 40, "²", "٣",
    "all", "sel", "filler", "reviewer", "coordinator", "review", "agency", "contact", "t3.new",
    "x.overview.proactive", "0123456789abcdef", "|", "||||", "\x00", "😀", "表三", "1e309",
)  # fmt: skip
TELEGRAM_TEXT = 4096  # a message is at most 4096 UTF-16 units


def hostile_text(rng: random.Random) -> str:
    """One message: a few fragments, or one repeated up to Telegram's length, or longer."""
    roll = rng.random()
    if roll < 0.08:
        piece = rng.choice(FRAGMENTS) or "字"
        return (piece * (TELEGRAM_TEXT // max(len(piece), 1) + 1))[
            : rng.choice((4096, 4097, 20000))
        ]
    return "".join(rng.choice(FRAGMENTS) for _ in range(rng.randint(1, 6)))


def forged_data(rng: random.Random, seen: list[str]) -> str:
    """Callback data a modified client could send: at most 64 bytes of anything."""
    if seen and rng.random() < 0.3:
        data = rng.choice(seen)  # a real button, perhaps another user's
        cut = rng.randint(0, len(data))
        return data if rng.random() < 0.5 else data[:cut] + rng.choice(TAILS)
    data = rng.choice(VERBS) + rng.choice(TAILS) + (rng.choice(TAILS) if rng.random() < 0.3 else "")
    while len(data.encode("utf-8", "surrogatepass")) > 64:
        data = data[:-1]
    return data


def hostile_action(
    rng: random.Random, commands: tuple[str, ...], buttons: list[str], seen: list[str]
) -> Action:
    """A typed text, a command with a hostile argument, a real button or a forged one."""
    roll = rng.random()
    if roll < 0.25 and buttons:
        return Press(rng.choice(buttons))  # moves the user on, to every kind of question
    if roll < 0.55:
        return Text(hostile_text(rng))
    if roll < 0.75:
        name = rng.choice((*commands, "foo", "startx", "Start", ""))
        return Command(name.lower(), hostile_text(rng) if rng.random() < 0.6 else "")
    return Press(forged_data(rng, seen))


# ---------------------------------------------------------------------- hostile files


def zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", b"<Types/>")
        z.writestr("word/document.xml", b"\0" * (150 * 1024 * 1024))
    return out.getvalue()


def huge_spreadsheet(rows: int = 20_000, cols: int = 12) -> bytes:
    """An .xlsx of ``rows`` × ``cols`` cells (written directly: openpyxl takes seconds)."""
    labels = ("本年新收", "自然人", "予以公开", "总计", "行政复议", "结转下年度继续办理")
    body = "".join(
        f'<row r="{r + 1}"><c t="inlineStr"><is><t>{labels[r % len(labels)]}</t></is></c>'
        + "".join(f"<c><v>{r * c % 997}</v></c>" for c in range(1, cols))
        + "</row>"
        for r in range(rows)
    )
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{ct}.worksheet+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": f'<Relationships xmlns="{pkg}"><Relationship Id="rId1" '
        f'Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
        '<sheet name="表三" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{pkg}"><Relationship Id="rId1" '
        f'Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{main}"><sheetData>{body}</sheetData>'
        "</worksheet>",
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, xml in parts.items():
            z.writestr(name, '<?xml version="1.0" encoding="UTF-8"?>' + xml)
    return out.getvalue()


def damaged(data: bytes, rng: random.Random) -> list[bytes]:
    """The file cut short, with bytes overwritten in its middle, and with its zip index gone."""
    middle = len(data) // 2
    junk = bytes(rng.randrange(256) for _ in range(64))
    return [
        data[: len(data) // 3],
        data[:middle] + junk + data[middle + len(junk) :],
        data[: data.rfind(b"PK\x05\x06")] if b"PK\x05\x06" in data else data[:-22],
    ]


def hostile_files(
    rng: random.Random, docx_bytes: bytes, xlsx_bytes: bytes
) -> list[tuple[str, bytes]]:
    """(filename, content): not what they claim, damaged, bombs, huge, over the limit."""
    files = [
        ("报告.docx", bytes(rng.randrange(256) for _ in range(5000))),
        ("报告.docx", b"\x89PNG\r\n\x1a\n" + b"\0" * 200),
        ("报告.docx", "这不是 Word 文件\x00\u202e".encode()),
        ("报告.xlsx", docx_bytes),
        ("报告.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + b"0" * 1000),
        ("", b""),
        ("../../etc/passwd", b"root:x:0:0"),
        ("炸弹.docx", zip_bomb()),
        ("很大的表.xlsx", huge_spreadsheet()),
        ("不太大的表.xlsx", huge_spreadsheet(2_000)),
        ("大文件.docx", b"PK\x03\x04" + b"\0" * (50 * 1024 * 1024)),
    ]
    for name, data in (("坏.docx", docx_bytes), ("坏.xlsx", xlsx_bytes)):
        files.extend((name, d) for d in damaged(data, rng))
    return files


# ---------------------------------------------------------------------- what answers must be

SPEC = default_spec()


def telegram_problems(outs: Iterable[Out], chat_id: int) -> list[str]:
    """Each message as python-telegram-bot would send it, checked against the Bot API's rules."""
    problems = []
    for out in outs:
        try:
            if out.document is not None:
                content = out.document.content
                size = len(content) if isinstance(content, bytes) else 0
                upload = WireUpload(out.document.filename, out.document.mime, b"", size)
                SPEC.validate_call("sendDocument", {"chat_id": chat_id, "document": upload})
            elif out.text:
                params: dict[str, object] = {"chat_id": out.chat or chat_id, "text": out.text}
                if out.buttons:
                    rows = [
                        [{"text": b.label, "callback_data": b.data} for b in row]
                        for row in out.buttons
                    ]
                    params["reply_markup"] = {"inline_keyboard": rows}
                SPEC.validate_call("sendMessage", params)
            else:
                problems.append(f"a message with neither text nor file: {out}")
        except ApiError as error:
            problems.append(f"{error.description} at {error.path}: {str(out)[:200]}")
        if out.text and T.BOT_ERROR in out.text:
            problems.append("the generic error message")
    return problems


def document_problems(name: str, data: bytes) -> list[str]:
    """A rendered .docx or .xlsx that Word or Excel would not open."""
    try:
        if name.endswith(".docx"):
            document = docx.Document(io.BytesIO(data))
            assert document.paragraphs, "no paragraphs"
        elif name.endswith(".xlsx"):
            book = openpyxl.load_workbook(io.BytesIO(data))
            assert book.sheetnames, "no sheets"
        else:
            return [f"{name}: not a .docx or .xlsx"]
    except Exception as exc:  # any failure to open is the finding
        return [f"{name}: {type(exc).__name__}: {exc}"]
    return []
