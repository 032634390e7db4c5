"""The classification of an integration's answer (DESIGN §11, §12), as a pure function.

The one table of cases, `tests/cases/sync_responses.json`, is loaded by this module's
tests and by the SQL reconciler's, so both sides classify alike:

- non-2xx → `http_<status>` (the message carries the start of the body);
- 2xx with a JSON object whose `records_processed` / `records_failed` are absent, null
  (→ 0) or non-negative integral numbers below 2^31 (`5.0` and `1e3` count) → completed;
- any other 2xx (empty or blank body, not JSON, not an object, a bad count) →
  `invalid_response`.

Numbers are parsed as decimals (as Postgres's jsonb does), so `5.0000000000000001` is
not integral here either; NaN / Infinity are not JSON.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, Final, NoReturn

from . import models
from .models import CallOutcome

MAX_COUNT: Final = 2**31 - 1  # the columns are integer
BODY_SNIPPET_CHARS: Final = 500


class _NotJson(ValueError):
    pass


def _reject_constant(name: str) -> NoReturn:
    raise _NotJson(f"{name} is not JSON")


def _count(payload: dict[str, Any], key: str) -> int | None:
    """A valid count (absent or null → 0); None when the value is not one."""
    value = payload.get(key)
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return None
    if isinstance(value, Decimal) and value != value.to_integral_value():
        return None
    if not 0 <= value <= MAX_COUNT:
        return None
    return int(value)


def snippet(body: bytes) -> str:
    return body.decode("utf-8", errors="replace").strip()[:BODY_SNIPPET_CHARS]


def classify_sync_response(status: int, body: bytes) -> CallOutcome:
    if not 200 <= status < 300:
        text = snippet(body)
        message = f"endpoint answered HTTP {status}" + (f": {text}" if text else "")
        return CallOutcome.failed(models.http_error_code(status), message, http_status=status)

    def invalid(why: str) -> CallOutcome:
        return CallOutcome.failed(
            models.INVALID_RESPONSE, f"HTTP {status} {why}: {snippet(body)}", http_status=status
        )

    if not body.strip():
        return invalid("with an empty body (expected a JSON object)")
    try:
        payload = json.loads(body, parse_float=Decimal, parse_constant=_reject_constant)
    except (ValueError, UnicodeDecodeError):
        return invalid("with a body that is not JSON")
    if not isinstance(payload, dict):
        return invalid("with JSON that is not an object")
    processed = _count(payload, "records_processed")
    failed = _count(payload, "records_failed")
    if processed is None or failed is None:
        return invalid(
            "with records_processed/records_failed that are not integers in 0..2147483647"
        )
    return CallOutcome.completed(processed, failed, http_status=status)
