"""DESIGN §9's classification table, and nothing else.

| outcome                                                  | status      |
|----------------------------------------------------------|-------------|
| 2xx/3xx within `degraded_latency_ms`                     | healthy     |
| 2xx/3xx slower; 429; other 4xx                           | degraded    |
| 5xx, timeout, connection or TLS error, any exception     | unreachable |

Status codes outside 200-599 (1xx is never a final answer) are treated as unreachable:
the endpoint did not give a usable answer. A probe URL the URL rules refuse is
unreachable with `url_not_allowed: <rule>` (it is never connected to).
"""

from __future__ import annotations

from http import HTTPStatus

import aiohttp

from ..runtime.http import printable, refusal_of
from .models import HealthResult


def classify_probe(status_code: int, latency_ms: int, degraded_latency_ms: int) -> HealthResult:
    """Classify an HTTP response by status code and latency (milliseconds)."""
    if 200 <= status_code < 400:
        if latency_ms <= degraded_latency_ms:
            return HealthResult("healthy", latency_ms, None)
        return HealthResult(
            "degraded",
            latency_ms,
            f"slow response: HTTP {status_code} in {latency_ms} ms "
            f"(degraded above {degraded_latency_ms} ms)",
        )
    if status_code == 429:
        return HealthResult("degraded", latency_ms, "HTTP 429: rate limited")
    if 400 <= status_code < 500:
        return HealthResult("degraded", latency_ms, f"HTTP {status_code}: {_reason(status_code)}")
    return HealthResult("unreachable", latency_ms, f"HTTP {status_code}: {_reason(status_code)}")


def classify_exception(exc: BaseException, timeout_s: float | None = None) -> HealthResult:
    """Any exception in a check is `unreachable`; the message names what happened.

    The text may carry credentials (an exception's own message): SQL's
    `sanitize_error_text` redacts it when `record_health_check` stores it.
    """
    refused = refusal_of(exc)
    if refused is not None:
        return HealthResult("unreachable", None, f"url_not_allowed: {_text(refused)}")
    if isinstance(exc, TimeoutError):
        limit = f" after {timeout_s:g} s" if timeout_s is not None else ""
        return HealthResult("unreachable", None, f"timeout: no response{limit}")
    if isinstance(exc, aiohttp.ClientConnectorError):
        return HealthResult("unreachable", None, f"connection error: {_text(exc)}")
    if isinstance(exc, aiohttp.ClientError):
        return HealthResult("unreachable", None, f"transport error: {_text(exc)}")
    return HealthResult("unreachable", None, f"{type(exc).__name__}: {_text(exc)}")


def _text(exc: BaseException) -> str:
    return printable(str(exc) or repr(exc))


def _reason(status_code: int) -> str:
    try:
        return HTTPStatus(status_code).phrase
    except ValueError:
        return "unknown status"
