"""Health-check framework (DESIGN §9): typed probe configs, one adapter per vendor,
the §9 classification and a parallel runner that records through
``integration_ops.record_health_check``. Business rules (scheduling, backoff,
sanitising, passive mode) live in Postgres; this package only probes."""

from .adapters import HealthChecker
from .classify import classify_exception, classify_response
from .config import (
    BufdirConfig,
    DynamicsConfig,
    HealthConfig,
    HealthConfigError,
    XledgerConfig,
    parse_health_config,
)
from .models import ClaimedCheck, HealthResult, HealthStatus
from .protocol import HealthCheck
from .runner import RunnerOptions, RunSummary, run_forever, run_once

__all__ = [
    "BufdirConfig",
    "ClaimedCheck",
    "DynamicsConfig",
    "HealthCheck",
    "HealthChecker",
    "HealthConfig",
    "HealthConfigError",
    "HealthResult",
    "HealthStatus",
    "RunSummary",
    "RunnerOptions",
    "XledgerConfig",
    "classify_exception",
    "classify_response",
    "parse_health_config",
    "run_forever",
    "run_once",
]
