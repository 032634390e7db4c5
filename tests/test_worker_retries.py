"""Retries end to end (issue 22, DESIGN §13): the real worker against a real HTTP server on
127.0.0.1 and the session cluster. A transient answer gets the period's next attempt (a new
row, the same idempotency key, after the backoff or the answer's Retry-After) until one
succeeds or the attempts run out; a final answer is never retried. The rule is the
database's: the worker only reports the answer and its Retry-After header.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any
from uuid import UUID

import psycopg
import pytest

from orchestrator.runtime.loop import LoopConfig
from orchestrator.sync.service import dispatch, run_worker
from tests.http_fixtures import RecordedRequest, RecordingServer, Reply
from tests.signing_keys import sync_options, verify
from tests.sync_db import add_pair, runs_of

Conn = psycopg.Connection[Any]


# cron_paused before the shared `orgs` (conftest.py): only this test's own dispatches
pytestmark = pytest.mark.usefixtures("cron_paused")


@pytest.fixture()
def quick_retries(admin_conn: Conn) -> Iterator[None]:
    """Backoff of at most 200 ms, 3 attempts: a chain ends within seconds."""
    saved = admin_conn.execute(
        "SELECT retry_base_delay, retry_max_delay, retry_max_attempts FROM integration_ops.settings"
    ).fetchone()
    assert saved is not None
    admin_conn.execute(
        "UPDATE integration_ops.settings SET retry_base_delay = interval '200 milliseconds',"
        " retry_max_delay = interval '200 milliseconds', retry_max_attempts = 3"
    )
    yield
    admin_conn.execute(
        "UPDATE integration_ops.settings SET retry_max_delay = %s, retry_base_delay = %s,"
        " retry_max_attempts = %s",
        (saved[1], saved[0], saved[2]),
    )


def drain(dsn: str, conn: Conn, orgs: list[UUID], limit_s: float = 60.0) -> list[dict[str, Any]]:
    """Run the worker (`--once` passes) until no run of these orgs is pending or running."""
    config = LoopConfig(worker_id="retry-worker", concurrency=2, poll_interval=0.2, once=True)
    deadline = time.monotonic() + limit_s
    while True:
        asyncio.run(run_worker(dsn, config, sync_options(5.0)))
        runs = runs_of(conn, orgs)
        if not any(r["status"] in ("pending", "running") for r in runs):
            return runs
        assert time.monotonic() < deadline, runs
        time.sleep(0.2)


def scripted(*replies: Reply) -> tuple[list[RecordedRequest], Any]:
    """A responder answering the POSTs with `replies` in turn (the last one repeats)."""
    posts: list[RecordedRequest] = []

    def respond(request: RecordedRequest) -> Reply:
        posts.append(request)
        return replies[min(len(posts), len(replies)) - 1]

    return posts, respond


def start_period(dsn: str, conn: Conn, url: str, orgs: list[UUID]) -> None:
    orgs.append(add_pair(conn, url, due=True))
    result = asyncio.run(dispatch(dsn))
    assert result["triggered"] >= 1, result


def test_two_503s_then_200_complete_the_period_on_its_third_attempt(
    admin_conn: Conn,
    worker_dsn: str,
    http_server: RecordingServer,
    orgs: list[UUID],
    quick_retries: None,
) -> None:
    posts, respond = scripted(
        Reply(503, b"busy"),
        Reply(503, b"busy"),
        Reply(200, b'{"records_processed": 4, "records_failed": 0}'),
    )
    start_period(worker_dsn, admin_conn, http_server.route("/sync", responder=respond), orgs)

    runs = drain(worker_dsn, admin_conn, orgs)

    assert [(r["attempt"], r["status"], r["error_code"]) for r in runs] == [
        (1, "failed", "http_503"),
        (2, "failed", "http_503"),
        (3, "completed", None),
    ]
    assert [r["retry_of"] for r in runs] == [None, runs[0]["id"], runs[1]["id"]]
    key = runs[0]["idempotency_key"]
    assert key and {r["idempotency_key"] for r in runs} == {key}
    assert {r["scheduled_for"] for r in runs} == {runs[0]["scheduled_for"]}
    assert runs[2]["records_processed"] == 4
    assert len(posts) == 3
    for post, run in zip(posts, runs, strict=True):
        assert post.header("idempotency-key") == post.header("webhook-id") == key
        assert post.json()["run_id"] == str(run["id"])
        verify(post.body, post.headers)


def test_a_429_waits_for_its_retry_after(
    admin_conn: Conn,
    worker_dsn: str,
    http_server: RecordingServer,
    orgs: list[UUID],
    quick_retries: None,
) -> None:
    posts, respond = scripted(
        Reply(429, b"slow down", headers=(("Retry-After", "2"),)),
        Reply(200, b'{"records_processed": 1, "records_failed": 0}'),
    )
    start_period(worker_dsn, admin_conn, http_server.route("/sync", responder=respond), orgs)

    runs = drain(worker_dsn, admin_conn, orgs)

    assert [(r["attempt"], r["status"], r["error_code"]) for r in runs] == [
        (1, "failed", "http_429"),
        (2, "completed", None),
    ]
    waited = runs[1]["not_before"] - runs[0]["ended_at"]
    assert 1.9 <= waited.total_seconds() <= 3.0, waited  # the answer's 2 s, not the 200 ms
    assert posts[1].started - posts[0].started >= 1.9


def test_a_vendor_that_keeps_failing_uses_up_the_attempts_and_raises_an_alert(
    admin_conn: Conn,
    worker_dsn: str,
    http_server: RecordingServer,
    orgs: list[UUID],
    quick_retries: None,
) -> None:
    posts, respond = scripted(Reply(500, b"down"))
    start_period(worker_dsn, admin_conn, http_server.route("/sync", responder=respond), orgs)

    runs = drain(worker_dsn, admin_conn, orgs)

    assert [(r["attempt"], r["status"], r["error_code"]) for r in runs] == [
        (1, "failed", "http_500"),
        (2, "failed", "http_500"),
        (3, "failed", "http_500"),
    ]
    assert len(posts) == 3  # retry_max_attempts, never a fourth
    admin_conn.execute("SELECT integration_ops.refresh_alerts()")
    kinds = admin_conn.execute(
        "SELECT kind FROM integration_ops.alerts WHERE org_id = %s AND resolved_at IS NULL",
        (orgs[0],),
    ).fetchall()
    assert ("retries_exhausted",) in kinds


def test_a_final_answer_is_not_retried(
    admin_conn: Conn,
    worker_dsn: str,
    http_server: RecordingServer,
    orgs: list[UUID],
    quick_retries: None,
) -> None:
    posts, respond = scripted(Reply(401, b"bad signature"))
    start_period(worker_dsn, admin_conn, http_server.route("/sync", responder=respond), orgs)

    runs = drain(worker_dsn, admin_conn, orgs)

    assert [(r["attempt"], r["status"], r["error_code"]) for r in runs] == [
        (1, "failed", "http_401")
    ]
    # A next attempt would be a row already: fail_sync_run schedules it in the report's own
    # transaction, which drain() saw committed. None, and nothing waiting:
    assert len(runs_of(admin_conn, orgs)) == 1
    assert admin_conn.execute(
        "SELECT count(*) FROM public.sync_run_log WHERE org_id = ANY(%s) AND status = 'pending'",
        (orgs,),
    ).fetchone() == (0,)
    assert len(posts) == 1
