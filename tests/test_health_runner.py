"""The health runner against the deployed plan (real Postgres as the worker login) and
real HTTP servers on 127.0.0.1 (issue 6's Tests section)."""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

import psycopg
import pytest

from orchestrator.health import HealthCheck, HealthChecker, HealthConfig, HealthResult
from orchestrator.health.adapters import make_client
from orchestrator.health.service import run_health
from orchestrator.runtime.db import Database, DbConfig
from orchestrator.runtime.errors import TransientDbError
from orchestrator.runtime.loop import Lifecycle, LoopConfig, RunSummary
from orchestrator.runtime.store import WorkerStore

from .health_pairs import HealthPairs, isolated_pairs
from .probe_servers import ProbeServer, probe_server, refused_port

REPO_ROOT = Path(__file__).resolve().parent.parent


async def run_once(
    dsn: str,
    checker: HealthCheck[HealthConfig] | None = None,
    timeout_s: float | None = 5.0,
    **over: int,
) -> RunSummary:
    values = {"concurrency": 50, "max_claim": 200, **over}
    config = LoopConfig(worker_id="test-probe", poll_interval=0.05, once=True, **values)  # type: ignore[arg-type]
    return await run_health(dsn, config, timeout_s, checker)


@pytest.fixture()
def server() -> Iterator[ProbeServer]:
    with probe_server() as s:
        yield s


@pytest.fixture()
def pairs(admin_conn: psycopg.Connection[Any]) -> Iterator[HealthPairs]:
    with isolated_pairs(admin_conn) as p:
        yield p


async def test_probes_run_in_parallel(
    server: ProbeServer, pairs: HealthPairs, worker_dsn: str
) -> None:
    orgs = [
        pairs.add(
            "xledger",
            {"url": server.route(f"/slow/{i}", delay_s=1.0), "degraded_latency_ms": 60_000},
        )
        for i in range(5)
    ]
    summary = await run_once(worker_dsn)
    assert (summary.claimed, summary.count("healthy")) == (5, 5)
    seen = server.seen()
    assert len(seen) == 5
    # every probe had started before any of them was answered: they overlapped
    assert max(r.started for r in seen) < min(r.finished for r in seen)
    for org in orgs:
        assert pairs.status(org, "xledger")["status"] == "healthy"


async def test_hanging_probe_is_cancelled_others_recorded(
    server: ProbeServer, pairs: HealthPairs, worker_dsn: str
) -> None:
    hang = pairs.add("bufdir", {"url": server.route("/hang", hang=True)})
    ok = pairs.add("bufdir", {"url": server.route("/ok")})
    bad = pairs.add("dynamics", {"url": server.route("/down", status=503)})
    summary = await run_once(worker_dsn, timeout_s=0.5)
    assert (summary.claimed, summary.count("healthy"), summary.count("unreachable")) == (3, 1, 2)
    hung = pairs.status(hang, "bufdir")
    assert (hung["status"], hung["latency_ms"]) == ("unreachable", None)
    assert hung["error_message"] == "timeout: no response after 0.5 s"
    assert pairs.status(ok, "bufdir")["status"] == "healthy"
    down = pairs.status(bad, "dynamics")
    assert (down["status"], down["error_message"]) == (
        "unreachable",
        "HTTP 503: Service Unavailable",
    )


class RaisingFor:
    """Delegates to the real checker except for one org, whose check raises."""

    def __init__(self, inner: HealthChecker, org_id: UUID, exc: Exception) -> None:
        self.inner, self.org_id, self.exc = inner, org_id, exc

    async def check(self, org_id: UUID, config: HealthConfig) -> HealthResult:
        if org_id == self.org_id:
            raise self.exc
        return await self.inner.check(org_id, config)


async def test_raising_probe_is_recorded_sanitised(
    server: ProbeServer, pairs: HealthPairs, worker_dsn: str
) -> None:
    boom = pairs.add("xledger", {"url": server.route("/boom")})
    fine = pairs.add("xledger", {"url": server.route("/fine")})
    bad_config = pairs.add("bufdir", {"degraded_latency_ms": "fast"})
    no_secret = pairs.add("bufdir", {"url": server.route("/secret")}, secret_ref="nowhere")
    exc = RuntimeError(
        "login failed for https://svc:hunter2@api.example/x password=hunter2 "
        "Authorization: Bearer abcdef123456secret"
    )
    async with make_client(5.0, 10) as client:
        checker = RaisingFor(HealthChecker(client, environ={}), boom, exc)
        summary = await run_once(worker_dsn, checker)
    assert (summary.claimed, summary.count("healthy"), summary.count("unreachable")) == (4, 1, 3)
    stored = pairs.status(boom, "xledger")
    assert stored["status"] == "unreachable"
    message = stored["error_message"]
    assert message.startswith("RuntimeError: login failed for https://")
    assert "[redacted]" in message
    assert "hunter2" not in message and "abcdef123456secret" not in message
    assert pairs.status(fine, "xledger")["status"] == "healthy"
    bad = pairs.status(bad_config, "bufdir")
    assert bad["status"] == "unreachable"
    assert bad["error_message"].startswith("HealthConfigError: invalid health_config for bufdir")
    secret = pairs.status(no_secret, "bufdir")
    assert secret["status"] == "unreachable"
    assert "ORCHESTRATOR_SECRET_NOWHERE is not set" in secret["error_message"]
    assert server.seen("/boom") == [] and server.seen("/secret") == []


