"""One worker id format for every loop: `host:pid` (ORCHESTRATOR_WORKER_ID overrides).

A worker id is stored on every claim and shown to coordinators, so it is validated
(DESIGN §13): a letter or digit, then up to 99 letters, digits or `. _ : @ / + -`
(`WORKER_ID_PATTERN`, the twin of `integration_ops.is_worker_id`: both follow
tests/cases/worker_ids.json; the database refuses others from 0.3, e.g.
`host-1 password=hunter2`). The default is made to fit whatever the host name is.
"""

from __future__ import annotations

import os
import re
import socket
from typing import Final

WORKER_ID_PATTERN: Final = r"[A-Za-z0-9][A-Za-z0-9._:@/+-]{0,99}"
WORKER_ID_RULE: Final = (
    "1 to 100 characters: a letter or digit, then letters, digits or . _ : @ / + -"
)
_OUTSIDE = re.compile(r"[^A-Za-z0-9._:@/+-]+")


def is_valid_worker_id(worker_id: str) -> bool:
    return re.fullmatch(WORKER_ID_PATTERN, worker_id) is not None


def default_worker_id() -> str:
    """`host:pid`, the host name reduced to the pattern's characters and cut to fit."""
    suffix = f":{os.getpid()}"
    host = _OUTSIDE.sub("-", socket.gethostname()).lstrip("._:@/+-")
    host = host[: 100 - len(suffix)].rstrip("._:@/+-") or "worker"
    return host + suffix
