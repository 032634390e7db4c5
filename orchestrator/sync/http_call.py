"""The integration call of DESIGN §11/§13: one signed POST per run, classified into a
CallOutcome.

Headers: the Standard Webhooks signature (`webhook-id` = the run's idempotency key, else
its id; `webhook-timestamp`; `webhook-signature`, see `signing.py`), `Idempotency-Key`
(the same value), `Content-Type: application/json`, `Accept-Encoding: identity`,
`Authorization: Bearer $ORCHESTRATOR_FUNCTIONS_KEY` only when that is set (never the
service-role key) and, when the pair has a `secret_ref`, `X-Integration-Secret` with the
value of `ORCHESTRATOR_SECRET_<REF>` (upper-cased). Secrets are never logged and never put
into an error message (the known values are blanked before a message leaves here;
Postgres sanitises whatever else is stored).

The URL rules (`runtime/urls.py`) are checked by the HTTP client before it connects: a
refused URL fails the run `url_not_allowed` (final), naming the rule.

Bounded memory: the body is streamed and read up to `MAX_BODY_BYTES` (1 MiB) for a 2xx
(a longer one, or a Content-Length above it, is `invalid_response`) and up to
`ERROR_BODY_BYTES` for any other status (only its start goes into the message). The rest
is never read: the connection is closed instead. Nothing is inflated: the worker asks for
`identity`, and a 2xx that comes compressed anyway is `invalid_response`.

Reported text carries no NUL or other C0 control character (\\n and \\t excepted), and a
failed answer's `Retry-After` header is kept raw (at most 100 characters).
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Mapping
from datetime import UTC
from typing import Any, Final, Protocol

import aiohttp

from ..runtime.http import (
    BodyTooLarge,
    HttpClient,
    UrlNotAllowed,
    content_encoding,
    printable,
    read_at_most,
    refusal_of,
    timeouts,
)
from ..runtime.secrets import MissingSecretError, resolve_secret
from ..runtime.urls import UrlPolicy
from . import models
from .classify import classify_sync_response
from .models import CallOutcome, ClaimedRun
from .signing import CallAuth

SECRET_HEADER: Final = "X-Integration-Secret"
MAX_BODY_BYTES: Final = 1024 * 1024
ERROR_BODY_BYTES: Final = 4096
RETRY_AFTER_CHARS: Final = 100
URL_NOT_ALLOWED: Final = "url_not_allowed"


class IntegrationCaller(Protocol):
    """Performs the outbound call of one claimed run. Never raises for endpoint trouble."""

    async def call(self, run: ClaimedRun) -> CallOutcome: ...


def request_body(run: ClaimedRun) -> dict[str, Any]:
    return {
        "run_id": str(run.run_id),
        "org_id": str(run.org_id),
        "integration_type": run.integration_type,
        "triggered_by": run.triggered_by,
        "scheduled_for": (
            run.scheduled_for.astimezone(UTC).isoformat() if run.scheduled_for else None
        ),
        "idempotency_key": run.idempotency_key,
    }


def message_id(run: ClaimedRun) -> str:
    """The run's idempotency key, else its id: `Idempotency-Key` and `webhook-id`."""
    return run.idempotency_key or str(run.run_id)


def request_headers(
    run: ClaimedRun, auth: CallAuth, body: bytes, secret: str | None
) -> dict[str, str]:
    headers = auth.headers(message_id(run), body)
    headers.update(
        {
            "Idempotency-Key": message_id(run),
            "Content-Type": "application/json",
            "Accept": "application/json",
        }
    )
    if secret is not None:
        headers[SECRET_HEADER] = secret
    return headers


def _blank(text: str, secrets: list[str]) -> str:
    for value in secrets:
        if value:
            text = text.replace(value, "[redacted]")
    return text


def _reportable(outcome: CallOutcome, secrets: list[str]) -> CallOutcome:
    """Known secrets blanked and control characters removed from the message."""
    if outcome.error_message is None:
        return outcome
    return dataclasses.replace(
        outcome, error_message=printable(_blank(outcome.error_message, secrets))
    )


def _retry_after(value: str | None) -> str | None:
    return None if value is None else printable(value)[:RETRY_AFTER_CHARS]


class HttpIntegrationCaller:
    """IntegrationCaller over one shared HttpClient."""

    def __init__(
        self,
        client: HttpClient,
        auth: CallAuth,
        call_timeout: float,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self._client = client
        self._auth = auth
        self._timeout = call_timeout
        self._timeouts = timeouts(call_timeout)
        self._environ = os.environ if environ is None else environ

    async def call(self, run: ClaimedRun) -> CallOutcome:
        try:
            secret = resolve_secret(run.secret_ref, self._environ)
        except MissingSecretError as exc:
            return CallOutcome.failed(models.SECRET_NOT_FOUND, str(exc))
        if not run.endpoint_url:
            return CallOutcome.failed(
                models.ENDPOINT_NOT_CONFIGURED, "the integration has no endpoint_url"
            )
        known = self._auth.secrets() + ([secret] if secret else [])
        return _reportable(await self._post(run, run.endpoint_url, secret), known)

    async def _post(self, run: ClaimedRun, url: str, secret: str | None) -> CallOutcome:
        body = json.dumps(request_body(run)).encode()
        retry_after: str | None = None
        try:
            async with self._client.request(
                "POST",
                url,
                headers=request_headers(run, self._auth, body, secret),
                body=body,
                timeout=self._timeouts,
            ) as response:
                status = response.status
                retry_after = _retry_after(response.headers.get("Retry-After"))
                outcome = await self._answer(response, status)
        except UrlNotAllowed as exc:
            return CallOutcome.failed(URL_NOT_ALLOWED, str(exc))
        except TimeoutError:
            outcome = CallOutcome.failed(models.TIMEOUT, f"no response within {self._timeout:g} s")
        except aiohttp.ClientError as exc:  # refused, reset, DNS, TLS, a malformed answer
            refused = refusal_of(exc)
            if refused is not None:
                return CallOutcome.failed(URL_NOT_ALLOWED, str(refused))
            outcome = CallOutcome.failed(models.CONNECTION_ERROR, f"{type(exc).__name__}: {exc}")
        if not outcome.ok and retry_after is not None:
            outcome = dataclasses.replace(outcome, retry_after=retry_after)
        return outcome

    async def _answer(self, response: aiohttp.ClientResponse, status: int) -> CallOutcome:
        ok = 200 <= status < 300
        encoding = content_encoding(response)
        if encoding is not None:
            response.close()  # never inflated, never read
            if ok:
                return CallOutcome.failed(
                    models.INVALID_RESPONSE,
                    f"HTTP {status} with Content-Encoding {encoding[:40]} "
                    "(the worker asks for identity and never inflates an answer)",
                    http_status=status,
                )
            return classify_sync_response(status, b"")
        try:
            data = await read_at_most(
                response, MAX_BODY_BYTES if ok else ERROR_BODY_BYTES, strict=ok
            )
        except BodyTooLarge as exc:
            return CallOutcome.failed(
                models.INVALID_RESPONSE,
                f"HTTP {status} with a body over the {MAX_BODY_BYTES // 1024} KiB limit ({exc})",
                http_status=status,
            )
        return classify_sync_response(status, data)


def new_http_client(policy: UrlPolicy, concurrency: int) -> HttpClient:
    """One client for a worker's calls and warm-ups: a connection per call in flight."""
    return HttpClient(policy, concurrency)
