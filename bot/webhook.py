"""The aiohttp server of webhook mode: Telegram's updates in, health and metrics out.

In long-polling mode ``make_status_app`` serves only ``/healthz`` and ``/metrics`` (on
``METRICS_PORT``), so that a container's health check and Prometheus work in both modes.
"""

from __future__ import annotations

import hmac
import json
import logging
from typing import Any

from aiohttp import web
from telegram import Update
from telegram.ext import Application

from storage import Store

from . import metrics

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1024 * 1024  # an update is a few KB; anything near this is not from Telegram

APP_KEY = web.AppKey("application", Application)
STORE_KEY = web.AppKey("store", Store)
SECRET_KEY = web.AppKey("secret", bytes)


def make_web_app(
    application: Application[Any, Any, Any, Any, Any, Any], store: Store, secret: str, path: str
) -> web.Application:
    """Routes: POST ``path`` for updates, GET /healthz for the load balancer."""
    app = web.Application(client_max_size=MAX_BODY)
    app[APP_KEY] = application
    app[STORE_KEY] = store
    app[SECRET_KEY] = secret.encode()
    app.router.add_post(path, receive_update)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", serve_metrics)
    return app


def make_status_app(store: Store) -> web.Application:
    """Routes of the polling mode's small listener: GET /healthz and GET /metrics."""
    app = web.Application()
    app[STORE_KEY] = store
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", serve_metrics)
    return app


async def receive_update(request: web.Request) -> web.Response:
    """One update: checked, then processed before answering, so Telegram retries on failure."""
    given = request.headers.get(SECRET_HEADER, "").encode()
    if not hmac.compare_digest(given, request.app[SECRET_KEY]):
        return web.json_response({"ok": False, "error": "forbidden"}, status=403)
    if request.content_type != "application/json":
        return web.json_response({"ok": False, "error": "JSON only"}, status=415)
    if request.content_length is not None and request.content_length > MAX_BODY:
        return web.json_response({"ok": False, "error": "too large"}, status=413)
    try:
        data = await request.json(loads=json.loads)
    except web.HTTPRequestEntityTooLarge:
        raise
    except ValueError:
        return web.json_response({"ok": False, "error": "malformed JSON"}, status=400)
    application = request.app[APP_KEY]
    try:
        update = Update.de_json(data, application.bot)
    except (TypeError, KeyError, ValueError):
        return web.json_response({"ok": False, "error": "not an update"}, status=400)
    if update is None:
        return web.json_response({"ok": False, "error": "not an update"}, status=400)
    # Through the update processor: one chat's updates in order, others concurrently.
    await application.update_processor.process_update(update, application.process_update(update))
    return web.json_response({"ok": True})


async def healthz(request: web.Request) -> web.Response:
    """200 when the database answers, 503 when it does not."""
    try:
        await request.app[STORE_KEY].ping()
    except Exception as exc:  # any failure means unhealthy; the detail goes to the log
        log.warning("health check failed: %s", type(exc).__name__)
        return web.json_response({"status": "unhealthy", "database": "unavailable"}, status=503)
    return web.json_response({"status": "ok", "database": "ok"})


async def serve_metrics(request: web.Request) -> web.Response:
    """This process's counters in Prometheus's text format (bot/metrics.py)."""
    return web.Response(body=metrics.render(), headers={"Content-Type": metrics.CONTENT_TYPE})
