"""Pure units of the runner's value types."""

from __future__ import annotations

import pytest

from orchestrator.health import RunnerOptions, RunSummary
from orchestrator.health.runner import default_worker_id


@pytest.mark.parametrize(
    "kwargs",
    [
        {"concurrency": 0},
        {"max_checks": 0},
        {"timeout_s": 0.0},
        {"poll_interval_s": -1.0},
    ],
)
def test_runner_options_refuse_nonsense(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        RunnerOptions(worker_id="w", **kwargs)  # type: ignore[arg-type]


def test_summary_adds_and_prints() -> None:
    total = RunSummary(2, 1, 1, 0, 0) + RunSummary(1, 0, 0, 1, 1)
    assert total == RunSummary(3, 1, 1, 1, 1)
    assert total.line() == (
        "health: claimed 3; healthy 1, degraded 1, unreachable 1; not recorded 1"
    )
    assert default_worker_id().startswith("health-")
