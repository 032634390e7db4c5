"""Reported text never carries NUL or other C0 control characters (issue 24).

On 0.2 an answer body with a NUL byte made the report fail client-side (psycopg's
DataError: PostgreSQL text cannot hold NUL), so the run stayed `running` until the reaper
failed it `worker_lost` 30 minutes later. One case per kind of answer, each through a real
HTTP server and a real report into Postgres (the worker's login).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import psycopg

from orchestrator.runtime.loop import LoopConfig
from orchestrator.sync.service import run_worker
from tests.http_fixtures import RecordingServer
from tests.signing_keys import sync_options
from tests.sync_db import add_pair, add_pending_run, runs_of

CONTROLS = {chr(c) for c in range(32)} - {"\n", "\t"}


async def run_one(
    admin_conn: psycopg.Connection[Any], worker_dsn: str, url: str, orgs: list[UUID]
) -> dict[str, Any]:
    org = add_pair(admin_conn, url)
    orgs.append(org)
    add_pending_run(admin_conn, org)
    config = LoopConfig(worker_id="text-worker", concurrency=1, poll_interval=0.2, once=True)
    await run_worker(worker_dsn, config, sync_options(call_timeout=10.0))
    # the first attempt (a transient failure leaves a waiting next attempt beside it)
    return runs_of(admin_conn, orgs)[0]


async def test_a_500_with_a_nul_in_its_body_is_reported_failed(
    admin_conn: psycopg.Connection[Any],
    worker_dsn: str,
    http_server: RecordingServer,
    orgs: list[UUID],
) -> None:
    url = http_server.route("/sync", status=500, body=b"upstream \x00 failed\x01\x1b[31m\r\n")
    run = await run_one(admin_conn, worker_dsn, url, orgs)
    assert (run["status"], run["error_code"]) == ("failed", "http_500")
    assert "upstream" in run["error_message"] and "failed" in run["error_message"]
    assert not CONTROLS & set(run["error_message"])
    retry = runs_of(admin_conn, orgs)[1]
    assert (retry["status"], retry["attempt"], retry["retry_of"]) == ("pending", 2, run["id"])


async def test_a_non_json_200_with_a_nul_is_reported_invalid_response(
    admin_conn: psycopg.Connection[Any],
    worker_dsn: str,
    http_server: RecordingServer,
    orgs: list[UUID],
) -> None:
    url = http_server.route("/sync", status=200, body=b"ok\x00\x07 then\tmore\nlines")
    run = await run_one(admin_conn, worker_dsn, url, orgs)
    assert (run["status"], run["error_code"]) == ("failed", "invalid_response")
    assert "then\tmore" in run["error_message"]  # tab and line feed are kept
    assert not CONTROLS & set(run["error_message"])
