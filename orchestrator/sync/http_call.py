"""The integration call of DESIGN §11: one POST per run, classified into a CallOutcome.

Headers: ``Authorization: Bearer $ORCHESTRATOR_SERVICE_KEY``, ``Idempotency-Key``
(the run's idempotency_key, else its id), ``Content-Type: application/json`` and, when the
pair has a ``secret_ref``, ``X-Integration-Secret`` with the value of the environment
variable ``ORCHESTRATOR_SECRET_<REF>`` (upper-cased). Secrets are never logged and never
put into an error message (the known values are blanked before a message leaves here;
Postgres sanitises whatever else is stored).

Bounded memory: the body is streamed and read up to ``MAX_BODY_BYTES`` (1 MiB) for a 2xx
(a longer one, or a Content-Length above it, is ``invalid_response``) and up to
``ERROR_BODY_BYTES`` for any other status (only its start goes into the message). The
rest is never read: the connection is closed instead.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping
from datetime import UTC
from typing import Any, Final, Protocol

import httpx

from ..runtime.secrets import MissingSecretError, resolve_secret
from . import models
from .classify import classify_sync_response
from .models import CallOutcome, ClaimedRun

SECRET_HEADER: Final = "X-Integration-Secret"
MAX_BODY_BYTES: Final = 1024 * 1024
ERROR_BODY_BYTES: Final = 4096


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


def request_headers(run: ClaimedRun, service_key: str, secret: str | None) -> dict[str, str]:
    headers = {
        "Authorization": f"Bearer {service_key}",
        "Idempotency-Key": run.idempotency_key or str(run.run_id),
        "Content-Type": "application/json",
        "Accept": "application/json",
    }
    if secret is not None:
        headers[SECRET_HEADER] = secret
    return headers


class BodyTooLarge(Exception):
    pass


async def read_at_most(response: httpx.Response, limit: int, *, strict: bool) -> bytes:
    """Up to `limit` bytes of the (decoded) body, streamed. With `strict`, a longer body
    (or a declared Content-Length above `limit`) raises BodyTooLarge; otherwise it is cut."""
    declared = response.headers.get("content-length")
    if strict and declared and declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge(f"Content-Length {declared}")
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            if strict:
                raise BodyTooLarge(f"more than {limit} bytes")
            break
    return b"".join(chunks)[:limit]


def _blank(text: str, secrets: list[str]) -> str:
    for value in secrets:
        if value:
            text = text.replace(value, "[redacted]")
    return text


def _redacted(outcome: CallOutcome, secrets: list[str]) -> CallOutcome:
    if outcome.error_message is None:
        return outcome
    return CallOutcome.failed(
        outcome.error_code or models.WORKER_ERROR,
        _blank(outcome.error_message, secrets),
        http_status=outcome.http_status,
    )


class HttpIntegrationCaller:
    """IntegrationCaller over one shared httpx.AsyncClient."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        service_key: str,
        call_timeout: float,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self._client = client
        self._service_key = service_key
        self._timeout = call_timeout
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
        known = [self._service_key] + ([secret] if secret else [])
        return _redacted(await self._post(run, run.endpoint_url, secret), known)

    async def _post(self, run: ClaimedRun, url: str, secret: str | None) -> CallOutcome:
        try:
            async with (
                asyncio.timeout(self._timeout),
                self._client.stream(
                    "POST",
                    url,
                    json=request_body(run),
                    headers=request_headers(run, self._service_key, secret),
                    timeout=self._timeout,
                ) as response,
            ):
                ok = 200 <= response.status_code < 300
                limit = MAX_BODY_BYTES if ok else ERROR_BODY_BYTES
                try:
                    body = await read_at_most(response, limit, strict=ok)
                except BodyTooLarge as exc:
                    return CallOutcome.failed(
                        models.INVALID_RESPONSE,
                        f"HTTP {response.status_code} with a body over the "
                        f"{MAX_BODY_BYTES // 1024} KiB limit ({exc})",
                        http_status=response.status_code,
                    )
                status = response.status_code
        except (TimeoutError, httpx.TimeoutException):
            return CallOutcome.failed(models.TIMEOUT, f"no response within {self._timeout:g} s")
        except httpx.DecodingError as exc:  # a body that cannot be decoded (Content-Encoding)
            return CallOutcome.failed(models.INVALID_RESPONSE, f"{type(exc).__name__}: {exc}")
        except (httpx.HTTPError, httpx.InvalidURL) as exc:  # transport, TLS, DNS, bad URL
            return CallOutcome.failed(models.CONNECTION_ERROR, f"{type(exc).__name__}: {exc}")
        return classify_sync_response(status, body)


def new_http_client(concurrency: int) -> httpx.AsyncClient:
    """One client for all calls; its pool holds a connection per concurrent call."""
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    return httpx.AsyncClient(limits=limits, follow_redirects=False)
