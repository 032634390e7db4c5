"""Health-check framework (DESIGN §9): probe configs from one table of vendors, the
probe, the §9 classification and the `HealthWork` the runtime loop runs, recording
through ``integration_ops.record_health_check``. Business rules (scheduling, backoff,
sanitising, passive mode) live in Postgres; this package only probes."""

from .adapters import HealthChecker
from .classify import classify_exception, classify_probe
from .config import VENDORS, HealthConfig, HealthConfigError, VendorSpec, parse_health_config
from .models import ClaimedCheck, HealthResult, HealthStatus
from .protocol import HealthCheck

__all__ = [
    "VENDORS",
    "ClaimedCheck",
    "HealthCheck",
    "HealthChecker",
    "HealthConfig",
    "HealthConfigError",
    "HealthResult",
    "HealthStatus",
    "VendorSpec",
    "classify_exception",
    "classify_probe",
    "parse_health_config",
]
