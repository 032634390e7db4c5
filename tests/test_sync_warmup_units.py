"""Units of orchestrator.sync.warmup: which failures go to the cold-start check, what a
database error there or in the warm-up pass does, and the warm-up GET's headers (a real
HTTP server on 127.0.0.1; the store is a fake: it is the boundary)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest

from orchestrator.runtime.errors import TransientDbError
from orchestrator.runtime.http import HttpClient
from orchestrator.runtime.urls import UrlPolicy
from orchestrator.sync import models
from orchestrator.sync.models import CallOutcome, ClaimedRun
from orchestrator.sync.signing import CallAuth
from orchestrator.sync.warmup import (
    ClaimedWarmup,
    ColdStartRetry,
    ColdVerdict,
    Warmer,
    run_warmups,
    warmup_pass,
)
from tests.http_fixtures import RecordingServer
from tests.signing_keys import AUTH, FUNCTIONS_KEY, verify

COLD = ColdVerdict(True, None)


class FakeStore:
    def __init__(
        self,
        verdict: ColdVerdict = COLD,
        fail_mark: bool = False,
        fail_claim: bool = False,
        fail_record: bool = False,
        claims: list[ClaimedWarmup] | None = None,
    ) -> None:
        self.verdict = verdict
        self.fail_mark = fail_mark
        self.fail_claim = fail_claim
        self.fail_record = fail_record
        self.claims = claims or []
        self.marked: list[tuple[UUID, str]] = []
        self.recorded: list[tuple[UUID, int]] = []
        self.claim_calls = 0

    async def claim_warmups(self, worker_id: str, max_pairs: int) -> list[ClaimedWarmup]:
        self.claim_calls += 1
        if self.fail_claim:
            raise TransientDbError("database unavailable")
        claims, self.claims = self.claims, []
        return claims

    async def record_warmup(
        self, org_id: UUID, integration_type: str, http_status: int, worker_id: str
    ) -> None:
        if self.fail_record:
            raise TransientDbError("database unavailable")
        self.recorded.append((org_id, http_status))

    async def mark_cold_start(self, run_id: UUID, error_code: str, worker_id: str) -> ColdVerdict:
        if self.fail_mark:
            raise TransientDbError("database unavailable")
        self.marked.append((run_id, error_code))
        return self.verdict


def claimed_run(url: str | None, triggered_by: str = "scheduler") -> ClaimedRun:
    return ClaimedRun(
        run_id=uuid4(),
        org_id=uuid4(),
        integration_type="xledger",
        endpoint_url=url,
        triggered_by=triggered_by,
        scheduled_for=datetime.now(UTC),
        idempotency_key="k",
        secret_ref="erp",
    )


def run_retry(store: FakeStore, run: ClaimedRun, first: CallOutcome) -> tuple[CallOutcome, int]:
    calls = 0

    async def call(_: ClaimedRun) -> CallOutcome:
        nonlocal calls
        calls += 1
        return CallOutcome.completed(1, 0)

    async def main() -> CallOutcome:
        async with HttpClient(UrlPolicy.with_hosts(), 10) as client:
            retry = ColdStartRetry(store, Warmer(client, AUTH, 2.0, environ={}), "w")
            return await retry.after(run, first, call)

    return asyncio.run(main()), calls


@pytest.mark.parametrize(
    ("first", "triggered_by"),
    [
        (CallOutcome.completed(1, 0), "scheduler"),
        (CallOutcome.failed("http_503", "busy"), "scheduler"),
        (CallOutcome.failed(models.INVALID_RESPONSE, "x"), "scheduler"),
        (CallOutcome.failed(models.TIMEOUT, "slow"), "manual"),
    ],
    ids=["completed", "http-error", "invalid-response", "manual"],
)
def test_only_scheduled_timeouts_and_connection_errors_are_checked(
    first: CallOutcome, triggered_by: str
) -> None:
    store = FakeStore()
    outcome, calls = run_retry(store, claimed_run(None, triggered_by), first)
    assert (outcome, calls, store.marked) == (first, 0, [])


def test_not_cold_reports_the_first_outcome_without_a_retry() -> None:
    store = FakeStore(verdict=ColdVerdict(False, None))
    first = CallOutcome.failed(models.CONNECTION_ERROR, "refused")
    outcome, calls = run_retry(store, claimed_run(None), first)
    assert (outcome, calls) == (first, 0)
    assert [code for _, code in store.marked] == [models.CONNECTION_ERROR]


def test_a_database_error_in_the_cold_check_keeps_the_first_outcome() -> None:
    first = CallOutcome.failed(models.TIMEOUT, "slow")
    outcome, calls = run_retry(FakeStore(fail_mark=True), claimed_run(None), first)
    assert (outcome, calls) == (first, 0)


def test_cold_without_any_url_retries_without_a_warm_up() -> None:
    store = FakeStore(verdict=ColdVerdict(True, None))
    outcome, calls = run_retry(store, claimed_run(None), CallOutcome.failed(models.TIMEOUT, "x"))
    assert (outcome.ok, outcome.cold_start, calls, store.recorded) == (True, True, 1, [])


def test_the_warm_up_get_is_signed_and_carries_the_gateway_key_and_the_pair_secret(
    http_server: RecordingServer,
) -> None:
    url = http_server.route("/warm", status=503)
    auth = CallAuth(AUTH.signer, FUNCTIONS_KEY)

    async def main() -> int | None:
        async with HttpClient(UrlPolicy.with_hosts(), 10) as client:
            warmer = Warmer(client, auth, 2.0, environ={"ORCHESTRATOR_SECRET_ERP": "s3cret"})
            return await warmer.warm(url, "erp", "warmup:o:xledger:2026-01-01T12:00:00Z")

    assert asyncio.run(main()) == 503  # any answer counts: the endpoint is up
    (got,) = http_server.requests_to("/warm")
    assert (got.method, got.header("authorization"), got.header("x-integration-secret")) == (
        "GET",
        f"Bearer {FUNCTIONS_KEY}",
        "s3cret",
    )
    assert got.header("webhook-id") == "warmup:o:xledger:2026-01-01T12:00:00Z"
    verify(b"", got.headers)


def test_a_warm_up_url_the_rules_refuse_is_not_sent(
    http_server: RecordingServer, caplog: pytest.LogCaptureFixture
) -> None:
    url = http_server.route("/warm", status=204)

    async def main(hosts: list[str]) -> int | None:
        async with HttpClient(UrlPolicy.with_hosts(hosts), 10) as client:
            return await Warmer(client, AUTH, 2.0, environ={}).warm(url, None, "warmup:x")

    assert asyncio.run(main(["localhost"])) is None  # 127.0.0.1 not listed: plain http refused
    assert http_server.requests_to("/warm") == []
    assert "url_not_allowed" in caplog.text
    assert asyncio.run(main(["127.0.0.1"])) == 204  # listed: sent


def test_a_warm_up_without_an_answer_is_none_and_a_missing_secret_is_not_sent() -> None:
    async def main() -> int | None:
        async with HttpClient(UrlPolicy.with_hosts(), 10) as client:
            warmer = Warmer(client, AUTH, 1.0, environ={})
            return await warmer.warm("http://127.0.0.1:9/", "erp", "warmup:x")

    assert asyncio.run(main()) is None


def test_the_pass_records_answers_and_survives_database_errors(
    http_server: RecordingServer,
) -> None:
    url = http_server.route("/warm", status=204)
    org = uuid4()
    claim = ClaimedWarmup(org, "xledger", url, None, datetime.now(UTC))

    async def main(store: FakeStore) -> int:
        async with HttpClient(UrlPolicy.with_hosts(), 10) as client:
            return await warmup_pass(store, Warmer(client, AUTH, 2.0, environ={}), "w")

    ok = FakeStore(claims=[claim])
    assert asyncio.run(main(ok)) == 1
    assert ok.recorded == [(org, 204)]
    lost = FakeStore(claims=[claim], fail_record=True)  # the GET happened; not recorded
    assert asyncio.run(main(lost)) == 1
    assert lost.recorded == []
    assert len(http_server.requests_to("/warm")) == 2


def test_run_warmups_keeps_passing_through_database_errors_until_stopped() -> None:
    store = FakeStore(fail_claim=True)

    async def main() -> None:
        stopping = asyncio.Event()
        async with HttpClient(UrlPolicy.with_hosts(), 10) as client:
            task = asyncio.create_task(
                run_warmups(stopping, store, Warmer(client, AUTH, 1.0, environ={}), "w", 0.01)
            )
            for _ in range(500):
                if store.claim_calls >= 3:
                    break
                await asyncio.sleep(0.01)
            stopping.set()
            await task

    asyncio.run(main())
    assert store.claim_calls >= 3
