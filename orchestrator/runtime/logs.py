"""One logging setup for every command: stderr, `--log-level` / ORCHESTRATOR_LOG_LEVEL,
`--log-format text|json` / ORCHESTRATOR_LOG_FORMAT.

`json` writes one object per line: `ts`, `level`, `logger`, `message`, plus the fields a
line carries in its `extra` (`sync_run` for a run's result, `health_check` for a
probe's), merged at the top level. aiohttp's and asyncio's own chatter is off unless the
level is DEBUG: the worker logs one line per run itself.

**No secret in a log line** (issue 21): every record that reaches the handler, from any
logger, passes `SanitizingFilter` first: its message (with its args), the string values
of its `sync_run`/`health_check` fields and its traceback's text go through the error
sanitiser (`orchestrator.runtime.sanitize`, the Python twin of the SQL rules, unchanged), so a
URL or an error text never leaves with its credentials, in either format.
"""

from __future__ import annotations

import functools
import json
import logging
import re
import sys
from datetime import UTC, datetime
from typing import Any, Final

from .sanitize import sanitize_error_text

LEVELS: Final = ("DEBUG", "INFO", "WARNING", "ERROR")
LOG_FORMATS: Final = ("text", "json")
FORMAT: Final = "%(asctime)s %(levelname)s %(name)s %(message)s"
FIELD_EXTRAS: Final = ("sync_run", "health_check")
QUIET_LOGGERS: Final = ("httpx", "aiohttp", "asyncio")
# A traceback's structure keeps its text (the sanitiser would drop it as stack-trace lines):
# frame lines (`  File "…", line N, in f`) and Python's fixed header and chaining lines.
_FRAME_LINE: Final = re.compile(
    r'\s*File "[^"]*", line [0-9]+(, in [A-Za-z0-9_<>.]+)?'
    r"|Traceback \(most recent call last\):"
    r"|During handling of the above exception, another exception occurred:"
    r"|The above exception was the direct cause of the following exception:"
)
# Values no sanitiser rule changes (tests/test_log_sanitising.py proves it on the rules):
# a lowercase uuid, a decimal integer.
_INERT: Final = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9]{1,18}"
)
_CACHED_CHARS: Final = 200


def _clean(text: str) -> str:
    """The sanitised text (the rules cost about 1 µs per character, so short values, which
    repeat — worker ids, types, codes — are cached, and inert ones skipped)."""
    if _INERT.fullmatch(text):
        return text
    if len(text) <= _CACHED_CHARS:
        return _clean_short(text)
    return sanitize_error_text(text) or ""


@functools.lru_cache(maxsize=1024)
def _clean_short(text: str) -> str:
    return sanitize_error_text(text) or ""


def _rendered(fields: dict[str, Any]) -> str:
    """The `key=value …` text the loops log for a run's or a probe's fields."""
    return " ".join(f"{k}={v if v is not None else '-'}" for k, v in fields.items())


def _clean_fields(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: _clean(v) if isinstance(v, str) else v for k, v in fields.items()}


def sanitize_traceback(text: str) -> str:
    """The sanitiser on a formatted traceback: its frame lines (`  File "…", line N, in f`,
    which it would drop) are kept as they are; each run of lines between them (the
    source line under a frame, the exception's message) is sanitised as one text."""
    out: list[str] = []
    block: list[str] = []

    def flush() -> None:
        if block:
            text = "\n".join(block)
            indent = text[: len(text) - len(text.lstrip(" "))]
            out.append(indent + _clean(text))
            block.clear()

    for line in text.split("\n"):
        if _FRAME_LINE.fullmatch(line):
            flush()
            out.append(line)
        else:
            block.append(line)
    flush()
    return "\n".join(out)


class SanitizingFilter(logging.Filter):
    """Rewrites each record in place so that it carries no secret (see the module doc);
    never drops a record."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: keep what there is, sanitised
            message = f"{record.msg!s} {record.args!r}"
        cleaned: str | None = None
        for extra in FIELD_EXTRAS:
            fields = getattr(record, extra, None)
            if isinstance(fields, dict):
                clean = _clean_fields(fields)
                setattr(record, extra, clean)
                # A run's or a probe's line is its fields rendered after a fixed prefix:
                # rebuilt from the cleaned fields (the hot path: one line per run).
                rendered = _rendered(fields)
                if cleaned is None and message.endswith(rendered):
                    prefix = message[: len(message) - len(rendered)]
                    cleaned = (_clean(prefix) + " " if prefix.strip() else "") + _rendered(clean)
        record.msg = _clean(message) if cleaned is None else cleaned
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = sanitize_traceback(record.exc_text)
        if record.stack_info:
            record.stack_info = sanitize_traceback(record.stack_info)
        return True


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
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, default=str)


def configure_logging(level: str, log_format: str = "text") -> None:
    """Root logger at `level` on stderr, every record sanitised. psycopg_pool's own
    reconnect chatter is kept at ERROR: the runtime reports outages itself, one line
    each and a summary."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(SanitizingFilter())
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter(FORMAT))
    logging.basicConfig(level=level.upper(), handlers=[handler], force=True)
    logging.getLogger("psycopg.pool").setLevel(logging.ERROR)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(
            logging.DEBUG if level.upper() == "DEBUG" else logging.WARNING
        )
