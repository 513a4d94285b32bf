"""``nianbao playground`` as a person runs it: the address printed, the page served, Ctrl+C."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import aiohttp


async def test_the_command_prints_the_address_and_stops_on_ctrl_c(
    tmp_path: Path, unused_tcp_port: int
) -> None:
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'nb.db'}"
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "playground",
        "--port",
        str(unused_tcp_port),
        cwd=tmp_path,  # no .env of the project's own
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    printed = []
    try:
        while not printed or "Ctrl+C" not in printed[-1]:
            line = await asyncio.wait_for(process.stdout.readline(), 60)
            assert line, f"the playground ended early: {printed}"
            printed.append(line.decode())
        url = f"http://127.0.0.1:{unused_tcp_port}"
        assert printed[0].startswith("本地试用模式已启动") and printed[1].strip() == url
        assert f"审核人 李四：{url}/?persona=reviewer" in "".join(printed)
        async with aiohttp.ClientSession() as http:
            async with http.get(url) as r:
                assert r.status == 200 and "本地试用模式" in await r.text()
            async with http.get(f"{url}/api/info") as r:
                commands = [c["command"] for c in (await r.json())["commands"]]
        assert "start" in commands  # the real bot is up and registered its menu
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGINT)
        out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, err.decode()
    assert out.decode().strip().endswith("本地试用已停止。")
    assert "Traceback" not in err.decode()


async def test_a_host_other_than_this_machine_is_refused(tmp_path: Path) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "playground",
        "--host",
        "0.0.0.0",
        cwd=tmp_path,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'nb.db'}"},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 2
    assert err.decode().strip() == (
        "本地试用模式只在本机运行：--host 只能是 127.0.0.1、localhost 或 ::1（当前为「0.0.0.0」）。"
    )
