"""What the container runs around the bot: the prestart step, the health check, logs, metrics."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest
from pydantic import SecretStr

from bot.config import Settings
from bot.localapi import LocalBotApi
from bot.logs import REDACTED, configure
from storage import Store
from tests.e2e.phone import Phone, running_bot, settings_for
from tests.pgserver import PgServer

from .conftest import DEPLOY, clean_env, free_port, nianbao_command, run_nianbao
from .test_files import dockerfile

PRESTART = DEPLOY / "prestart.sh"


def prestart_env(database_url: str, **extra: str) -> dict[str, str]:
    """As in the image: ``nianbao`` on PATH."""
    env = clean_env(DATABASE_URL=database_url, **extra)
    [nianbao] = nianbao_command()
    env["PATH"] = os.pathsep.join([str(Path(nianbao).parent), env.get("PATH", "")])
    return env


async def run_prestart(
    env: dict[str, str], cwd: Path, *args: str, stderr: Path | None = None
) -> tuple[int, str, str]:
    err = stderr or cwd / "prestart.err"
    with err.open("wb") as errors:
        process = await asyncio.create_subprocess_exec(
            "sh", str(PRESTART), *args, stdout=asyncio.subprocess.PIPE, stderr=errors, env=env,
            cwd=cwd,
        )  # fmt: skip
        out, _ = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.read_text(encoding="utf-8")


async def test_prestart_migrates_postgresql_then_runs_the_command(
    pg_url: str, tmp_path: Path
) -> None:
    code, out, err = await run_prestart(prestart_env(pg_url), tmp_path, "sh", "-c", "echo 启动")
    assert code == 0, err
    assert "数据库已升级到最新版本" in out and out.rstrip().endswith("启动")
    async with await Store.open(pg_url) as store:  # refuses a database behind its migrations
        await store.ping()
    # A second start (another replica, a restart) finds it current and goes straight on.
    code, out, err = await run_prestart(prestart_env(pg_url), tmp_path)
    assert code == 0 and "已是最新版本" in out, err


async def test_prestart_waits_for_a_database_that_is_not_there_yet(
    pg_server: PgServer | None, pg_url: str, tmp_path: Path
) -> None:
    assert pg_server is not None
    name = f"late_{os.getpid()}"
    url = pg_url.rsplit("/", 1)[0] + f"/{name}"
    env = prestart_env(url, PRESTART_INTERVAL="0.2", PRESTART_TIMEOUT="120")
    err = tmp_path / "late.err"
    started = asyncio.create_task(run_prestart(env, tmp_path, stderr=err))
    for _ in range(600):  # until it has failed at least once
        if err.exists() and "等待数据库就绪" in err.read_text(encoding="utf-8"):
            break
        await asyncio.sleep(0.05)
    else:
        raise AssertionError(err.read_text(encoding="utf-8"))
    await asyncio.to_thread(pg_server.create_database, name)
    code, out, errors = await started
    assert code == 0 and "数据库已升级到最新版本" in out, errors


async def test_prestart_gives_up_on_an_unreachable_database(tmp_path: Path) -> None:
    env = prestart_env(
        "postgresql://nianbao:secret@127.0.0.1:9/nianbao",
        PRESTART_INTERVAL="0.2",
        PRESTART_TIMEOUT="1",
    )
    code, out, err = await run_prestart(env, tmp_path, "sh", "-c", "echo 不应启动")
    assert code == 1 and "不应启动" not in out
    assert "数据库不可用" in err and "放弃启动" in err and "secret" not in err


def healthcheck_command() -> list[str]:
    """The Dockerfile's HEALTHCHECK command, with this machine's nianbao."""
    command: list[str] = json.loads(dockerfile()["HEALTHCHECK"][0].split("CMD", 1)[1])
    assert command[0] == "nianbao"
    return command[1:]


@pytest.mark.parametrize("mode", ["webhook", "polling"])
async def test_the_image_health_check_against_a_live_bot(
    bot_api: LocalBotApi, tmp_path: Path, mode: str
) -> None:
    port = free_port()
    if mode == "webhook":
        extra = {"webhook_url": f"http://127.0.0.1:{port}/telegram", "port": port}
        extra["webhook_secret"] = SecretStr("health-secret")
    else:
        extra = {"metrics_port": port}
    settings = settings_for(bot_api, tmp_path / "nb.db", host="127.0.0.1", **extra)
    env = clean_env(
        **{
            str(Settings.model_fields[k].validation_alias): (
                v.get_secret_value() if isinstance(v, SecretStr) else str(v)
            )
            for k, v in settings.model_dump().items()
        }
    )
    async with running_bot(settings):
        code, out, err = await run_nianbao(healthcheck_command(), env, tmp_path)
        assert code == 0 and "运行正常" in out, err
        phone = Phone(bot_api.user(6001, "赵六"))
        await phone.send("/start")
        url = f"http://127.0.0.1:{port}/metrics"
        async with aiohttp.ClientSession() as http, http.get(url) as r:
            assert r.status == 200
            page = await r.text()
    assert 'nianbao_updates_total{kind="command"}' in page
    assert "nianbao_update_seconds_bucket" in page and "process_cpu_seconds_total" in page
    code, _, err = await run_nianbao(healthcheck_command(), env, tmp_path)
    assert code == 1 and "无法连接" in err  # the bot is gone


async def test_polling_without_a_listener_has_nothing_to_check(tmp_path: Path) -> None:
    code, _, err = await run_nianbao(healthcheck_command(), clean_env(), tmp_path)
    assert code == 2 and "METRICS_PORT" in err


async def test_malformed_settings_are_one_sentence_not_a_traceback(tmp_path: Path) -> None:
    env = clean_env(PORT="八千", LOG_FORMAT="xml", REMINDER_RATE="0", WEBHOOK_SECRET="")
    code, _, err = await run_nianbao(["run"], env, tmp_path)
    assert code == 2 and err.startswith("设置有误，无法启动：")
    # Each problem in Chinese, with what was given.
    assert "PORT（应为整数，现为「八千」）" in err
    assert "LOG_FORMAT（应为以下之一：text、json，现为「xml」）" in err
    assert "REMINDER_RATE（应大于 0，现为「0」）" in err
    assert "Traceback" not in err and "Input should" not in err


TOKEN = "123456789:AAH-secret-token-value-0123456789abcdef"
SECRET = "webhook-secret-0123456789"


@pytest.fixture
def log_settings() -> Iterator[Settings]:
    """Settings with a token and a webhook secret; the root logger restored afterwards."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield Settings(
        _env_file=None,  # type: ignore[call-arg]
        telegram_bot_token=SecretStr(TOKEN),
        webhook_secret=SecretStr(SECRET),
        log_format="json",
        log_level="DEBUG",
    )
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(level)


