"""deploy/ kept in step with the code: settings, compose, the Dockerfile and the systemd unit.

No Docker engine runs here, so the files are read and checked against what they name: every
setting exists, every command is a real ``nianbao`` subcommand, every path is in the repository.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import SecretStr

from bot.cli import build_parser
from bot.config import Settings
from bot.localapi import make_token
from bot.service import Service
from bot.telegram_app import build_application
from bot.webhook import make_web_app

from .conftest import DEPLOY, ROOT

# Read by compose.yaml (interpolation) or the Caddyfile, not by nianbao.
COMPOSE_ONLY = {"POSTGRES_PASSWORD", "DOMAIN"}
SETTING_LINE = re.compile(r"^(# )?([A-Z][A-Z0-9_]*)=(.*)$")


def setting_names() -> set[str]:
    return {str(f.validation_alias) for f in Settings.model_fields.values()}


def example_lines() -> list[tuple[bool, str, str]]:
    """(set, name, value) of every ``KEY=value`` and ``# KEY=value`` line of .env.example."""
    found = []
    for line in (DEPLOY / ".env.example").read_text(encoding="utf-8").splitlines():
        m = SETTING_LINE.match(line)
        if m:
            found.append((m.group(1) is None, m.group(2), m.group(3)))
    return found


def subcommands() -> set[str]:
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return set(action.choices)  # type: ignore[arg-type]


def test_the_example_environment_documents_every_setting_and_nothing_else() -> None:
    documented = {name for _, name, _ in example_lines()}
    assert documented - COMPOSE_ONLY == setting_names()
    assert documented >= COMPOSE_ONLY


def test_the_example_environment_loads_through_the_real_settings(tmp_path: Path) -> None:
    example = Settings(_env_file=DEPLOY / ".env.example")  # type: ignore[call-arg]
    assert example.log_format == "json" and example.metrics_port == 8081
    assert example.token == ""  # to be filled in
    # Every example value, the commented ones too, is one the settings accept.
    every = tmp_path / "every.env"
    lines = [f"{name}={value}" for _, name, value in example_lines()]
    every.write_text("\n".join(lines) + "\n", encoding="utf-8")
    loaded = Settings(_env_file=every).model_dump()  # type: ignore[call-arg]
    last = {name: value for _, name, value in example_lines() if name not in COMPOSE_ONLY}
    for field, info in Settings.model_fields.items():
        value = loaded[field]
        shown = value.get_secret_value() if isinstance(value, SecretStr) else value
        assert str(shown) == last[str(info.validation_alias)] or (
            isinstance(shown, float) and shown == float(last[str(info.validation_alias)])
        ), field


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((DEPLOY / "compose.yaml").read_text("utf-8"))
    return loaded


def test_compose_names_only_real_settings_and_waits_for_a_healthy_database() -> None:
    services = compose()["services"]
    bot, db = services["bot"], services["db"]
    assert set(bot["environment"]) <= setting_names()
    assert bot["env_file"] == ".env" and (DEPLOY / ".env.example").exists()
    assert bot["depends_on"]["db"]["condition"] == "service_healthy"
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    # The bot's own health check is a real subcommand; the build is this repository's.
    test = bot["healthcheck"]["test"]
    assert test[0] == "CMD" and test[1] == "nianbao" and test[2] in subcommands()
    assert (DEPLOY / bot["build"]["context"] / bot["build"]["dockerfile"]).resolve() == (
        DEPLOY / "Dockerfile"
    )
    # The compose-only variables are the ones compose interpolates.
    text = (DEPLOY / "compose.yaml").read_text("utf-8")
    assert set(re.findall(r"\$\{([A-Z_]+)", text)) == COMPOSE_ONLY


def test_the_proxy_is_optional_and_forwards_only_the_webhook_path() -> None:
    proxy = compose()["services"]["proxy"]
    assert proxy["profiles"] == ["proxy"]
    assert proxy["depends_on"]["bot"]["condition"] == "service_healthy"
    mounted = {v.split(":")[0] for v in proxy["volumes"]}
    assert "./Caddyfile" in mounted and (DEPLOY / "Caddyfile").exists()
    caddy = (DEPLOY / "Caddyfile").read_text("utf-8")
    assert "dynamic a bot 8080" in caddy and "handle /telegram*" in caddy
    assert "health_uri /healthz" in caddy
    assert "/telegram" in next(line for _, name, line in example_lines() if name == "WEBHOOK_URL")


