"""The one table of health-probe cases (tests/cases/health_probes.json, DESIGN §9): the
Python runner's classifier (orchestrator/health/classify.py) and the SQL one that the pg_net
health checks use (integration_ops.classify_health_probe) give the same status, with the
same message prefix, for every case: an HTTP answer (status code, latency, threshold) or a
probe without one, as each twin meets it (pg_net's timed_out / error_msg; an exception)."""

from __future__ import annotations

import builtins
from types import SimpleNamespace
from typing import Any

import aiohttp
import psycopg
import pytest

from orchestrator.health import classify_exception, classify_probe
from orchestrator.health.models import HealthResult

from .cases import health_probe_cases

CASES = health_probe_cases()
IDS = [c["name"] for c in CASES]


def _exception(spec: dict[str, Any]) -> BaseException:
    """The exception the runner meets: an aiohttp class (built as aiohttp builds it) or a
    builtin."""
    name, message = spec["exception"], spec["message"]
    cls = getattr(aiohttp, name, None) or getattr(builtins, name)
    if issubclass(cls, aiohttp.ClientConnectorError):
        key = SimpleNamespace(host="127.0.0.1", port=9, ssl=True)
        return cls(key, OSError(spec["errno"], message))  # type: ignore[arg-type]
    if issubclass(cls, OSError) and "errno" in spec:
        return cls(spec["errno"], message)
    exc: BaseException = cls(message)
    return exc


def _check(status: str, error: str | None, case: dict[str, Any]) -> None:
    assert status == case["status"], case["name"]
    if case["status"] == "healthy":
        assert error is None, case["name"]
    else:
        assert error, case["name"]
        if case["error_starts_with"] is not None:
            assert error.startswith(case["error_starts_with"]), (case["name"], error)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_python_classifier_follows_the_case_table(case: dict[str, Any]) -> None:
    result: HealthResult
    if case["kind"] == "answer":
        result = classify_probe(
            case["status_code"], case["latency_ms"], case["degraded_latency_ms"]
        )
    else:
        result = classify_exception(_exception(case["python"]), 10.0)
    _check(result.status, result.error, case)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_sql_classifier_follows_the_case_table(
    admin_conn: psycopg.Connection[Any], case: dict[str, Any]
) -> None:
    if case["kind"] == "answer":
        args = (case["status_code"], case["latency_ms"], case["degraded_latency_ms"], False, None)
    else:
        pg = case["pg_net"]
        args = (None, None, 2000, pg["timed_out"], pg["error_msg"])
    row = admin_conn.execute(
        "SELECT status, error_message FROM integration_ops.classify_health_probe("
        "%s::integer, %s::integer, %s::integer, %s::boolean, %s::text)",
        args,
    ).fetchone()
    assert row is not None
    _check(row[0], row[1], case)


def test_the_table_covers_every_row_of_design_9() -> None:
    """Healthy, slow, 429, other 4xx, 5xx and the three transport outcomes, on both sides of
    the threshold; a table that lost a row of DESIGN §9 fails here."""
    answers = [c for c in CASES if c["kind"] == "answer"]
    seen = {
        (c["status"], c["status_code"] // 100, c["latency_ms"] > c["degraded_latency_ms"])
        for c in answers
    }
    for row in [
        ("healthy", 2, False),
        ("healthy", 3, False),
        ("degraded", 2, True),
        ("degraded", 3, True),
        ("degraded", 4, False),
        ("unreachable", 5, False),
    ]:
        assert row in seen, row
    assert any(c["status_code"] == 429 for c in answers)
    assert any(c["latency_ms"] == c["degraded_latency_ms"] for c in answers)  # the boundary
    transports = {c["transport"] for c in CASES if c["kind"] == "transport"}
    assert transports == {"timeout", "connection_refused", "other_error"}
