"""`python -m orchestrator worker|dispatch` as subprocesses, against real Postgres and HTTP."""

from __future__ import annotations

import json
import signal
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from uuid import UUID

import psycopg
import pytest

from tests.http_fixtures import RecordingServer
from tests.signing_keys import WEBHOOK_SECRET, verify
from tests.sync_db import add_pair, add_pending_run, runs_of
from tests.worker_procs import SERVICE_KEY, finish, orchestrator, start, worker_env

# cron_paused before the shared `orgs` (conftest.py): a pg_cron tick between a test's
# due pair and its own dispatch would take the dispatch (only the test's own dispatches)
pytestmark = pytest.mark.usefixtures("cron_paused")


@pytest.fixture()
def stale_timeout(admin_conn: psycopg.Connection[Any]) -> Iterator[None]:
    row = admin_conn.execute("SELECT stale_run_timeout FROM integration_ops.settings").fetchone()
    assert row is not None
    yield None
    admin_conn.execute("UPDATE integration_ops.settings SET stale_run_timeout = %s", (row[0],))


def test_end_to_end_dispatch_then_worker_once(
    admin_conn: psycopg.Connection[Any],
    worker_dsn: str,
    http_server: RecordingServer,
    orgs: list[UUID],
) -> None:
    counts = {"xledger": (10, 0), "dynamics": (20, 2), "bufdir": (30, 3)}
    for kind, (processed, failed) in counts.items():
        url = http_server.route(
            f"/{kind}", json={"records_processed": processed, "records_failed": failed}
        )
        orgs.append(
            add_pair(
                admin_conn,
                url,
                integration_type=kind,
                due=True,
                secret_ref="erp_key" if kind == "dynamics" else None,
            )
        )

    code, out, err = finish(start(orchestrator(worker_dsn, "dispatch"), worker_env()))
    assert code == 0, err
    result = json.loads(out)
    assert result["triggered"] >= 3
    mine = runs_of(admin_conn, orgs)
    assert [r["status"] for r in mine] == ["pending"] * 3
    assert {str(r["id"]) for r in mine} <= {str(i) for i in result["run_ids"]}

    # An upgraded deployment that still sets the 0.2 service key: never sent, one WARNING.
    env = worker_env(
        ORCHESTRATOR_SECRET_ERP_KEY="erp-secret-value", ORCHESTRATOR_SERVICE_KEY=SERVICE_KEY
    )
    code, _, err = finish(start(orchestrator(worker_dsn, "worker", "--once"), env))
    assert code == 0, err
    assert SERVICE_KEY not in err and "erp-secret-value" not in err
    assert WEBHOOK_SECRET not in err
    assert err.count("ORCHESTRATOR_SERVICE_KEY is set but ignored since 0.3") == 1

    done = {r["integration_type"]: r for r in runs_of(admin_conn, orgs)}
    for kind, (processed, failed) in counts.items():
        run = done[kind]
        assert run["status"] == "completed"
        assert (run["records_processed"], run["records_failed"]) == (processed, failed)
        (req,) = http_server.requests_to(f"/{kind}")
        assert req.method == "POST"
        assert req.header("authorization") is None  # no gateway key set
        assert not any(SERVICE_KEY in v for v in req.headers.values())
        verify(req.body, req.headers)  # the reference library accepts the signature
        assert req.header("webhook-id") == run["idempotency_key"]
        assert req.header("content-type") == "application/json"
        assert run["idempotency_key"]
        assert req.header("idempotency-key") == run["idempotency_key"]
        assert req.header("x-integration-secret") == (
            "erp-secret-value" if kind == "dynamics" else None
        )
        body = req.json()
        assert body == {
            "run_id": str(run["id"]),
            "org_id": str(run["org_id"]),
            "integration_type": kind,
            "triggered_by": "scheduler",
            "scheduled_for": body["scheduled_for"],
            "idempotency_key": run["idempotency_key"],
        }
        assert body["scheduled_for"] is not None
        assert datetime.fromisoformat(body["scheduled_for"]) == run["scheduled_for"]
        assert body["scheduled_for"].endswith("+00:00")  # sent in UTC
    assert f"run_id={done['bufdir']['id']}" in err  # one structured line per run


def test_two_worker_processes_run_each_of_200_runs_exactly_once(
    admin_conn: psycopg.Connection[Any],
    worker_dsn: str,
    http_server: RecordingServer,
    orgs: list[UUID],
) -> None:
    url = http_server.route("/sync", json={"records_processed": 1})
    run_ids = []
    for _ in range(200):
        org = add_pair(admin_conn, url)
        orgs.append(org)
        run_ids.append(add_pending_run(admin_conn, org))

    procs = [
        start(
            orchestrator(worker_dsn, "worker", "--once", "--worker-id", f"w{i}"),
            worker_env(ORCHESTRATOR_LOG_LEVEL="WARNING"),
        )
        for i in (1, 2)
    ]
    for proc in procs:
        code, _, err = finish(proc)
        assert code == 0, err

    calls = Counter(req.json()["run_id"] for req in http_server.requests_to("/sync"))
    assert set(calls) == {str(r) for r in run_ids}
    assert set(calls.values()) == {1}
    runs = runs_of(admin_conn, orgs)
    assert {r["status"] for r in runs} == {"completed"}
    assert {r["worker_id"] for r in runs} <= {"w1", "w2"}