def dockerfile() -> dict[str, list[str]]:
    """Instruction → arguments, continuation lines joined (the last stage wins for repeats)."""
    text = (DEPLOY / "Dockerfile").read_text("utf-8").replace("\\\n", " ")
    found: dict[str, list[str]] = {}
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            word, _, rest = line.strip().partition(" ")
            found.setdefault(word.upper(), []).append(rest.strip())
    return found


def test_the_dockerfile_is_slim_unprivileged_healthchecked_and_runs_a_real_command() -> None:
    d = dockerfile()
    assert all(f.split()[0].startswith("python:3.11-slim") for f in d["FROM"])
    assert d["USER"] == ["nianbao"] and "useradd" in " ".join(d["RUN"])
    health = d["HEALTHCHECK"][0].split("CMD", 1)[1].strip()
    assert json.loads(health)[:2] == ["nianbao", "health"]
    assert json.loads(d["CMD"][0]) == ["nianbao", "run"]
    assert {"health", "run", "migrate"} <= subcommands()
    assert json.loads(d["ENTRYPOINT"][0]) == ["nianbao-prestart"]
    copied: dict[str, str] = {}
    for line in d["COPY"]:
        if "--from" not in line:
            *sources, target = line.split()
            copied.update(dict.fromkeys(sources, target))
    assert copied["deploy/prestart.sh"] == "/usr/local/bin/nianbao-prestart"
    assert all((ROOT / source).exists() for source in copied), copied
    assert {"core", "bot", "storage", "pyproject.toml", "README.md"} <= set(copied)
    assert "8080" in d["EXPOSE"][0]


def test_the_health_check_path_is_a_route_of_the_webhook_server() -> None:
    settings = Settings(_env_file=None, telegram_bot_token=SecretStr(make_token(1)))  # type: ignore[call-arg]
    application = build_application(settings, Service(None), webhook=True)  # type: ignore[arg-type]
    app = make_web_app(application, None, "secret", "/telegram")  # type: ignore[arg-type]
    routes = {(r.method, r.resource.canonical) for r in app.router.routes() if r.resource}
    assert {("GET", "/healthz"), ("GET", "/metrics"), ("POST", "/telegram")} <= routes


def unit() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in (DEPLOY / "nianbao.service").read_text("utf-8").splitlines():
        if "=" in line and not line.startswith("#"):
            key, _, value = line.partition("=")
            found.setdefault(key.strip(), []).append(value.strip())
    return found


def test_the_systemd_unit_migrates_first_and_runs_the_bot_unprivileged() -> None:
    u = unit()
    assert u["User"] == ["nianbao"] and u["NoNewPrivileges"] == ["yes"]
    start = shlex.split(u["ExecStart"][0])
    assert Path(start[0]).name == "nianbao" and start[1:] == ["run"]
    assert Path(u["ExecStartPre"][0]).name == "prestart.sh" and (DEPLOY / "prestart.sh").exists()
    assert u["KillSignal"] == ["SIGTERM"] and u["Restart"] == ["on-failure"]
    assert u["EnvironmentFile"] == ["/etc/nianbao/nianbao.env"]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze")
def test_systemd_accepts_the_unit(tmp_path: Path) -> None:
    copy = tmp_path / "nianbao.service"
    copy.write_text((DEPLOY / "nianbao.service").read_text("utf-8"), encoding="utf-8")
    done = subprocess.run(
        ["systemd-analyze", "verify", str(copy)], capture_output=True, text=True, check=False
    )
    # The programs live in /opt/nianbao on a real server, not here: only that may be missing.
    problems = [
        line
        for line in (done.stdout + done.stderr).splitlines()
        if line.strip() and "is not executable: No such file or directory" not in line
    ]
    assert problems == []


def test_the_dependency_layer_installs_the_projects_dependencies(tmp_path: Path) -> None:
    """The Dockerfile's requirements step, run here on a copy of pyproject.toml."""
    step = next(r for r in dockerfile()["RUN"] if "tomllib" in r)
    command = step.split("&&")[0].strip()
    assert command.startswith("python -c ")  # the image's python; here this interpreter
    command = shlex.quote(sys.executable) + command.removeprefix("python")
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    subprocess.run(["sh", "-c", command], cwd=tmp_path, check=True)
    with (ROOT / "pyproject.toml").open("rb") as f:
        wanted = tomllib.load(f)["project"]["dependencies"]
    assert (tmp_path / "requirements.txt").read_text().split() == wanted