def test_json_logs_never_hold_the_token_or_the_secret(log_settings: Settings) -> None:
    stream = io.StringIO()
    configure(log_settings, stream)
    log = logging.getLogger("nianbao.test")
    log.info("calling https://api.telegram.org/bot%s/getMe", TOKEN)
    try:
        raise RuntimeError(f"header X-Telegram-Bot-Api-Secret-Token: {SECRET}")
    except RuntimeError:
        log.exception("webhook failed", extra={"update_id": 17})
    logging.getLogger("telegram.ext.Application").debug("Processing update {'text': '秘密'}")
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [x["level"] for x in lines] == ["INFO", "ERROR"]  # PTB's DEBUG is never shown
    assert lines[0]["message"] == f"calling https://api.telegram.org/bot{REDACTED}/getMe"
    assert lines[1]["update_id"] == 17 and "RuntimeError" in lines[1]["exception"]
    assert TOKEN not in stream.getvalue() and SECRET not in stream.getvalue()
    assert REDACTED in lines[1]["exception"]


def test_text_logs_are_redacted_too(log_settings: Settings) -> None:
    stream = io.StringIO()
    configure(log_settings.model_copy(update={"log_format": "text"}), stream)
    logging.getLogger("nianbao.test").warning("token %s secret %s", TOKEN, SECRET)
    line = stream.getvalue().strip()
    assert line.endswith(f"WARNING nianbao.test token {REDACTED} secret {REDACTED}")
