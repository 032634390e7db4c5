"""The probe: one lightweight request per pair (HEAD or a status endpoint; never a data
request, never a body read), shaped by the vendor's row of `config.VENDORS` (its
Authorization scheme and extra headers).

`HealthChecker` is the `HealthCheck[HealthConfig]` of every vendor. Transport errors
become `unreachable` results here, and so does a probe URL the URL rules refuse
(`url_not_allowed: <rule>`, never connected to); anything else it raises (a missing
secret) is left to the loop, which records it the same way.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from uuid import UUID

import aiohttp

from ..runtime.http import HttpClient, UrlNotAllowed, timeouts
from ..runtime.secrets import resolve_secret
from ..runtime.urls import UrlPolicy
from .classify import classify_exception, classify_probe
from .config import HealthConfig, ProbeMethod
from .models import HealthResult

USER_AGENT = "integration-sync-health-probe/0.3"


class ProbeClient:
    """The shared HTTP client of the probes and their timeouts: no redirects followed
    (3xx is healthy per §9), TLS verified, the URL rules, the transport timeout as a
    backstop to the loop's cancellation."""

    BACKSTOP_S = 5.0  # past the loop's own timeout, which names the limit it enforced

    def __init__(self, http: HttpClient, timeout_s: float) -> None:
        self.http = http
        self.timeouts = timeouts(timeout_s + self.BACKSTOP_S)

    async def __aenter__(self) -> ProbeClient:
        await self.http.__aenter__()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.http.__aexit__(*exc)


def make_client(
    timeout_s: float, max_connections: int, policy: UrlPolicy | None = None
) -> ProbeClient:
    return ProbeClient(
        HttpClient(
            policy or UrlPolicy.with_hosts(),
            max_connections,
            headers={"User-Agent": USER_AGENT},
        ),
        timeout_s,
    )


async def probe(
    client: ProbeClient,
    method: ProbeMethod,
    url: str,
    headers: Mapping[str, str],
    degraded_latency_ms: int,
) -> HealthResult:
    """Send one request, time it to the response headers, never read the body (the
    connection is closed instead, so a huge or endless body costs nothing)."""
    start = time.perf_counter()
    try:
        async with client.http.request(
            method, url, headers=dict(headers), timeout=client.timeouts
        ) as response:
            latency_ms = round((time.perf_counter() - start) * 1000)
            status = response.status
            if method != "HEAD":
                response.close()  # the body is never read
    except (UrlNotAllowed, aiohttp.ClientError, TimeoutError, ValueError) as exc:
        return classify_exception(exc)
    return classify_probe(status, latency_ms, degraded_latency_ms)


def probe_headers(config: HealthConfig, secret: str | None) -> dict[str, str]:
    headers = dict(config.vendor.headers)
    if secret:
        headers["Authorization"] = f"{config.vendor.auth_scheme} {secret}"
    return headers


class HealthChecker:
    """`HealthCheck[HealthConfig]` for every vendor of `config.VENDORS`."""

    def __init__(self, client: ProbeClient, environ: Mapping[str, str] | None = None) -> None:
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
