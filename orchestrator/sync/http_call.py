"""The integration call of DESIGN §11: one POST per run, classified into a CallOutcome.

Headers: ``Authorization: Bearer $ORCHESTRATOR_SERVICE_KEY``, ``Idempotency-Key``
(the run's idempotency_key, else its id), ``Content-Type: application/json`` and, when the
pair has a ``secret_ref``, ``X-Integration-Secret`` with the value of the environment
variable ``ORCHESTRATOR_SECRET_<REF>`` (upper-cased). Secrets are never logged and never
put into an error message (the known values are blanked before a message leaves here;
Postgres sanitises whatever else is stored).
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Mapping
from datetime import UTC
from typing import Any, Final, Protocol

import httpx

from . import models
from .models import CallOutcome, ClaimedRun

SECRET_ENV_PREFIX: Final = "ORCHESTRATOR_SECRET_"
SECRET_HEADER: Final = "X-Integration-Secret"
MAX_COUNT: Final = 2_147_483_647  # the columns are integer
BODY_SNIPPET_CHARS: Final = 500


class IntegrationCaller(Protocol):
    """Performs the outbound call of one claimed run. Never raises for endpoint trouble."""

    async def call(self, run: ClaimedRun) -> CallOutcome: ...


def secret_env_name(secret_ref: str) -> str:
    return SECRET_ENV_PREFIX + secret_ref.upper()


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


def _count(payload: Mapping[str, Any], key: str) -> int | None:
    """A non-negative integer count (absent → 0); None when the value is not one."""
    value = payload.get(key, 0)
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    if value < 0 or value > MAX_COUNT:
        return None
    return value


def _snippet(body: bytes) -> str:
    text = body.decode("utf-8", errors="replace").strip()
    return text[:BODY_SNIPPET_CHARS]


def classify_response(status: int, body: bytes) -> CallOutcome:
    """DESIGN §11: a 2xx with an optional JSON object of counts completes; else fails."""
    if not 200 <= status < 300:
        snippet = _snippet(body)
        message = f"endpoint answered HTTP {status}" + (f": {snippet}" if snippet else "")
        return CallOutcome.failed(models.http_error_code(status), message, http_status=status)
    if not body.strip():
        return CallOutcome.completed(0, 0, http_status=status)
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return CallOutcome.failed(
            models.INVALID_RESPONSE,
            f"HTTP {status} with a body that is not JSON: {_snippet(body)}",
            http_status=status,
        )
    if not isinstance(payload, dict):
        return CallOutcome.failed(
            models.INVALID_RESPONSE,
            f"HTTP {status} with JSON that is not an object: {_snippet(body)}",
            http_status=status,
        )
    processed = _count(payload, "records_processed")
    failed = _count(payload, "records_failed")
    if processed is None or failed is None:
        return CallOutcome.failed(
            models.INVALID_RESPONSE,
            f"HTTP {status} with records_processed/records_failed that are not "
            f"non-negative integers: {_snippet(body)}",
            http_status=status,
        )
    return CallOutcome.completed(processed, failed, http_status=status)


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
        secret: str | None = None
        if run.secret_ref:
            env_name = secret_env_name(run.secret_ref)
            secret = self._environ.get(env_name)
            if not secret:
                return CallOutcome.failed(
                    models.SECRET_NOT_FOUND,
                    f"secret_ref {run.secret_ref!r}: environment variable {env_name} is not set",
                )
        if not run.endpoint_url:
            return CallOutcome.failed(
                models.ENDPOINT_NOT_CONFIGURED, "the integration has no endpoint_url"
            )
        known = [self._service_key] + ([secret] if secret else [])
        return _redacted(await self._post(run, secret), known)

    async def _post(self, run: ClaimedRun, secret: str | None) -> CallOutcome:
        assert run.endpoint_url is not None
        try:
            async with asyncio.timeout(self._timeout):
                response = await self._client.post(
                    run.endpoint_url,
                    json=request_body(run),
                    headers=request_headers(run, self._service_key, secret),
                    timeout=self._timeout,
                )
        except (TimeoutError, httpx.TimeoutException):
            return CallOutcome.failed(models.TIMEOUT, f"no response within {self._timeout:g} s")
        except httpx.DecodingError as exc:  # a body that cannot be decoded (Content-Encoding)
            return CallOutcome.failed(models.INVALID_RESPONSE, f"{type(exc).__name__}: {exc}")
        except (httpx.HTTPError, httpx.InvalidURL) as exc:  # transport, TLS, DNS, bad URL
            return CallOutcome.failed(models.CONNECTION_ERROR, f"{type(exc).__name__}: {exc}")
        return classify_response(response.status_code, response.content)


def new_http_client(concurrency: int) -> httpx.AsyncClient:
    """One client for all calls; its pool holds a connection per concurrent call."""
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    return httpx.AsyncClient(limits=limits, follow_redirects=False)
