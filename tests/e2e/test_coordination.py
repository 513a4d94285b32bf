"""An office and an agency over the local Bot API server: invitation, entry, approval, board."""

from __future__ import annotations

import re
from pathlib import Path

from bot.localapi import LocalBotApi
from tests.e2e.phone import Phone, running_bot, settings_for

LINK = re.compile(r"https://t\.me/nianbao_local_bot\?start=([A-Za-z0-9_-]+)")


async def test_invitation_entry_approval_board(bot_api: LocalBotApi, tmp_path: Path) -> None:
    async with running_bot(settings_for(bot_api, tmp_path / "nb.db")):
        coord = Phone(bot_api.user(2001, "王主任"))
        agency = Phone(bot_api.user(2002, "李科长"))
        await coord.send("/new_office")
        await coord.send("某某县人民政府办公室")
        found = LINK.search(coord.text)
        assert found, coord.text

        await agency.send(f"/start {found.group(1)}")
        assert "身份为审核人" in agency.text and "请发送本单位全称" in agency.text
        await agency.send("某某县民政局")
        await agency.press("跳过")
        for _ in range(5):
            await agency.press("跳过")
        for _ in range(3):
            await agency.press("本表全部为0")
        await agency.send("存在的主要问题是公开意识有待加强，下一步将加强培训，完善制度。")
        await agency.press("完成")
        await agency.press("本年度未收取")
        await agency.press("无")
        await agency.press("完成填报")
        assert "确认提交" in [b.get("text") for m in agency.batch for b in m.buttons]
        await agency.press("确认提交")
        assert "已提交给「某某县人民政府办公室」" in agency.text
        await coord._collect()  # the bot told the coordinator, in the coordinator's chat
        assert "「某某县民政局」" in coord.text and "等待您审核" in coord.text

        await coord.send("/board")
        assert "某某县民政局 — 已提交" in coord.text
        await coord.press("某某县民政局")
        names = [m.document["file_name"] for m in coord.batch if m.document]
        assert [n[-5:] for n in names] == [".docx", ".xlsx"]
        await coord.press("通过")
        assert "已通过" in coord.text
        await agency._collect()
        assert "已通过「某某县人民政府办公室」审核" in agency.text
        await coord.send("/board")
        assert "某某县民政局 — 已通过" in coord.text
