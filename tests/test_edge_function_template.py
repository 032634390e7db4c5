"""The integration Edge Function template (examples/edge-functions/integration-sync/index.ts)
under real Deno: the worker syncs against it end to end, a repeated Idempotency-Key exports
once, a wrong key gets 401, a warm-up gets 204; `deno check`, `deno lint`, `deno fmt --check`.

Deno comes from the npm package `deno`, installed by `make deps` into `.tools/`; a missing
binary FAILS these tests (it is not optional).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import httpx
import psycopg
import pytest

from tests.sync_db import add_pair, clear_active_runs, forget, runs_of
from tests.worker_procs import ROOT, SERVICE_KEY, finish, orchestrator, start, worker_env

TEMPLATE_DIR = ROOT / "examples" / "edge-functions" / "integration-sync"
TEMPLATE = TEMPLATE_DIR / "index.ts"
TOOLS = ROOT / ".tools"


def deno_binary() -> Path:
    """`DENO_BIN`, else the binary the npm package put into .tools/node_modules."""
    candidates = [Path(os.environ["DENO_BIN"])] if os.environ.get("DENO_BIN") else []
    candidates.append(TOOLS / "node_modules" / ".bin" / "deno")
    candidates.extend(sorted((TOOLS / "node_modules" / "@deno").glob("*/deno")))
    for path in candidates:
        if path.is_file() and os.access(path, os.X_OK):
            return path
    pytest.fail("deno not found: run `make deps` (npm install deno into .tools/)")


def deno_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ORCHESTRATOR_", "DENO_"))}
    env["DENO_DIR"] = str(TOOLS / "deno-cache")  # never the user's home
    env["NO_COLOR"] = "1"
    env.update(extra)
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def template_url() -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen(
        [str(deno_binary()), "run", "--allow-net", "--allow-env", str(TEMPLATE)],
        env=deno_env(
            PORT=str(port),
            HOST="127.0.0.1",
            SUPABASE_SERVICE_ROLE_KEY=SERVICE_KEY,
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


def auth(key: str = SERVICE_KEY) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def body(**overrides: Any) -> dict[str, Any]:
    value: dict[str, Any] = {
        "run_id": str(uuid4()),
        "org_id": str(uuid4()),
        "integration_type": "xledger",
        "triggered_by": "scheduler",
        "scheduled_for": "2026-11-23T12:00:00+00:00",
        "idempotency_key": None,
    }
    value.update(overrides)
    return value


def exports(url: str) -> int:
    reply = httpx.get(f"{url}/__exports", headers=auth())
    assert reply.status_code == 200
    return int(reply.json()["exports"])


@pytest.mark.parametrize("tool", [["check"], ["lint"], ["fmt", "--check"]])
def test_deno_check_lint_and_fmt_pass(tool: list[str]) -> None:
    result = subprocess.run(
        [str(deno_binary()), *tool, str(TEMPLATE)],
        env=deno_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "headers",
    [{}, auth("wrong-key"), auth(SERVICE_KEY + "x"), {"Authorization": SERVICE_KEY}],
    ids=["none", "wrong", "longer", "not-bearer"],
)
def test_a_wrong_key_gets_401_and_exports_nothing(
    template_url: str, headers: dict[str, str]
) -> None:
    before = exports(template_url)
    assert httpx.post(template_url, json=body(), headers=headers).status_code == 401
    assert httpx.get(template_url, headers=headers).status_code == 401
    assert exports(template_url) == before


def test_a_warm_up_get_answers_204_and_exports_nothing(template_url: str) -> None:
    before = exports(template_url)
    reply = httpx.get(template_url, headers=auth())
    assert reply.status_code == 204
    assert reply.content == b""
    assert exports(template_url) == before


def test_a_repeated_idempotency_key_exports_once(template_url: str) -> None:
    before = exports(template_url)
    key = f"org:xledger:{uuid4()}"
    first = httpx.post(template_url, json=body(), headers={**auth(), "Idempotency-Key": key})
    again = httpx.post(template_url, json=body(), headers={**auth(), "Idempotency-Key": key})
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json() == {"records_processed": 0, "records_failed": 0}
    assert exports(template_url) == before + 1
    other = httpx.post(template_url, json=body(), headers={**auth(), "Idempotency-Key": key + "2"})
    assert other.status_code == 200
    assert exports(template_url) == before + 2


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
    reply = httpx.post(template_url, json=payload, headers=auth())
    assert reply.status_code == 400
    assert reply.json()["error"]
    assert exports(template_url) == before


def test_a_body_that_is_not_json_gets_400(template_url: str) -> None:
    reply = httpx.post(template_url, content=b"{", headers=auth())
    assert reply.status_code == 400


@pytest.fixture()
def orgs(admin_conn: psycopg.Connection[Any]) -> Iterator[list[UUID]]:
    clear_active_runs(admin_conn)
    created: list[UUID] = []
    yield created
    forget(admin_conn, created)


def test_the_worker_syncs_against_the_template_end_to_end(
    admin_conn: psycopg.Connection[Any], worker_dsn: str, template_url: str, orgs: list[UUID]
) -> None:
    before = exports(template_url)
    orgs.append(add_pair(admin_conn, template_url, due=True))
    code, out, err = finish(start(orchestrator(worker_dsn, "dispatch"), worker_env()))
    assert code == 0, err
    assert json.loads(out)["triggered"] >= 1
    # The template still checks `Authorization: Bearer <key>` against its
    # SUPABASE_SERVICE_ROLE_KEY; since 0.3 the worker sends a bearer only as the gateway
    # key (ORCHESTRATOR_FUNCTIONS_KEY) and signs every call (the template's signature check
    # is its own 0.3 change). The worker never sends ORCHESTRATOR_SERVICE_KEY.
    env = worker_env(ORCHESTRATOR_FUNCTIONS_KEY=SERVICE_KEY)
    code, _, err = finish(start(orchestrator(worker_dsn, "worker", "--once"), env))
    assert code == 0, err
    (run,) = runs_of(admin_conn, orgs)
    assert run["status"] == "completed", run
    assert (run["records_processed"], run["records_failed"]) == (0, 0)
    assert run["error_code"] is None
    assert exports(template_url) == before + 1
