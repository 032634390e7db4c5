"""Cold starts and warm-ups (issue 18, DESIGN §12) with the real worker runtime, Postgres
and HTTP servers on 127.0.0.1.

- A slow-to-start endpoint (the first request after idle takes longer than the call
  timeout; every request during the boot waits for it; later ones are fast): the
  scheduled run is a cold start, warmed and retried once with the same Idempotency-Key,
  and completes with `cold_start = true`. (Before issue 18 the run failed `timeout`.)
- The same failure on an endpoint that had a completed run within `cold_start_idle` is
  not a cold start: it fails `timeout` after one call.
- The warm-up pass: one GET `warmup_lead` (± the pass interval) before the period, with
  the sync call's Authorization header; none for a disabled pair or a pair without a
  warmup_url; no run, no health status.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import psycopg
import pytest

from orchestrator.runtime.loop import Lifecycle, LoopConfig
from orchestrator.sync.service import dispatch, run_worker
from tests.http_fixtures import RecordedRequest, RecordingServer, Reply
from tests.signing_keys import sync_options, verify
from tests.sync_db import add_pair, runs_of

BOOT_S = 3.0  # the cold endpoint's start-up
CALL_TIMEOUT_S = 2.0  # shorter than the boot, longer than what is left of it at the retry


class SlowStart:
    """A responder that boots on the first request after `idle_s` without requests: every
    request arriving during the boot waits until it ends; afterwards requests are fast."""

    def __init__(self, boot_s: float = BOOT_S, idle_s: float = 600.0) -> None:
        self.boot_s = boot_s
        self.idle_s = idle_s
        self.lock = threading.Lock()
        self.last_seen: float | None = None
        self.ready_at = 0.0
        self.boots = 0

    def __call__(self, request: RecordedRequest) -> Reply:
        with self.lock:
            now = time.monotonic()
            if self.last_seen is None or now - self.last_seen > self.idle_s:
                self.ready_at = now + self.boot_s
                self.boots += 1
            self.last_seen = now
            wait = self.ready_at - now
        if wait > 0:
            time.sleep(wait)
        if request.method == "GET":
            return Reply(204)
        return Reply(200, b'{"records_processed": 7, "records_failed": 0}')


# cron_paused before the shared `orgs` (conftest.py): only this test's own dispatches
pytestmark = pytest.mark.usefixtures("cron_paused")


@pytest.fixture()
def short_lead(admin_conn: psycopg.Connection[Any]) -> Iterator[float]:
    row = admin_conn.execute("SELECT warmup_lead FROM integration_ops.settings").fetchone()
    assert row is not None
    admin_conn.execute("UPDATE integration_ops.settings SET warmup_lead = interval '4 seconds'")
    yield 4.0
    admin_conn.execute("UPDATE integration_ops.settings SET warmup_lead = %s", (row[0],))


async def run_once(dsn: str) -> None:
    config = LoopConfig(worker_id="cold-worker", concurrency=2, poll_interval=0.2, once=True)
    await run_worker(dsn, config, sync_options(CALL_TIMEOUT_S))


def dispatch_now(dsn: str) -> None:
    result = asyncio.run(dispatch(dsn))
    assert result["triggered"] >= 1, result


def set_warmup_url(conn: psycopg.Connection[Any], org: UUID, url: str | None) -> None:
    conn.execute(
        "UPDATE public.organization_integrations SET warmup_url = %s WHERE org_id = %s",
        (url, org),
    )


@pytest.mark.parametrize("with_warmup_url", [True, False], ids=["warmup_url", "no-warmup_url"])
def test_a_cold_start_is_warmed_retried_once_and_completes_with_cold_start(
    admin_conn: psycopg.Connection[Any],
    worker_dsn: str,
    http_server: RecordingServer,
    orgs: list[UUID],
    with_warmup_url: bool,
) -> None:
    slow = SlowStart()
    url = http_server.route("/sync", responder=slow)
    warm_url = http_server.route("/warm", responder=slow)
    orgs.append(org := add_pair(admin_conn, url, due=True))
    set_warmup_url(admin_conn, org, warm_url if with_warmup_url else None)
    dispatch_now(worker_dsn)

    asyncio.run(run_once(worker_dsn))

    # 0.3 (DESIGN §13): the cold-start retry is the period's next attempt
    cold, run = runs_of(admin_conn, orgs)
    assert (cold["status"], cold["error_code"], cold["cold_start"], cold["attempt"]) == (
        "failed",
        "timeout",
        False,
        1,
    )
    assert (run["status"], run["error_code"], run["cold_start"]) == ("completed", None, True)
    assert (run["attempt"], run["retry_of"], run["records_processed"]) == (2, cold["id"], 7)
    # in arrival order: both calls may be answered at the end of the boot, in either order
    posts = sorted((r for r in http_server.requests if r.method == "POST"), key=lambda r: r.started)
    assert len(posts) == 2  # the call and exactly one retry
    assert {p.header("idempotency-key") for p in posts} == {run["idempotency_key"]}
    assert [json.loads(p.body)["run_id"] for p in posts] == [str(cold["id"]), str(run["id"])]
    gets = [r for r in http_server.requests if r.method == "GET"]
    assert [g.path for g in gets] == ["/warm" if with_warmup_url else "/sync"]
    verify(b"", gets[0].headers)  # signed, with an empty body
    period = f"{run['scheduled_for'].astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"
    assert gets[0].header("webhook-id") == f"warmup:{org}:xledger:{period}"
    assert gets[0].header("authorization") is None
    assert slow.boots == 1
    answered = admin_conn.execute(
        "SELECT http_status FROM integration_ops.integration_warmups WHERE org_id = %s", (org,)
    ).fetchone()
    assert answered == (204,)


def test_a_cold_start_whose_retry_fails_ends_failed_with_the_retrys_error_and_cold_start(
    admin_conn: psycopg.Connection[Any],
    worker_dsn: str,
    http_server: RecordingServer,
    orgs: list[UUID],
) -> None:
    """What the operations view counts and alerts on: the retry carries `cold_start = true`
    and its own status and error (here an HTTP 500 after the first call timed out)."""
    posts: list[RecordedRequest] = []

    def boot_then_break(request: RecordedRequest) -> Reply:
        if request.method == "GET":
            return Reply(204)
        posts.append(request)  # counted on arrival (the server records after replying)
        if len(posts) == 1:
            time.sleep(CALL_TIMEOUT_S + 1)
            return Reply(200, b'{"records_processed": 1, "records_failed": 0}')
        return Reply(500, b"boom")

    url = http_server.route("/sync", responder=boot_then_break)
    orgs.append(add_pair(admin_conn, url, due=True))
    dispatch_now(worker_dsn)

    asyncio.run(run_once(worker_dsn))

    # 0.3: the retry is attempt 2; its HTTP 500 is transient, so attempt 3 waits its backoff
    cold, run, later = runs_of(admin_conn, orgs)
    assert (cold["status"], cold["error_code"], cold["cold_start"]) == ("failed", "timeout", False)
    assert (run["status"], run["error_code"], run["cold_start"]) == ("failed", "http_500", True)
    assert (later["status"], later["attempt"], later["retry_of"]) == ("pending", 3, run["id"])
    assert later["not_before"] is not None and not later["cold_start"]
    assert len(posts) == 2  # the call and exactly one cold-start retry, never a third now
    assert {p.header("idempotency-key") for p in posts} == {run["idempotency_key"]}
    assert later["idempotency_key"] == run["idempotency_key"]


def test_a_timeout_on_an_endpoint_used_recently_is_not_a_cold_start(
    admin_conn: psycopg.Connection[Any],
    worker_dsn: str,
    http_server: RecordingServer,
    orgs: list[UUID],
) -> None:
    arrivals: list[RecordedRequest] = []

    def hang(request: RecordedRequest) -> Reply:
        arrivals.append(request)  # counted on arrival (the server records after replying)
        time.sleep(CALL_TIMEOUT_S + 2)
        return Reply(200, b"{}")

    url = http_server.route("/hang", responder=hang)
    orgs.append(org := add_pair(admin_conn, url, due=True))
    admin_conn.execute(
        """
        INSERT INTO public.sync_run_log
          (org_id, integration_type, status, triggered_by, records_processed)
        VALUES (%s, 'xledger', 'pending', 'manual', 0)
        """,
        (org,),
    )
    admin_conn.execute(
        "UPDATE public.sync_run_log SET status = 'running' WHERE org_id = %s", (org,)
    )
    admin_conn.execute(
        "UPDATE public.sync_run_log SET status = 'completed', ended_at = now() WHERE org_id = %s",
        (org,),
    )
    dispatch_now(worker_dsn)

    asyncio.run(run_once(worker_dsn))

    runs = [r for r in runs_of(admin_conn, orgs) if r["triggered_by"] == "scheduler"]
    assert [(r["status"], r["error_code"], r["cold_start"]) for r in runs if r["attempt"] == 1] == [
        ("failed", "timeout", False)
    ]
    # not a cold start: no warm-up and no retry on the spot; the timeout's ordinary retry
    # (0.3) is the next attempt, waiting for its backoff (full jitter: it may come at once)
    assert not any(r["cold_start"] for r in runs)
    assert [r["attempt"] for r in runs] == [1, 2]
    assert {a.method for a in arrivals} == {"POST"}


def test_the_warm_up_arrives_warmup_lead_before_the_period_and_only_where_configured(
    admin_conn: psycopg.Connection[Any],
    worker_dsn: str,
    http_server: RecordingServer,
    orgs: list[UUID],
    short_lead: float,
    caplog: pytest.LogCaptureFixture,
) -> None:
    sync_url = http_server.route("/sync", json={})
    warm = {name: http_server.route(f"/warm-{name}", status=204) for name in ("on", "off")}
    on = add_pair(admin_conn, sync_url, integration_type="xledger")
    off = add_pair(admin_conn, sync_url, integration_type="dynamics")
    bare = add_pair(admin_conn, sync_url, integration_type="bufdir")
    orgs.extend([on, off, bare])
    row = admin_conn.execute(
        """
        UPDATE public.organization_integrations
           SET sync_interval = interval '1 hour', next_sync_at = now() + interval '8 seconds'
         WHERE org_id = ANY(%s)
        RETURNING next_sync_at
        """,
        ([on, off, bare],),
    ).fetchone()
    assert row is not None
    period: datetime = row[0]
    set_warmup_url(admin_conn, on, warm["on"])
    set_warmup_url(admin_conn, off, warm["off"])
    admin_conn.execute(
        "UPDATE public.organization_integrations SET enabled = false WHERE org_id = %s", (off,)
    )

    caplog.set_level(logging.DEBUG, logger="orchestrator.sync.warmup")

    def passes() -> int:
        return sum(r.getMessage().startswith("warm-up pass:") for r in caplog.records)

    async def scenario() -> None:
        life = Lifecycle()
        config = LoopConfig(worker_id="warm-worker", poll_interval=0.5)
        options = sync_options(CALL_TIMEOUT_S, warmup_interval=0.5)
        task = asyncio.create_task(run_worker(worker_dsn, config, options, life))
        for _ in range(200):  # up to 20 s
            if http_server.requests_to("/warm-on"):
                break
            await asyncio.sleep(0.1)
        # two more passes (their DEBUG lines): either would have claimed the period again
        seen = passes()
        for _ in range(200):  # up to 20 s
            if passes() >= seen + 2:
                break
            await asyncio.sleep(0.05)
        else:
            raise AssertionError("no two warm-up passes after the warm-up")
        life.request_stop()
        await task

    asyncio.run(scenario())

    (got,) = http_server.requests_to("/warm-on")
    assert got.method == "GET"
    verify(b"", got.headers)
    assert (
        got.header("webhook-id")
        == f"warmup:{on}:xledger:{period.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"
    )
    arrived = time.time() - time.monotonic() + got.started
    lead = period.timestamp() - arrived
    assert short_lead - 2.0 <= lead <= short_lead + 1.0, lead
    assert http_server.requests_to("/warm-off") == []  # disabled
    assert [r.method for r in http_server.requests if r.path == "/sync"] == []  # no run called
    assert runs_of(admin_conn, orgs) == []  # a warm-up creates no run
    health = admin_conn.execute(
        """
        SELECT count(*) FROM public.integration_health_status
         WHERE org_id = ANY(%s)
           AND (status IS NOT NULL OR checked_at IS NOT NULL OR latency_ms IS NOT NULL)
        """,
        ([on, off, bare],),
    ).fetchone()
    assert health == (0,)
    warmed = admin_conn.execute(
        """
        SELECT org_id, warmed_for, http_status FROM integration_ops.integration_warmups
         WHERE org_id = ANY(%s)
        """,
        ([on, off, bare],),
    ).fetchall()
    assert warmed == [(on, period, 204)]
