"""The probe: one lightweight request per pair (HEAD or a status endpoint; never a data
request, never a body read), shaped by the vendor's row of `config.VENDORS` (its
Authorization scheme and extra headers).

`HealthChecker` is the `HealthCheck[HealthConfig]` of every vendor. Transport errors
become `unreachable` results here; anything else it raises (a missing secret) is left
to the loop, which records it the same way.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from uuid import UUID

import httpx

from ..runtime.secrets import resolve_secret
from .classify import classify_exception, classify_probe
from .config import HealthConfig, ProbeMethod
from .models import HealthResult

USER_AGENT = "integration-sync-health-probe/0.2"


def make_client(timeout_s: float, max_connections: int) -> httpx.AsyncClient:
    """The shared HTTP client: no redirects followed (3xx is healthy per §9), TLS verified,
    the transport timeout as a backstop to the loop's cancellation."""
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
    """Send one request, time it to the response headers, never read the body (the
    connection is closed instead, so a huge or endless body costs nothing)."""
    start = time.perf_counter()
    try:
        request = client.build_request(method, url, headers=dict(headers))
        response = await client.send(request, stream=True)
        latency_ms = round((time.perf_counter() - start) * 1000)
        await response.aclose()
    except httpx.HTTPError as exc:
        return classify_exception(exc)
    return classify_probe(response.status_code, latency_ms, degraded_latency_ms)


def probe_headers(config: HealthConfig, secret: str | None) -> dict[str, str]:
    headers = dict(config.vendor.headers)
    if secret:
        headers["Authorization"] = f"{config.vendor.auth_scheme} {secret}"
    return headers


class HealthChecker:
    """`HealthCheck[HealthConfig]` for every vendor of `config.VENDORS`."""

    def __init__(self, client: httpx.AsyncClient, environ: Mapping[str, str] | None = None) -> None:
        self.client = client
        self.environ: Mapping[str, str] = os.environ if environ is None else environ

    async def check(self, org_id: UUID, config: HealthConfig) -> HealthResult:
        secret = resolve_secret(config.secret_ref, self.environ)
        return await probe(
            self.client,
            config.method,
            config.probe_url,
            probe_headers(config, secret),
            config.degraded_latency_ms,
        )
