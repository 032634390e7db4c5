"""One logging setup for every command: stderr, `--log-level` / ORCHESTRATOR_LOG_LEVEL."""

from __future__ import annotations

import logging
import sys
from typing import Final

LEVELS: Final = ("DEBUG", "INFO", "WARNING", "ERROR")
FORMAT: Final = "%(asctime)s %(levelname)s %(name)s %(message)s"


def configure_logging(level: str) -> None:
    """Root logger at `level` on stderr. psycopg_pool's own reconnect chatter is kept at
    ERROR: the runtime reports outages itself, one line each and a summary."""
    logging.basicConfig(level=level.upper(), format=FORMAT, stream=sys.stderr, force=True)
    logging.getLogger("psycopg.pool").setLevel(logging.ERROR)
