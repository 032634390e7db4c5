"""The observer hook of the runtime: what happened, for metrics and the like.

Every method has a no-op default in `NoEvents`; a Prometheus exporter (or a test)
implements the ones it needs. Calls are synchronous and must not block.
"""

from __future__ import annotations

from typing import Protocol

from .errors import DbError


class RuntimeEvents(Protocol):
    def on_poll(self, service: str, claimed: int) -> None:
        """A claim returned `claimed` items (0 included)."""

    def on_run_finished(self, service: str, outcome: str, latency_s: float, reported: bool) -> None:
        """One item is done: its outcome name, how long it took, whether it was reported."""

    def on_report_retried(self, service: str, error: DbError) -> None:
        """A report met a transient error and will be retried."""

    def on_db_error(self, error: DbError) -> None:
        """Any database error at the boundary (transient, permanent or refused)."""

    def on_db_recovered(self, outage_s: float, errors: int) -> None:
        """The database answered again after an outage of `outage_s` seconds."""


class NoEvents:
    """The default observer: ignores everything."""

    def on_poll(self, service: str, claimed: int) -> None:
        return None

    def on_run_finished(self, service: str, outcome: str, latency_s: float, reported: bool) -> None:
        return None

    def on_report_retried(self, service: str, error: DbError) -> None:
        return None

    def on_db_error(self, error: DbError) -> None:
        return None

    def on_db_recovered(self, outage_s: float, errors: int) -> None:
        return None


NO_EVENTS: RuntimeEvents = NoEvents()
