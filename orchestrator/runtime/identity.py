"""One worker id format for every loop: `host:pid` (ORCHESTRATOR_WORKER_ID overrides)."""

from __future__ import annotations

import os
import socket


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"