def test_kill_9_during_a_slow_call_then_the_reaper_fails_it_with_worker_lost(
    admin_conn: psycopg.Connection[Any],
    worker_dsn: str,
    http_server: RecordingServer,
    orgs: list[UUID],
    stale_timeout: None,
) -> None:
    url = http_server.route("/slow", delay=120)
    org = add_pair(admin_conn, url, due=True)
    orgs.append(org)
    assert (
        json.loads(finish(start(orchestrator(worker_dsn, "dispatch"), worker_env()))[1])[
            "triggered"
        ]
        >= 1
    )

    proc = start(orchestrator(worker_dsn, "worker", "--poll-interval", "0.2"), worker_env())
    try:
        assert http_server.wait_for_in_flight(1, timeout=60)
        (run,) = runs_of(admin_conn, orgs)
        assert run["status"] == "running"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)

    admin_conn.execute("UPDATE integration_ops.settings SET stale_run_timeout = '1 second'")
    (run,) = runs_of(admin_conn, orgs)
    assert run["status"] == "running"  # nobody finished it
    reaped = 0
    with psycopg.connect(worker_dsn, autocommit=True) as conn:
        for _ in range(100):  # the heartbeat ages past one second
            row = conn.execute("SELECT integration_ops.reap_stale_sync_runs()").fetchone()
            assert row is not None
            reaped += row[0]
            if runs_of(admin_conn, orgs)[0]["status"] != "running":
                break
            time.sleep(0.1)
    run, retry = runs_of(admin_conn, orgs)
    assert run["status"] == "failed"
    assert run["error_code"] == "worker_lost"
    assert reaped >= 1

    # A lost worker is transient (0.3): the period's next attempt waits its backoff, with
    # the same idempotency key, and is the pair's active run.
    assert (retry["status"], retry["attempt"], retry["retry_of"]) == ("pending", 2, run["id"])
    assert retry["idempotency_key"] == run["idempotency_key"]
    assert retry["not_before"] is not None


def test_sigterm_lets_fast_calls_finish_and_fails_stuck_ones(
    admin_conn: psycopg.Connection[Any],
    worker_dsn: str,
    http_server: RecordingServer,
    orgs: list[UUID],
) -> None:
    stuck = http_server.route("/stuck", delay=120)
    quick = http_server.route("/quick", delay=1.0, json={"records_processed": 9})
    for url in (stuck, stuck, quick):
        org = add_pair(admin_conn, url)
        orgs.append(org)
        add_pending_run(admin_conn, org)

    proc = start(
        orchestrator(worker_dsn, "worker", "--grace-period", "5", "--poll-interval", "0.2"),
        worker_env(),
    )
    try:
        assert http_server.wait_for_in_flight(3, timeout=60)
    finally:
        proc.send_signal(signal.SIGTERM)
    code, _, err = finish(proc)
    assert code == 0, err

    runs = {r["id"]: r for r in runs_of(admin_conn, orgs)}
    assert "running" not in {r["status"] for r in runs.values()}
    (quick_req,) = http_server.requests_to("/quick")
    quick_run = runs[UUID(quick_req.json()["run_id"])]
    assert quick_run["status"] == "completed" and quick_run["records_processed"] == 9
    stuck_runs = [r for r in runs.values() if r["id"] != quick_run["id"]]
    assert [(r["status"], r["error_code"]) for r in stuck_runs] == [
        ("failed", "worker_shutdown")
    ] * 2


@pytest.mark.parametrize(
    "secret",
    [None, "", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_", "whsec_not base64!"],
    ids=["missing", "empty", "no-prefix", "no-key", "not-base64"],
)
@pytest.mark.parametrize("command", ["worker", "serve"])
def test_a_missing_or_malformed_webhook_secret_exits_2_naming_it(
    worker_dsn: str, secret: str | None, command: str
) -> None:
    env = worker_env()
    del env["ORCHESTRATOR_WEBHOOK_SECRET"]
    if secret is not None:
        env["ORCHESTRATOR_WEBHOOK_SECRET"] = secret
    args = ["worker", "--once"] if command == "worker" else ["serve"]
    code, _, err = finish(start(orchestrator(worker_dsn, *args), env), 60)
    assert code == 2, err
    (line,) = [x for x in err.splitlines() if x.startswith("Error:")]
    assert "ORCHESTRATOR_WEBHOOK_SECRET" in line and "whsec_<base64>" in line
    if secret and secret != "whsec_":
        assert secret not in err  # the secret is never echoed


def test_worker_without_a_dsn_is_a_usage_error() -> None:
    cmd = [sys.executable, "-m", "orchestrator", "worker", "--once"]
    code, _, err = finish(start(cmd, worker_env()))
    assert code == 2
    assert "ORCHESTRATOR_DSN" in err


def test_concurrency_from_the_environment_is_validated(worker_dsn: str) -> None:
    env = worker_env(ORCHESTRATOR_CONCURRENCY="0")
    code, _, err = finish(start(orchestrator(worker_dsn, "worker", "--once"), env))
    assert code == 2
    assert "concurrency" in err.lower()
