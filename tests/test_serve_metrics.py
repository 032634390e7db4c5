"""`orchestrator serve` as a real process: both loops, /metrics, /healthz, /readyz and
JSON logs, against the session's real Postgres and a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import signal
import socket
import time
from collections.abc import Callable
from typing import Any
from uuid import UUID

import httpx
import psycopg
from prometheus_client.parser import text_string_to_metric_families

from orchestrator.runtime.metrics import EndpointServer, Liveness, Metrics
from tests.health_pairs import isolated_pairs
from tests.http_fixtures import RecordingServer
from tests.sync_db import add_pair, add_pending_run, runs_of
from tests.worker_procs import finish, orchestrator, start, worker_env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until(predicate: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.1)


def get(url: str) -> httpx.Response | None:
    try:
        return httpx.get(url, timeout=5)
    except httpx.TransportError:
        return None


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    out: dict[tuple[str, frozenset[tuple[str, str]]], float] = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, frozenset(s.labels.items()))] = s.value
    return out


def test_serve_runs_both_loops_and_its_metrics_move(
    admin_conn: psycopg.Connection[Any],
    worker_dsn: str,
    http_server: RecordingServer,
    orgs: list[UUID],
) -> None:
    ok_url = http_server.route("/ok", json={"records_processed": 4})
    # a final code: a transient one (500) would get a next attempt (DESIGN §13), a pending
    # run, and the runs below would not all end
    bad_url = http_server.route("/bad", status=422)
    probe_url = http_server.route("/probe")
    orgs.append(add_pair(admin_conn, ok_url, integration_type="xledger"))
    orgs.append(add_pair(admin_conn, bad_url, integration_type="dynamics"))
    add_pending_run(admin_conn, orgs[0], "xledger")
    add_pending_run(admin_conn, orgs[1], "dynamics")
    port = free_port()
    base = f"http://127.0.0.1:{port}"

    with isolated_pairs(admin_conn) as pairs:
        health_org = pairs.add("bufdir", {"url": probe_url})
        proc = start(
            orchestrator(
                worker_dsn,
                "serve",
                "--metrics-port",
                str(port),
                "--poll-interval",
                "0.5",
                "--health-poll-interval",
                "0.5",
            ),
            worker_env(ORCHESTRATOR_LOG_FORMAT="json"),
        )
        try:
            wait_until(lambda: (r := get(f"{base}/healthz")) is not None and r.status_code == 200)
            wait_until(
                lambda: all(
                    r["status"] in ("completed", "failed") for r in runs_of(admin_conn, orgs)
                )
            )
            wait_until(lambda: pairs.current_status(health_org, "bufdir") is not None)
            metrics = get(f"{base}/metrics")
            assert metrics is not None and metrics.status_code == 200
            ready = get(f"{base}/readyz")
            assert ready is not None and ready.status_code == 200
            missing = get(f"{base}/nope")
            assert missing is not None and missing.status_code == 404
        finally:
            proc.send_signal(signal.SIGTERM)
            code, _, err = finish(proc, timeout=60)

    assert code == 0, err
    got = samples(metrics.text)

    def value(name: str, **labels: str) -> float:
        return got.get((name, frozenset(labels.items())), 0.0)

    assert (
        value(
            "orchestrator_sync_runs_total",
            outcome="completed",
            error_code="",
            integration_type="xledger",
        )
        == 1
    )
    assert (
        value(
            "orchestrator_sync_runs_total",
            outcome="failed",
            error_code="http_422",
            integration_type="dynamics",
        )
        == 1
    )
    assert value("orchestrator_sync_call_seconds_count") == 2
    assert value("orchestrator_sync_in_flight") == 0
    assert (
        value("orchestrator_health_checks_total", status="healthy", integration_type="bufdir") == 1
    )
    assert value("orchestrator_last_poll_timestamp_seconds", loop="sync") > 0
    assert value("orchestrator_last_poll_timestamp_seconds", loop="health") > 0
    assert ("orchestrator_reports_retried_total", frozenset()) in got
    assert ("orchestrator_db_errors_total", frozenset()) in got

    # JSON logs: one object a line, the same fields for sync and health results; no
    # httpx per-request line
    lines = [json.loads(line) for line in err.splitlines() if line.strip()]
    runs = [entry for entry in lines if entry.get("run_id")]
    checks = [
        entry
        for entry in lines
        if entry.get("logger") == "orchestrator.health"
        and entry.get("integration_type") == "bufdir"
    ]
    assert {r["integration_type"] for r in runs} == {"xledger", "dynamics"}
    assert {"ts", "level", "logger", "message", "org_id", "outcome", "latency_ms"} <= set(runs[0])
    assert checks and {"org_id", "outcome", "latency_ms"} <= set(checks[0])
    assert not [e for e in lines if e.get("logger") == "httpx"]


def scrape_while_running(
    args: list[str], base: str, done: Callable[[], bool]
) -> tuple[dict[tuple[str, frozenset[tuple[str, str]]], float], int, str]:
    """Start `orchestrator <args>`, wait for /healthz and for `done`, scrape /metrics and
    /readyz, stop it with SIGTERM: (the samples, its exit code, its stderr)."""
    proc = start(args, worker_env())
    try:
        wait_until(lambda: (r := get(f"{base}/healthz")) is not None and r.status_code == 200)
        wait_until(done)
        metrics = get(f"{base}/metrics")
        ready = get(f"{base}/readyz")
        assert metrics is not None and metrics.status_code == 200
        assert ready is not None and ready.status_code == 200
    finally:
        proc.send_signal(signal.SIGTERM)
        code, _, err = finish(proc, timeout=60)
    return samples(metrics.text), code, err


def test_worker_and_health_serve_metrics_too(
    admin_conn: psycopg.Connection[Any],
    worker_dsn: str,
    http_server: RecordingServer,
    orgs: list[UUID],
) -> None:
    """`worker --metrics-port` and `health --metrics-port`: the same endpoints and metrics
    as `serve`, each with its one loop."""
    ok_url = http_server.route("/ok", json={"records_processed": 2})
    orgs.append(add_pair(admin_conn, ok_url, integration_type="xledger"))
    add_pending_run(admin_conn, orgs[0], "xledger")
    port = free_port()
    got, code, err = scrape_while_running(
        orchestrator(worker_dsn, "worker", "--metrics-port", str(port), "--poll-interval", "0.5"),
        f"http://127.0.0.1:{port}",
        lambda: all(r["status"] == "completed" for r in runs_of(admin_conn, orgs)),
    )
    assert code == 0, err
    labels = {"outcome": "completed", "error_code": "", "integration_type": "xledger"}
    assert got.get(("orchestrator_sync_runs_total", frozenset(labels.items()))) == 1
    assert got.get(("orchestrator_last_poll_timestamp_seconds", frozenset({("loop", "sync")})))
    assert ("orchestrator_last_poll_timestamp_seconds", frozenset({("loop", "health")})) not in got

    probe_url = http_server.route("/probe")
    with isolated_pairs(admin_conn) as pairs:
        health_org = pairs.add("bufdir", {"url": probe_url})
        port = free_port()
        got, code, err = scrape_while_running(
            orchestrator(
                worker_dsn,
                "health",
                "--metrics-port",
                str(port),
                "--metrics-host",
                "127.0.0.1",
                "--poll-interval",
                "0.5",
            ),
            f"http://127.0.0.1:{port}",
            lambda: pairs.current_status(health_org, "bufdir") is not None,
        )
    assert code == 0, err
    labels = frozenset({("status", "healthy"), ("integration_type", "bufdir")})
    assert got.get(("orchestrator_health_checks_total", labels)) == 1
    assert ("orchestrator_last_poll_timestamp_seconds", frozenset({("loop", "sync")})) not in got


def test_metrics_options_on_every_loop() -> None:
    from click.testing import CliRunner

    from orchestrator.cli import main

    for command in ("serve", "worker", "health"):
        result = CliRunner().invoke(main, [command, "--help"])
        assert result.exit_code == 0
        assert "--metrics-port" in result.output and "--metrics-host" in result.output
        assert "ORCHESTRATOR_METRICS_PORT" in result.output


def test_serve_needs_a_loop_and_a_webhook_secret_for_sync(worker_dsn: str) -> None:
    code, _, err = finish(
        start(orchestrator(worker_dsn, "serve", "--no-sync", "--no-health"), worker_env())
    )
    assert code == 2 and "nothing to run" in err
    env = {k: v for k, v in worker_env().items() if k != "ORCHESTRATOR_WEBHOOK_SECRET"}
    code, _, err = finish(start(orchestrator(worker_dsn, "serve"), env))
    assert code == 2 and "ORCHESTRATOR_WEBHOOK_SECRET" in err


async def test_healthz_and_readyz_answer_503_when_a_loop_or_the_database_is_down() -> None:
    async def stopped() -> None:
        return None

    done = asyncio.create_task(stopped())
    await done
    running = asyncio.create_task(asyncio.sleep(60))
    liveness = Liveness()
    liveness.watch("sync", running)

    async def not_ready() -> bool:
        return False

    server = EndpointServer(Metrics(), liveness, not_ready)
    try:
        assert (await server.respond("GET", "/healthz")).status == 200
        assert (await server.respond("GET", "/readyz")).status == 503
        liveness.watch("health", done)
        assert (await server.respond("GET", "/healthz")).status == 503
        assert (await server.respond("POST", "/metrics")).status == 405
    finally:
        running.cancel()


def test_json_log_lines_merge_the_result_fields() -> None:
    import logging

    from orchestrator.runtime.logs import JsonFormatter

    record = logging.LogRecord(
        "orchestrator.health", logging.INFO, __file__, 1, "checked %s", ("x",), None
    )
    record.health_check = {"org_id": "o", "integration_type": "bufdir", "latency_ms": None}
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "checked x" and entry["level"] == "INFO"
    assert entry["logger"] == "orchestrator.health" and entry["ts"].endswith("+00:00")
    assert (entry["integration_type"], entry["latency_ms"]) == ("bufdir", None)