async def test_classification_table_is_recorded(
    server: ProbeServer, pairs: HealthPairs, worker_dsn: str
) -> None:
    with refused_port() as port:
        cases = {
            "fast 200": ({"url": server.route("/fast")}, "healthy"),
            "slow 200": (
                {"url": server.route("/slow", delay_s=0.3), "degraded_latency_ms": 50},
                "degraded",
            ),
            "429": ({"url": server.route("/429", status=429)}, "degraded"),
            "401": ({"url": server.route("/401", status=401)}, "degraded"),
            "500": ({"url": server.route("/500", status=500)}, "unreachable"),
            "refused": ({"url": f"http://127.0.0.1:{port}/x"}, "unreachable"),
        }
        orgs = {name: pairs.add("dynamics", cfg) for name, (cfg, _) in cases.items()}
        summary = await run_once(worker_dsn)
    assert summary.claimed == 6
    for name, (_, expected) in cases.items():
        row = pairs.status(orgs[name], "dynamics")
        assert row["status"] == expected, name
        assert (row["latency_ms"] is None) == (name == "refused"), name


async def test_upsert_updates_row_and_writes_history(
    server: ProbeServer, pairs: HealthPairs, worker_dsn: str
) -> None:
    org = pairs.add("xledger", {"url": server.route("/flip")})
    await run_once(worker_dsn)
    first = pairs.status(org, "xledger")
    assert (first["status"], first["consecutive_failures"]) == ("healthy", 0)
    assert pairs.history_count(org, "xledger") == 1
    # not due again yet: a second pass claims nothing
    assert (await run_once(worker_dsn)).claimed == 0
    server.route("/flip", status=500)
    pairs.make_due(org, "xledger")
    await run_once(worker_dsn)
    second = pairs.status(org, "xledger")
    assert (second["status"], second["consecutive_failures"]) == ("unreachable", 1)
    assert second["checked_at"] >= first["checked_at"]
    assert pairs.history_count(org, "xledger") == 2


async def test_passive_pairs_are_never_contacted(
    server: ProbeServer, pairs: HealthPairs, worker_dsn: str
) -> None:
    pairs.add("bufdir", {"url": server.route("/passive")}, health_mode="passive")
    pairs.add("bufdir", {"url": server.route("/disabled")}, health_mode="disabled")
    active = pairs.add("bufdir", {"url": server.route("/active")})
    summary = await run_once(worker_dsn)
    assert summary.claimed == 1
    assert [r.path for r in server.seen()] == ["/active"]
    assert pairs.status(active, "bufdir")["status"] == "healthy"


async def test_batches_until_nothing_is_due(
    server: ProbeServer, pairs: HealthPairs, worker_dsn: str
) -> None:
    for i in range(3):
        pairs.add("xledger", {"url": server.route(f"/b{i}")})
    summary = await run_once(worker_dsn, max_claim=2, concurrency=1)
    assert (summary.claimed, summary.count("healthy"), summary.unreported) == (3, 3, 0)


async def test_loop_runs_until_stopped(
    server: ProbeServer, pairs: HealthPairs, worker_dsn: str
) -> None:
    org = pairs.add("xledger", {"url": server.route("/loop")})
    life = Lifecycle()
    config = LoopConfig(worker_id="test-probe", concurrency=50, poll_interval=0.05)
    task = asyncio.create_task(run_health(worker_dsn, config, life=life))  # timeout: settings
    for _ in range(600):  # wait for the result (bounded polling, not a timing assertion)
        if pairs.current_status(org, "xledger") is not None:
            break
        await asyncio.sleep(0.05)
    life.request_stop()
    await asyncio.wait_for(task, 30)
    assert pairs.status(org, "xledger")["status"] == "healthy"
    assert len(server.seen("/loop")) == 1


