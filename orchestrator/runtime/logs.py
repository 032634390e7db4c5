"""One logging setup for every command: stderr, `--log-level` / ORCHESTRATOR_LOG_LEVEL,
`--log-format text|json` / ORCHESTRATOR_LOG_FORMAT.

`json` writes one object per line: `ts`, `level`, `logger`, `message`, plus the fields a
line carries in its `extra` (`sync_run` for a run's result, `health_check` for a
probe's), merged at the top level. httpx's per-request INFO line is off unless the
level is DEBUG: the worker logs one line per run itself.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any, Final

LEVELS: Final = ("DEBUG", "INFO", "WARNING", "ERROR")
LOG_FORMATS: Final = ("text", "json")
FORMAT: Final = "%(asctime)s %(levelname)s %(name)s %(message)s"
FIELD_EXTRAS: Final = ("sync_run", "health_check")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for extra in FIELD_EXTRAS:
            fields = getattr(record, extra, None)
            if isinstance(fields, dict):
                entry.update(fields)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure_logging(level: str, log_format: str = "text") -> None:
    """Root logger at `level` on stderr. psycopg_pool's own reconnect chatter is kept at
    ERROR: the runtime reports outages itself, one line each and a summary."""
    handler = logging.StreamHandler(sys.stderr)
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter(FORMAT))
    logging.basicConfig(level=level.upper(), handlers=[handler], force=True)
    logging.getLogger("psycopg.pool").setLevel(logging.ERROR)
    logging.getLogger("httpx").setLevel(
        logging.DEBUG if level.upper() == "DEBUG" else logging.WARNING
    )
