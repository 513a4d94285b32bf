"""Read the contact details people type for the report's opening paragraph."""

from __future__ import annotations

import re
import unicodedata

LABELS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("office", ("联系部门", "联系单位", "部门", "单位")),
    ("address", ("通讯地址", "联系地址", "办公地址", "地址", "地点")),
    ("postcode", ("邮政编码", "邮编")),
    ("phone", ("联系电话", "咨询电话", "电话", "传真", "手机")),
    ("email", ("电子邮箱", "电子邮件", "邮箱", "email", "e-mail")),
    ("website", ("电子版下载地址", "下载地址", "网站", "网址", "门户网站")),
)

PHONE = re.compile(r"(?:\d{3,4}-)?\d{7,8}(?:-\d{1,5})?|1[3-9]\d{9}")
POSTCODE = re.compile(r"(?<!\d)\d{6}(?!\d)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
WEBSITE = re.compile(
    r"(?:https?://)?(?:www\.)?[\w-]+(?:\.[\w-]+)*\.(?:gov\.cn|cn|com|org|net)(?:/\S*)?", re.I
)


def parse_contact(text: str) -> dict[str, str]:
    """Split typed contact details into the answers file's ``contact`` keys.

    Labelled lines ("电话：…") are taken as labelled; unlabelled text is recognised by shape (phone,
    postcode, e-mail, web address) and whatever remains is the address. Values are returned whole;
    ``core.answers.too_long`` says which exceed their limit.
    """
    text = unicodedata.normalize("NFKC", text)
    out: dict[str, str] = {}
    rest: list[str] = []
    for raw in re.split(r"[\n;；]+", text):
        line = raw.strip(" ，,。")
        if not line:
            continue
        key, value = _labelled(line)
        if key:
            if value:
                out[key] = value
        else:
            rest.append(line)
    leftovers: list[str] = []
    for line in rest:
        for key, pattern in (
            ("email", EMAIL),
            ("website", WEBSITE),
            ("phone", PHONE),
            ("postcode", POSTCODE),
        ):
            if key not in out:
                m = pattern.search(line)
                if m:
                    out[key] = m.group(0)
                    line = (line[: m.start()] + line[m.end() :]).strip(" ，,。")
        if line:
            leftovers.append(line)
    if leftovers and "address" not in out:
        out["address"] = "，".join(leftovers)
    return {k: out[k] for k, _ in LABELS if k in out}


def _labelled(line: str) -> tuple[str, str]:
    lower = line.lower()
    for key, labels in LABELS:
        for label in labels:
            if lower.startswith(label.lower()):
                value = line[len(label) :].lstrip(" ：:=")
                return key, value.strip()
    return "", ""