def test_health_once_end_to_end(server: ProbeServer, pairs: HealthPairs, worker_dsn: str) -> None:
    ok = pairs.add("xledger", {"url": server.route("/graphql")}, secret_ref="e2e_xl")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORCHESTRATOR_")}
    env["ORCHESTRATOR_SECRET_E2E_XL"] = "e2e-token"
    env["ORCHESTRATOR_LOG_LEVEL"] = "WARNING"  # honoured: no INFO line below
    with refused_port() as port:
        refused = pairs.add("bufdir", {"base_url": f"http://127.0.0.1:{port}"})
        proc = subprocess.run(
            [sys.executable, "-m", "orchestrator", "--dsn", worker_dsn, "health", "--once"],
            cwd=REPO_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert proc.returncode == 0, proc.stderr
    assert "claimed 2; healthy 1, degraded 0, unreachable 1" in proc.stdout
    assert "e2e-token" not in proc.stdout + proc.stderr
    assert " INFO " not in proc.stderr and " WARNING " not in proc.stderr, proc.stderr
    [seen] = server.seen("/graphql")
    assert seen.headers["Authorization"] == "token e2e-token"
    assert pairs.status(ok, "xledger")["status"] == "healthy"
    assert pairs.status(refused, "bufdir")["status"] == "unreachable"


async def test_record_failure_does_not_stop_others(
    server: ProbeServer, pairs: HealthPairs, worker_dsn: str
) -> None:
    """A result the database refuses (a negative latency) is counted, the rest recorded."""
    first = pairs.add("xledger", {"url": server.route("/one")})
    second = pairs.add("xledger", {"url": server.route("/two")})

    class NegativeFor:
        def __init__(self, inner: HealthChecker) -> None:
            self.inner = inner

        async def check(self, org_id: UUID, config: HealthConfig) -> HealthResult:
            if org_id == first:
                return HealthResult("healthy", -1, None)
            return await self.inner.check(org_id, config)

    async with make_client(5.0, 10) as client:
        summary = await run_once(worker_dsn, NegativeFor(HealthChecker(client)))
    assert (summary.claimed, summary.count("healthy"), summary.unreported) == (2, 1, 1)
    assert pairs.status(second, "xledger")["status"] == "healthy"


async def test_loop_waits_for_an_unavailable_database(caplog: pytest.LogCaptureFixture) -> None:
    """The long-running loop waits for a database that is down (one line, no traceback),
    and a stop ends the wait."""
    caplog.set_level(logging.DEBUG, logger="orchestrator")  # the retries' lines too
    life = Lifecycle()
    config = LoopConfig(worker_id="test-probe", poll_interval=0.05)
    with refused_port() as port:
        dsn = f"host=127.0.0.1 port={port} user=nobody dbname=none connect_timeout=2"
        task = asyncio.create_task(run_health(dsn, config, life=life))
        for _ in range(600):  # until three attempts have failed (each logs a line)
            if len([r for r in caplog.records if "database unavailable" in r.getMessage()]) >= 3:
                break
            await asyncio.sleep(0.05)
        else:
            pytest.fail("the loop did not retry three times in 30 s")
        life.request_stop()
        with pytest.raises(TransientDbError):
            await asyncio.wait_for(task, 30)
    lines = [r for r in caplog.records if "database unavailable" in r.getMessage()]
    assert len(lines) >= 3  # it retried
    assert len([r for r in lines if r.levelno == logging.WARNING]) == 1  # one WARNING per kind
    assert all(r.exc_info is None for r in caplog.records)


async def test_backoff_grows_is_capped_and_resets(
    server: ProbeServer, pairs: HealthPairs, worker_dsn: str
) -> None:
    """record_health_check's rule seen from the worker: interval * 2^failures, capped at
    4 hours, back to the interval after a healthy result."""
    org = pairs.add("xledger", {"url": server.route("/flaky", status=500)})
    delays = []
    for attempt in range(6):
        if attempt == 5:
            server.route("/flaky", status=200)
        await run_once(worker_dsn)
        row = pairs.admin.execute(
            "SELECT extract(epoch FROM next_check_at - checked_at)::integer / 60 "
            "FROM public.integration_health_status WHERE org_id = %s",
            (org,),
        ).fetchone()
        assert row is not None
        delays.append(row[0])
        pairs.make_due(org, "xledger")
    assert delays == [30, 60, 120, 240, 240, 15]


async def test_history_is_capped_per_pair(pairs: HealthPairs, worker_dsn: str) -> None:
    org = pairs.add("bufdir", {"base_url": "https://bufdir.test"}, health_mode="passive")
    db = Database(DbConfig(worker_dsn))
    await db.open(wait_s=5)
    async with db:
        store = WorkerStore(db)
        for i in range(100):
            await store.record_health_check(org, "bufdir", "healthy", i, None)
    cap = pairs.admin.execute("SELECT history_cap FROM integration_ops.settings").fetchone()
    assert cap == (96,)  # the default of DESIGN §7
    assert pairs.history_count(org, "bufdir") == 96
    assert pairs.status(org, "bufdir")["latency_ms"] == 99
