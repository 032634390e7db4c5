"""The boundary every adapter implements (DESIGN §9)."""

from __future__ import annotations

from typing import Protocol, TypeVar
from uuid import UUID

from .models import HealthResult

ConfigT_contra = TypeVar("ConfigT_contra", contravariant=True)


class HealthCheck(Protocol[ConfigT_contra]):
    """Probe one (org, integration) pair lightly and classify the outcome.

    Implementations may raise; the runner records any exception as `unreachable`.
    """

    async def check(self, org_id: UUID, config: ConfigT_contra) -> HealthResult: ...
