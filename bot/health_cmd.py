"""``nianbao health``: ask a running bot's ``/healthz`` (the container's health check).

Exit 0 when it answers 200, 1 when it answers anything else or cannot be reached, 2 when there
is nothing to ask (long polling without ``METRICS_PORT``). Only the standard library, so that it
works in the slimmest image.
"""

from __future__ import annotations

import sys
import urllib.error
import urllib.request
from typing import TextIO

from . import texts_ops as T
from .config import Settings

EXIT_OK, EXIT_UNHEALTHY, EXIT_NOTHING = 0, 1, 2
ANY_ADDRESS = ("", "0.0.0.0", "::", "[::]")


def health_url(settings: Settings) -> str | None:
    """Where this configuration's bot answers ``GET /healthz`` on this machine (None: nowhere)."""
    port = settings.port if settings.webhook_mode else settings.metrics_port
    if not port:
        return None
    host = "127.0.0.1" if settings.host in ANY_ADDRESS else settings.host
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}/healthz"


def run_health(
    settings: Settings, url: str | None, timeout: float, out: TextIO | None = None
) -> int:
    """One request to ``/healthz``; prints one line saying what it found."""
    out = out or sys.stdout
    url = url or health_url(settings)
    if url is None:
        sys.stderr.write(T.HEALTH_NO_LISTENER + "\n")
        return EXIT_NOTHING
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        sys.stderr.write(T.HEALTH_DOWN.format(url=url, detail=reason) + "\n")
        return EXIT_UNHEALTHY
    if status != 200:
        sys.stderr.write(T.HEALTH_BAD.format(url=url, status=status) + "\n")
        return EXIT_UNHEALTHY
    out.write(T.HEALTH_OK.format(url=url) + "\n")
    return EXIT_OK
