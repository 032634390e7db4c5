"""Value types shared by the health framework."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal
from uuid import UUID

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


@dataclass(frozen=True)
class ClaimedCheck:
    """A row of `integration_ops.claim_health_checks`: a due (org, integration) pair."""

    org_id: UUID
    integration_type: str
    health_config: Mapping[str, Any] = field(default_factory=dict)
    secret_ref: str | None = None
