"""The classification of an integration's answer, driven by the one table of cases
(tests/cases/sync_responses.json) that the SQL reconciler's tests load too (DESIGN §12).

Cases with a status and a body go through the pure function AND through a real HTTP
server (the worker's streamed read); transport cases (timeout, connection_error) have no
answer, so they are produced by real servers: one that never answers, one that drops
the connection, and a port nobody listens on.
"""

from __future__ import annotations

import json
import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest

from orchestrator.runtime.http import HttpClient
from orchestrator.runtime.urls import UrlPolicy
from orchestrator.sync.classify import classify_sync_response
from orchestrator.sync.http_call import HttpIntegrationCaller, new_http_client
from orchestrator.sync.models import CallOutcome, ClaimedRun
from tests.http_fixtures import RecordingServer
from tests.signing_keys import AUTH

CASES_FILE = Path(__file__).resolve().parent / "cases" / "sync_responses.json"
CASES: list[dict[str, Any]] = json.loads(CASES_FILE.read_text())["cases"]
ANSWERS = [c for c in CASES if "transport" not in c]
TRANSPORT = [c for c in CASES if "transport" in c]


def expected(case: dict[str, Any]) -> tuple[object, ...]:
    if case["outcome"] == "completed":
        return ("completed", case["records_processed"], case["records_failed"], None)
    return ("failed", case["error_code"])


def observed(outcome: CallOutcome) -> tuple[object, ...]:
    if outcome.ok:
        return ("completed", outcome.records_processed, outcome.records_failed, None)
    return ("failed", outcome.error_code)


def test_the_table_covers_every_kind() -> None:
    codes = {c["error_code"] for c in CASES}
    assert {None, "invalid_response", "timeout", "connection_error", "http_500"} <= codes
    assert len({c["name"] for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", ANSWERS, ids=[c["name"] for c in ANSWERS])
def test_pure_classification(case: dict[str, Any]) -> None:
    outcome = classify_sync_response(case["status"], case["body"].encode())
    assert observed(outcome) == expected(case)
    assert outcome.http_status == case["status"]


def run_to(url: str) -> ClaimedRun:
    return ClaimedRun(uuid4(), uuid4(), "xledger", url, "manual", None, None, None)


@pytest.fixture(scope="module")
def server() -> Iterator[RecordingServer]:
    """One server for the module (each case has its own path): starting and stopping a
    server per case would cost half a second each."""
    with RecordingServer() as s:
        yield s


@pytest.fixture()
async def client() -> AsyncIterator[HttpClient]:
    async with new_http_client(UrlPolicy.with_hosts(), 5) as c:
        yield c


HTTP_ANSWERS = [c for c in ANSWERS if c["status"] >= 200]  # 1xx cannot be a final answer


@pytest.mark.asyncio(loop_scope="session")
@pytest.mark.parametrize("case", HTTP_ANSWERS, ids=[c["name"] for c in HTTP_ANSWERS])
async def test_over_http(case: dict[str, Any], server: RecordingServer, client: HttpClient) -> None:
    url = server.route(f"/{case['name']}", status=case["status"], body=case["body"])
    outcome = await HttpIntegrationCaller(client, AUTH, 5.0, environ={}).call(run_to(url))
    assert observed(outcome) == expected(case)


@pytest.mark.asyncio(loop_scope="session")
@pytest.mark.parametrize("case", TRANSPORT, ids=[c["name"] for c in TRANSPORT])
async def test_transport_cases(
    case: dict[str, Any], http_server: RecordingServer, client: HttpClient
) -> None:
    caller = HttpIntegrationCaller(client, AUTH, 0.3, environ={})
    if case["transport"] == "timeout":
        outcomes = [await caller.call(run_to(http_server.route("/hang", delay=30.0)))]
    else:
        with socket.socket() as s:  # a port nobody listens on
            s.bind(("127.0.0.1", 0))
            refused = f"http://127.0.0.1:{s.getsockname()[1]}/x"
        outcomes = [
            await caller.call(run_to(refused)),
            await caller.call(run_to(http_server.route("/drop", close=True))),
        ]
    for outcome in outcomes:
        assert observed(outcome) == expected(case)
