"""Value types of the health framework."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..runtime.models import ClaimedCheck

__all__ = ["ClaimedCheck", "HealthResult", "HealthStatus"]

HealthStatus = Literal["healthy", "degraded", "unreachable"]
"""The three statuses `integration_health_status.status` accepts (DESIGN §7)."""


@dataclass(frozen=True)
class HealthResult:
    """One probe's outcome, exactly what `record_health_check` stores.

    `latency_ms` is the time to the response headers, or None when no response came
    (timeout, connection error, exception). `error` is None for a healthy result; it is
    stored after SQL sanitises it.
    """

    status: HealthStatus
    latency_ms: int | None
    error: str | None = None
