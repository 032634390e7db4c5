"""One lightweight probe per vendor (HEAD or a status endpoint; never a data request).

Each adapter is a `HealthCheck[<its config>]`; `HealthChecker` dispatches on the
config's type, so nothing casts. Transport errors become `unreachable` results here;
anything else an adapter raises is left to the runner, which records it the same way.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from typing import assert_never
from uuid import UUID

import httpx

from .classify import classify_exception, classify_response
from .config import BufdirConfig, DynamicsConfig, HealthConfig, ProbeMethod, XledgerConfig
from .credentials import resolve_secret
from .models import HealthResult

USER_AGENT = "integration-sync-health-probe/0.1"


def make_client(timeout_s: float, max_connections: int) -> httpx.AsyncClient:
    """The shared HTTP client: no redirects followed (3xx is healthy per §9), TLS verified,
    the transport timeout as a backstop to the runner's cancellation."""
    return httpx.AsyncClient(
        timeout=httpx.Timeout(timeout_s),
        limits=httpx.Limits(max_connections=max_connections, max_keepalive_connections=20),
        follow_redirects=False,
        headers={"User-Agent": USER_AGENT},
    )


async def probe(
    client: httpx.AsyncClient,
    method: ProbeMethod,
    url: str,
    headers: Mapping[str, str],
    degraded_latency_ms: int,
) -> HealthResult:
    """Send one request, time it to the response headers, never read the body."""
    start = time.perf_counter()
    try:
        request = client.build_request(method, url, headers=dict(headers))
        response = await client.send(request, stream=True)
        latency_ms = round((time.perf_counter() - start) * 1000)
        await response.aclose()
    except httpx.HTTPError as exc:
        return classify_exception(exc)
    return classify_response(response.status_code, latency_ms, degraded_latency_ms)


class _VendorCheck:
    def __init__(self, client: httpx.AsyncClient, environ: Mapping[str, str] | None = None) -> None:
        self.client = client
        self.environ: Mapping[str, str] = os.environ if environ is None else environ


class XledgerCheck(_VendorCheck):
    """`HEAD` on the GraphQL endpoint; `Authorization: token <secret>` when configured."""

    async def check(self, org_id: UUID, config: XledgerConfig) -> HealthResult:
        headers: dict[str, str] = {}
        secret = resolve_secret(config.secret_ref, self.environ)
        if secret:
            headers["Authorization"] = f"token {secret}"
        return await probe(
            self.client, config.method, config.probe_url, headers, config.degraded_latency_ms
        )


class DynamicsCheck(_VendorCheck):
    """`HEAD` on the Web API service root; `Authorization: Bearer <secret>` when configured."""

    async def check(self, org_id: UUID, config: DynamicsConfig) -> HealthResult:
        headers = {"OData-Version": "4.0", "Accept": "application/json"}
        secret = resolve_secret(config.secret_ref, self.environ)
        if secret:
            headers["Authorization"] = f"Bearer {secret}"
        return await probe(
            self.client, config.method, config.probe_url, headers, config.degraded_latency_ms
        )


class BufdirCheck(_VendorCheck):
    """`GET` on the status endpoint (body never read); Bearer secret when configured."""

    async def check(self, org_id: UUID, config: BufdirConfig) -> HealthResult:
        headers: dict[str, str] = {}
        secret = resolve_secret(config.secret_ref, self.environ)
        if secret:
            headers["Authorization"] = f"Bearer {secret}"
        return await probe(
            self.client, config.method, config.probe_url, headers, config.degraded_latency_ms
        )


class HealthChecker:
    """`HealthCheck[HealthConfig]`: routes a typed config to its vendor's adapter."""

    def __init__(self, client: httpx.AsyncClient, environ: Mapping[str, str] | None = None) -> None:
        self.xledger = XledgerCheck(client, environ)
        self.dynamics = DynamicsCheck(client, environ)
        self.bufdir = BufdirCheck(client, environ)

    async def check(self, org_id: UUID, config: HealthConfig) -> HealthResult:
        match config:
            case XledgerConfig():
                return await self.xledger.check(org_id, config)
            case DynamicsConfig():
                return await self.dynamics.check(org_id, config)
            case BufdirConfig():
                return await self.bufdir.check(org_id, config)
            case _:  # pragma: no cover - exhaustive over HealthConfig
                assert_never(config)
