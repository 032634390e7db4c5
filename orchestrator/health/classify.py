"""DESIGN §9's classification table, and nothing else.

| outcome                                                  | status      |
|----------------------------------------------------------|-------------|
| 2xx/3xx within `degraded_latency_ms`                     | healthy     |
| 2xx/3xx slower; 429; other 4xx                           | degraded    |
| 5xx, timeout, connection or TLS error, any exception     | unreachable |

Status codes outside 200-599 (1xx cannot reach us through httpx) are treated as
unreachable: the endpoint did not give a usable answer.
"""

from __future__ import annotations

import httpx

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
    if isinstance(exc, TimeoutError | httpx.TimeoutException):
        limit = f" after {timeout_s:g} s" if timeout_s is not None else ""
        return HealthResult("unreachable", None, f"timeout: no response{limit}")
    if isinstance(exc, httpx.ConnectError):
        return HealthResult("unreachable", None, f"connection error: {_text(exc)}")
    if isinstance(exc, httpx.TransportError):
        return HealthResult("unreachable", None, f"transport error: {_text(exc)}")
    return HealthResult("unreachable", None, f"{type(exc).__name__}: {_text(exc)}")


def _text(exc: BaseException) -> str:
    return str(exc) or repr(exc)


def _reason(status_code: int) -> str:
    phrase = httpx.codes.get_reason_phrase(status_code)
    return phrase or "unknown status"
