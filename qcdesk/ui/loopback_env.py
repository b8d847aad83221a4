"""The process environment the player's loopback stream needs (see :mod:`qcdesk.ui.media_stream`).

Kept apart from the stream's server (which brings ``http.server``) so that the window can set it at
start-up, before Qt's and FFmpeg's threads exist: changing the environment while other threads may
read it is a race in the C library.
"""

from __future__ import annotations

import os

#: the address the stream listens on
LOOPBACK = "127.0.0.1"


def bypass_proxies() -> None:
    """Keep the player's requests off any web proxy the computer is set to use (``http_proxy``,
    which FFmpeg's HTTP client follows; it reads ``no_proxy``): a proxy cannot reach this computer's
    loopback, so playing would fail, and the address with its token would be sent to it."""
    for name in ("no_proxy", "NO_PROXY"):
        hosts = [h.strip() for h in os.environ.get(name, "").split(",") if h.strip()]
        if LOOPBACK not in hosts:
            os.environ[name] = ",".join([*hosts, LOOPBACK])
