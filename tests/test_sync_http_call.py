"""The integration call of DESIGN §11/§13 against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import base64
import gzip
import socket
import threading
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from uuid import uuid4

import pytest

from orchestrator.runtime import http as runtime_http
from orchestrator.runtime.http import HttpClient
from orchestrator.runtime.urls import UrlPolicy
from orchestrator.sync.http_call import (
    MAX_BODY_BYTES,
    SECRET_HEADER,
    HttpIntegrationCaller,
    new_http_client,
)
from orchestrator.sync.models import ClaimedRun
from orchestrator.sync.signing import CallAuth
from tests.http_fixtures import RecordingServer, Reply
from tests.signing_keys import AUTH, FUNCTIONS_KEY, WEBHOOK_SECRET, verify

pytestmark = pytest.mark.asyncio(loop_scope="session")


def make_run(url: str | None, **over: object) -> ClaimedRun:
    fields: dict[str, object] = {
        "run_id": uuid4(),
        "org_id": uuid4(),
        "integration_type": "xledger",
        "endpoint_url": url,
        "triggered_by": "scheduler",
        "scheduled_for": datetime(2026, 1, 1, 12, 0, tzinfo=UTC),
        "idempotency_key": "org:xledger:2026-01-01T12:00:00Z",
        "secret_ref": None,
    }
    fields.update(over)
    return ClaimedRun(**fields)  # type: ignore[arg-type]


@pytest.fixture()
async def client() -> AsyncIterator[HttpClient]:
    async with new_http_client(UrlPolicy.with_hosts(), 5) as c:
        yield c


def caller(
    client: HttpClient, timeout: float = 5.0, auth: CallAuth = AUTH, **env: str
) -> HttpIntegrationCaller:
    return HttpIntegrationCaller(client, auth, timeout, environ=env)


# --- over HTTP ------------------------------------------------------------------------


async def test_posts_the_contract_headers_and_body(
    http_server: RecordingServer, client: HttpClient
) -> None:
    url = http_server.route("/sync", json={"records_processed": 12, "records_failed": 1})
    run = make_run(url)
    outcome = await caller(client).call(run)
    assert outcome.ok
    assert (outcome.records_processed, outcome.records_failed) == (12, 1)
    (req,) = http_server.requests_to("/sync")
    assert req.method == "POST"
    assert req.header("Authorization") is None  # no gateway key configured
    verify(req.body, req.headers)  # Standard Webhooks, checked by the reference library
    assert req.header("webhook-id") == run.idempotency_key
    assert req.header("Accept-Encoding") == "identity"
    assert req.header("Idempotency-Key") == run.idempotency_key
    assert req.header("Content-Type") == "application/json"
    assert req.header(SECRET_HEADER) is None
    assert req.json() == {
        "run_id": str(run.run_id),
        "org_id": str(run.org_id),
        "integration_type": "xledger",
        "triggered_by": "scheduler",
        "scheduled_for": "2026-01-01T12:00:00+00:00",
        "idempotency_key": run.idempotency_key,
    }


async def test_idempotency_key_falls_back_to_run_id(
    http_server: RecordingServer, client: HttpClient
) -> None:
    url = http_server.route("/sync", json={})
    run = make_run(url, idempotency_key=None, triggered_by="manual", scheduled_for=None)
    outcome = await caller(client).call(run)
    assert outcome.ok and outcome.records_processed == 0  # 200 with {}
    (req,) = http_server.requests_to("/sync")
    assert req.header("Idempotency-Key") == req.header("webhook-id") == str(run.run_id)
    verify(req.body, req.headers)
    assert req.json()["scheduled_for"] is None
    assert req.json()["idempotency_key"] is None


async def test_non_json_2xx_is_invalid_response(
    http_server: RecordingServer, client: HttpClient
) -> None:
    url = http_server.route("/sync", body="all good")
    outcome = await caller(client).call(make_run(url))
    assert outcome.error_code == "invalid_response"
    assert outcome.error_message is not None and "all good" in outcome.error_message


async def test_500_fails_with_http_code_and_never_echoes_secrets(
    http_server: RecordingServer, client: HttpClient
) -> None:
    def echo(req: object) -> Reply:
        assert hasattr(req, "headers")
        auth = req.headers["authorization"]
        secret = req.headers[SECRET_HEADER.lower()]
        return Reply(500, f"upstream failed; you sent {auth} and {secret}".encode())

    url = http_server.route("/sync", responder=echo)
    run = make_run(url, secret_ref="xledger_prod")
    with_key = CallAuth(AUTH.signer, FUNCTIONS_KEY)
    outcome = await caller(
        client, auth=with_key, ORCHESTRATOR_SECRET_XLEDGER_PROD="s3cr3t-value"
    ).call(run)
    assert outcome.error_code == "http_500"
    assert outcome.http_status == 500
    assert outcome.error_message is not None
    assert "upstream failed" in outcome.error_message
    assert FUNCTIONS_KEY not in outcome.error_message
    assert "s3cr3t-value" not in outcome.error_message
    (req,) = http_server.requests_to("/sync")
    assert req.header(SECRET_HEADER) == "s3cr3t-value"
    assert req.header("Authorization") == f"Bearer {FUNCTIONS_KEY}"  # the gateway key
    verify(req.body, req.headers)


async def test_missing_secret_fails_without_calling(
    http_server: RecordingServer, client: HttpClient
) -> None:
    url = http_server.route("/sync")
    outcome = await caller(client).call(make_run(url, secret_ref="dynamics"))
    assert outcome.error_code == "secret_not_found"
    assert outcome.error_message is not None
    assert "ORCHESTRATOR_SECRET_DYNAMICS" in outcome.error_message
    assert http_server.requests == []


async def test_no_endpoint_url(client: HttpClient) -> None:
    outcome = await caller(client).call(make_run(None))
    assert outcome.error_code == "endpoint_not_configured"


async def test_timeout(http_server: RecordingServer, client: HttpClient) -> None:
    url = http_server.route("/slow", delay=30.0)
    outcome = await caller(client, timeout=0.3).call(make_run(url))
    assert outcome.error_code == "timeout"
    assert http_server.wait_for_in_flight(1, timeout=1)  # the server did get the request


async def test_connection_refused(client: HttpClient) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    outcome = await caller(client).call(make_run(f"http://127.0.0.1:{port}/sync"))
    assert outcome.error_code == "connection_error"


async def test_connection_dropped(http_server: RecordingServer, client: HttpClient) -> None:
    url = http_server.route("/drop", close=True)
    outcome = await caller(client).call(make_run(url))
    assert outcome.error_code == "connection_error"


async def test_a_url_without_a_host_is_refused_by_the_url_rules(client: HttpClient) -> None:
    outcome = await caller(client).call(make_run("http://"))
    assert outcome.error_code == "url_not_allowed"


async def test_a_compressed_2xx_is_invalid_response_and_never_inflated(
    http_server: RecordingServer, client: HttpClient
) -> None:
    url = http_server.route("/gz", body=b"not gzip at all", headers={"Content-Encoding": "gzip"})
    outcome = await caller(client).call(make_run(url))
    assert outcome.error_code == "invalid_response"
    assert outcome.error_message is not None and "Content-Encoding gzip" in outcome.error_message


async def test_a_gzip_bomb_is_never_inflated_and_fails_invalid_response(
    client: HttpClient,
) -> None:
    """200 KiB of gzip that inflates to 200 MiB, sent with Content-Encoding: gzip although
    the worker asked for identity. 0.2 inflated it a network chunk at a time (64 MiB per
    call); now what the caller reads and keeps is the compressed bytes, capped at 1 MiB,
    and the run fails `invalid_response` (an error answer keeps no body at all)."""
    bomb = gzip.compress(b"\0" * (200 * 1024 * 1024), compresslevel=9)
    assert len(bomb) < MAX_BODY_BYTES
    for status, code in ((200, "invalid_response"), (503, "http_503")):
        url, close = streaming_server(status, 0, True, raw=bomb, encoding="gzip")
        outcome = await caller(client).call(make_run(url))
        await asyncio.to_thread(close)
        assert outcome.error_code == code
        assert outcome.error_message is not None
        assert not ({chr(c) for c in range(32)} - {"\n", "\t"}) & set(outcome.error_message)
    # What the client hands a reader: the bytes as sent, never inflated.
    url, close = streaming_server(200, 0, True, raw=bomb, encoding="gzip")
    async with client.request("GET", url, timeout=runtime_http.timeouts(5.0)) as response:
        kept = await runtime_http.read_at_most(response, MAX_BODY_BYTES, strict=True)
        read_off_the_wire = response.content.total_bytes
    await asyncio.to_thread(close)
    assert kept == bomb
    assert read_off_the_wire == len(bomb)


async def test_a_failed_answer_keeps_its_retry_after_header(
    http_server: RecordingServer, client: HttpClient
) -> None:
    url = http_server.route("/busy", status=429, headers={"Retry-After": "120"})
    outcome = await caller(client).call(make_run(url))
    assert (outcome.error_code, outcome.retry_after) == ("http_429", "120")
    date = "Wed, 21 Oct 2026 07:28:00 GMT" + " " * 200 + "x"
    url = http_server.route("/later", status=503, headers={"Retry-After": date})
    outcome = await caller(client).call(make_run(url))
    assert outcome.retry_after == date[:100]
    url = http_server.route("/fine", status=200, json={}, headers={"Retry-After": "5"})
    assert (await caller(client).call(make_run(url))).retry_after is None  # not failed
    url = http_server.route("/plain", status=500)
    assert (await caller(client).call(make_run(url))).retry_after is None


async def test_the_service_key_is_never_sent(
    http_server: RecordingServer, client: HttpClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ORCHESTRATOR_SERVICE_KEY", "service-role-key-must-not-leave")
    auth = CallAuth.from_environ(
        {"ORCHESTRATOR_WEBHOOK_SECRET": WEBHOOK_SECRET, "ORCHESTRATOR_FUNCTIONS_KEY": FUNCTIONS_KEY}
    )
    url = http_server.route("/sync", json={})
    assert (await caller(client, auth=auth).call(make_run(url))).ok
    (req,) = http_server.requests_to("/sync")
    assert not any("service-role-key" in v for v in req.headers.values())
    assert req.header("Authorization") == f"Bearer {FUNCTIONS_KEY}"


# --- bounded memory: at most 1 MiB of an answer is read -------------------------------


def streaming_server(
    status: int, size: int, declare_length: bool, raw: bytes = b"", encoding: str | None = None
) -> tuple[str, Callable[[], int]]:
    """A raw server that answers with `size` bytes of a JSON-ish body in chunks; counts
    what it managed to send before the client hung up."""
    listener = socket.create_server(("127.0.0.1", 0))
    sent: list[int] = [0]

    def serve() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.recv(65536)
            head = f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n"
            if encoding:
                head += f"Content-Encoding: {encoding}\r\n"
            if declare_length:
                head += f"Content-Length: {size + len(raw)}\r\n\r\n"
            else:
                head += "Connection: close\r\n\r\n"
            try:
                conn.sendall(head.encode())
                for at in range(0, len(raw), 65536):
                    conn.sendall(raw[at : at + 65536])
                    sent[0] += len(raw[at : at + 65536])
                chunk = b" " * 65536
                while sent[0] < size:
                    conn.sendall(chunk)
                    sent[0] += len(chunk)
            except OSError:
                pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()

    def close() -> int:
        """Bytes of the body the server got out before the client hung up (call it off
        the client's event loop: the client's socket is closed by that loop)."""
        thread.join(timeout=30)
        listener.close()
        return sent[0]

    port = listener.getsockname()[1]
    return f"http://127.0.0.1:{port}/big", close


@pytest.mark.parametrize("declare_length", [True, False])
async def test_a_2xx_over_one_mib_is_invalid_response_and_not_read(
    client: HttpClient, declare_length: bool
) -> None:
    size = 200 * 1024 * 1024
    url, close = streaming_server(200, size, declare_length)
    outcome = await caller(client).call(make_run(url))
    # the client hung up long before the end (joined off the loop, which closes the socket)
    assert await asyncio.to_thread(close) < 16 * 1024 * 1024
    assert outcome.error_code == "invalid_response"
    assert outcome.error_message is not None and "1024 KiB limit" in outcome.error_message


async def test_an_error_answer_is_read_only_for_its_start(client: HttpClient) -> None:
    url, close = streaming_server(503, 200 * 1024 * 1024, declare_length=False)
    outcome = await caller(client).call(make_run(url))
    assert await asyncio.to_thread(close) < 16 * 1024 * 1024
    assert outcome.error_code == "http_503"


async def test_a_body_of_exactly_one_mib_is_read(
    http_server: RecordingServer, client: HttpClient
) -> None:
    body = b'{"records_processed": 4}'
    body += b" " * (1024 * 1024 - len(body))
    url = http_server.route("/edge", body=body)
    outcome = await caller(client).call(make_run(url))
    assert outcome.ok and outcome.records_processed == 4


async def test_credentials_in_the_url_go_as_basic_auth_in_place_of_the_gateway_key(
    http_server: RecordingServer, client: HttpClient
) -> None:
    url = http_server.route("/sync", json={}).replace("http://", "http://erp:pa55@")
    auth = CallAuth(AUTH.signer, FUNCTIONS_KEY)
    assert (await caller(client, auth=auth).call(make_run(url))).ok
    (req,) = http_server.requests_to("/sync")
    assert req.header("Authorization") == "Basic " + base64.b64encode(b"erp:pa55").decode()
    verify(req.body, req.headers)  # still signed
