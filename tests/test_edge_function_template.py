"""The integration Edge Function template (orchestrator/templates/edge_function/, written
out by `orchestrator init edge-function`) under real Deno.

The template's index.ts runs as a server on 127.0.0.1; requests are signed here with the
Python reference library `standardwebhooks` (PyPI), so the template's npm verifier and an
independent signer must agree. Checked: a signed call is exported once per Idempotency-Key
and triple, a bad signature or a stale timestamp gets 401, the same key with another
(org, type, period) gets 409, a signed warm-up gets 204; the template's own Deno tests
(index.test.ts) pass; `deno check`, `deno lint`, `deno fmt --check`; and the worker syncs
against it end to end.

Deno comes from the npm package `deno`, installed by `make deps` into `.tools/` together
with the npm packages the template imports; everything runs with `--cached-only`. A missing
binary FAILS these tests (it is not optional).
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import socket
import subprocess
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import httpx
import psycopg
import pytest
from standardwebhooks import Webhook

from tests.deno_tools import (
    TEMPLATE_DIR,
    TEMPLATE_FILES,
    deno,
    deno_binary,
    deno_env,
    run_template_tests,
)
from tests.sync_db import add_pair, runs_of
from tests.worker_procs import finish, orchestrator, start, worker_env

# cron_paused before the shared `orgs` (conftest.py): a pg_cron tick between a test's
# due pair and its own dispatch would take the dispatch (only the test's own dispatches)
pytestmark = pytest.mark.usefixtures("cron_paused")


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


SECRET = new_secret()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def template_url() -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen(
        [
            str(deno_binary()),
            "run",
            "--cached-only",
            "--allow-net=127.0.0.1",
            "--allow-env",
            str(TEMPLATE_DIR / "index.ts"),
        ],
        env=deno_env(
            PORT=str(port),
            HOST="127.0.0.1",
            WEBHOOK_SECRET=SECRET,
            INTEGRATION_SYNC_EXPOSE_COUNTER="1",
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/integration-sync"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"deno exited {proc.returncode}: {proc.stderr.read()}")  # type: ignore[union-attr]
            try:
                httpx.get(url, timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    pytest.fail("the template did not start listening within 60 s")
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def signature_headers(
    msg_id: str, payload: str, *, secret: str = SECRET, at: datetime | None = None
) -> dict[str, str]:
    """The Standard Webhooks headers for `payload`, signed by the reference library."""
    when = at or datetime.now(UTC)
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(when.timestamp())),
        "webhook-signature": Webhook(secret).sign(msg_id, when, payload),
    }


def body(**overrides: Any) -> dict[str, Any]:
    value: dict[str, Any] = {
        "run_id": str(uuid4()),
        "org_id": str(uuid4()),
        "integration_type": "xledger",
        "triggered_by": "scheduler",
        "scheduled_for": "2026-11-23T12:00:00+00:00",
        "idempotency_key": f"org:xledger:{uuid4()}",
    }
    value.update(overrides)
    return value


def post(url: str, run: Any, *, msg_id: str | None = None, **sign: Any) -> httpx.Response:
    """A sync call signed like the worker's: webhook-id = Idempotency-Key = the run's key."""
    payload = json.dumps(run)
    key = msg_id or run.get("idempotency_key") or run.get("run_id")
    headers = {
        **signature_headers(key, payload, **sign),
        "Idempotency-Key": key,
        "Content-Type": "application/json",
    }
    return httpx.post(url, content=payload.encode(), headers=headers)


def warm_up(url: str, **sign: Any) -> httpx.Response:
    period = datetime.now(UTC).replace(minute=0, second=0, microsecond=0).isoformat()
    msg_id = f"warmup:{uuid4()}:xledger:{period}"
    return httpx.get(url, headers=signature_headers(msg_id, "", **sign))


def exports(url: str) -> int:
    reply = httpx.get(f"{url}/__exports", headers=signature_headers(f"test:{uuid4()}", ""))
    assert reply.status_code == 200, reply.text
    return int(reply.json()["exports"])


@pytest.mark.parametrize("tool", [["check"], ["lint"], ["fmt", "--check"]])
def test_deno_check_lint_and_fmt_pass(tool: list[str]) -> None:
    extra = ["--cached-only"] if tool == ["check"] else []
    out = deno(*tool, *extra, *TEMPLATE_FILES, cwd=TEMPLATE_DIR)
    assert out.returncode == 0, out.stdout + out.stderr


def test_the_shipped_deno_tests_pass() -> None:
    declared = len(re.findall(r"^Deno\.test\(", (TEMPLATE_DIR / "index.test.ts").read_text(), re.M))
    assert declared >= 10
    assert run_template_tests(TEMPLATE_DIR) == declared


def test_the_template_imports_pinned_versions_only() -> None:
    for name in TEMPLATE_FILES:
        text = (TEMPLATE_DIR / name).read_text()
        for spec in re.findall(r'from "((?:npm|jsr):[^"]+)"', text):
            assert re.search(r"@\d+\.\d+\.\d+$", spec), f"{name}: {spec} is not pinned"


def test_the_template_never_mentions_the_service_role_key() -> None:
    for name in TEMPLATE_FILES:
        text = (TEMPLATE_DIR / name).read_text()
        assert not re.search(r"service[\s_-]*role", text, re.IGNORECASE), name


def test_a_signed_call_is_exported_and_answered(template_url: str) -> None:
    before = exports(template_url)
    reply = post(template_url, body())
    assert reply.status_code == 200, reply.text
    assert reply.json() == {"records_processed": 0, "records_failed": 0}
    assert exports(template_url) == before + 1


def test_a_replay_with_the_same_triple_exports_once(template_url: str) -> None:
    before = exports(template_url)
    run = body()
    first = post(template_url, run)
    # the engine's next attempt of the period: a new run id, the same key, org, type and
    # period (written another way)
    retry = {**run, "run_id": str(uuid4()), "scheduled_for": "2026-11-23T12:00:00Z"}
    again = post(template_url, retry)
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert exports(template_url) == before + 1
    other = post(template_url, body())
    assert other.status_code == 200
    assert exports(template_url) == before + 2


@pytest.mark.parametrize(
    "change",
    [
        {"org_id": str(uuid4())},
        {"integration_type": "dynamics"},
        {"scheduled_for": "2026-11-23T13:00:00+00:00"},
        {"scheduled_for": None},
    ],
    ids=["org", "type", "period", "no-period"],
)
def test_the_same_key_with_another_triple_gets_409(
    template_url: str, change: dict[str, Any]
) -> None:
    run = body()
    assert post(template_url, run).status_code == 200
    before = exports(template_url)
    reply = post(template_url, {**run, "run_id": str(uuid4()), **change})
    assert reply.status_code == 409, reply.text
    assert exports(template_url) == before


def unsigned(url: str, run: dict[str, Any]) -> httpx.Response:
    return httpx.post(url, json=run, headers={"Idempotency-Key": run["idempotency_key"]})


def gateway_key_only(url: str, run: dict[str, Any]) -> httpx.Response:
    # A bearer token (the gateway's key, or any other) is no credential for the function.
    return httpx.post(url, json=run, headers={"Authorization": "Bearer eyJhbGciOi.e30.x"})


def wrong_secret(url: str, run: dict[str, Any]) -> httpx.Response:
    return post(url, run, secret=new_secret())


def stale(url: str, run: dict[str, Any]) -> httpx.Response:
    return post(url, run, at=datetime.now(UTC) - timedelta(minutes=6))


def ahead(url: str, run: dict[str, Any]) -> httpx.Response:
    return post(url, run, at=datetime.now(UTC) + timedelta(minutes=6))


def tampered(url: str, run: dict[str, Any]) -> httpx.Response:
    payload = json.dumps(run)
    headers = signature_headers(run["idempotency_key"], payload)
    changed = json.dumps({**run, "integration_type": "dynamics"})
    return httpx.post(url, content=changed.encode(), headers=headers)


def other_id(url: str, run: dict[str, Any]) -> httpx.Response:
    payload = json.dumps(run)
    headers = signature_headers("another-id", payload)
    headers["webhook-id"] = run["idempotency_key"]
    return httpx.post(url, content=payload.encode(), headers=headers)


@pytest.mark.parametrize(
    "send",
    [unsigned, gateway_key_only, wrong_secret, stale, ahead, tampered, other_id],
    ids=lambda f: f.__name__,
)
def test_a_bad_signature_gets_401_and_exports_nothing(template_url: str, send: Any) -> None:
    before = exports(template_url)
    reply = send(template_url, body())
    assert reply.status_code == 401, reply.text
    assert "invalid signature" in reply.json()["error"]
    assert exports(template_url) == before


def test_a_signed_warm_up_gets_204_and_exports_nothing(template_url: str) -> None:
    before = exports(template_url)
    reply = warm_up(template_url)
    assert reply.status_code == 204, reply.text
    assert reply.content == b""
    assert exports(template_url) == before


@pytest.mark.parametrize(
    "sign",
    [{"secret": new_secret()}, {"at": datetime.now(UTC) - timedelta(minutes=10)}],
    ids=["wrong-secret", "stale"],
)
def test_a_badly_signed_warm_up_gets_401(template_url: str, sign: dict[str, Any]) -> None:
    assert warm_up(template_url, **sign).status_code == 401
    assert httpx.get(template_url).status_code == 401


@pytest.mark.parametrize(
    "payload",
    [
        [],
        body(run_id="not-a-uuid"),
        body(org_id=None),
        body(integration_type=""),
        body(triggered_by="cron"),
        body(scheduled_for="yesterday"),
        body(idempotency_key=5),
    ],
)
def test_an_invalid_body_gets_400_and_exports_nothing(template_url: str, payload: Any) -> None:
    before = exports(template_url)
    reply = post(template_url, payload, msg_id="some-key")
    assert reply.status_code == 400
    assert reply.json()["error"]
    assert exports(template_url) == before


def test_a_signed_body_that_is_not_json_gets_400(template_url: str) -> None:
    headers = signature_headers("some-key", "{")
    assert httpx.post(template_url, content=b"{", headers=headers).status_code == 400


def test_an_idempotency_key_other_than_webhook_id_gets_400(template_url: str) -> None:
    run = body()
    payload = json.dumps(run)
    headers = {
        **signature_headers(run["idempotency_key"], payload),
        "Idempotency-Key": "another-key",
    }
    before = exports(template_url)
    reply = httpx.post(template_url, content=payload.encode(), headers=headers)
    assert reply.status_code == 400
    assert exports(template_url) == before


def test_the_worker_syncs_against_the_template_end_to_end(
    admin_conn: psycopg.Connection[Any], worker_dsn: str, template_url: str, orgs: list[UUID]
) -> None:
    before = exports(template_url)
    orgs.append(add_pair(admin_conn, template_url, due=True))
    env = worker_env(ORCHESTRATOR_WEBHOOK_SECRET=SECRET)
    code, out, err = finish(start(orchestrator(worker_dsn, "dispatch"), env))
    assert code == 0, err
    assert json.loads(out)["triggered"] >= 1
    code, _, err = finish(start(orchestrator(worker_dsn, "worker", "--once"), env))
    assert code == 0, err
    (run,) = runs_of(admin_conn, orgs)
    assert run["status"] == "completed", run
    assert (run["records_processed"], run["records_failed"]) == (0, 0)
    assert run["error_code"] is None
    assert exports(template_url) == before + 1
