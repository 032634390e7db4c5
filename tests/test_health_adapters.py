"""Adapters against a real HTTP server on 127.0.0.1: DESIGN §9's table, one case per
row, the probe method, and credentials from the environment only."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from uuid import uuid4

import pytest

from orchestrator.health import HealthChecker, parse_health_config
from orchestrator.health.adapters import ProbeClient, make_client
from orchestrator.runtime.secrets import MissingSecretError

from .probe_servers import ProbeServer, probe_server, refused_port

# The client (an aiohttp session) lives on the loop that made it: the fixture's.
pytestmark = pytest.mark.asyncio(loop_scope="session")


@pytest.fixture()
def server() -> Iterator[ProbeServer]:
    with probe_server() as s:
        yield s


@pytest.fixture()
async def client() -> AsyncIterator[ProbeClient]:
    async with make_client(timeout_s=5.0, max_connections=10) as c:
        yield c


@pytest.mark.parametrize(
    ("itype", "status", "delay_s", "latency_limit", "expected", "error"),
    [
        ("xledger", 200, 0.0, 2000, "healthy", None),
        ("dynamics", 200, 0.3, 50, "degraded", "slow response: HTTP 200"),
        ("bufdir", 429, 0.0, 2000, "degraded", "HTTP 429: rate limited"),
        ("xledger", 401, 0.0, 2000, "degraded", "HTTP 401: Unauthorized"),
        ("dynamics", 500, 0.0, 2000, "unreachable", "HTTP 500: Internal Server Error"),
    ],
)
async def test_classification_over_http(
    server: ProbeServer,
    client: ProbeClient,
    itype: str,
    status: int,
    delay_s: float,
    latency_limit: int,
    expected: str,
    error: str | None,
) -> None:
    url = server.route("/probe", status=status, delay_s=delay_s)
    config = parse_health_config(itype, {"url": url, "degraded_latency_ms": latency_limit})
    result = await HealthChecker(client, environ={}).check(uuid4(), config)
    assert result.status == expected
    assert result.latency_ms is not None and result.latency_ms >= 0
    if error is None:
        assert result.error is None
    else:
        assert result.error is not None and result.error.startswith(error)
    [seen] = server.seen("/probe")
    assert seen.method == config.method


async def test_connection_refused_is_unreachable(client: ProbeClient) -> None:
    with refused_port() as port:
        config = parse_health_config("bufdir", {"url": f"http://127.0.0.1:{port}/api/status"})
        result = await HealthChecker(client, environ={}).check(uuid4(), config)
    assert result.status == "unreachable"
    assert result.latency_ms is None
    assert result.error is not None and result.error.startswith("connection error")


async def test_vendor_default_paths_and_credentials(
    server: ProbeServer, client: ProbeClient
) -> None:
    for path in ("/graphql", "/api/data/v9.2/", "/api/status"):
        server.route(path)
    base = server.url("")
    env = {
        "ORCHESTRATOR_SECRET_XL": "xl-token",
        "ORCHESTRATOR_SECRET_DYN": "dyn-token",
        "ORCHESTRATOR_SECRET_BUF": "buf-token",
    }
    checker = HealthChecker(client, environ=env)
    xl = parse_health_config("xledger", {"base_url": base}, "xl")
    buf = parse_health_config("bufdir", {"base_url": base}, "buf")
    # dynamics demands https for environment_url; a plain url stands in for it here
    dyn = parse_health_config("dynamics", {"url": base + "/api/data/v9.2/"}, "dyn")
    for cfg in (xl, dyn, buf):
        assert (await checker.check(uuid4(), cfg)).status == "healthy"
    [x] = server.seen("/graphql")
    [d] = server.seen("/api/data/v9.2/")
    [b] = server.seen("/api/status")
    assert (x.method, x.headers["Authorization"]) == ("HEAD", "token xl-token")
    assert (d.method, d.headers["Authorization"]) == ("HEAD", "Bearer dyn-token")
    assert d.headers["OData-Version"] == "4.0"
    assert (b.method, b.headers["Authorization"]) == ("GET", "Bearer buf-token")
    # without secret_ref no credentials are sent
    await checker.check(uuid4(), parse_health_config("bufdir", {"base_url": base}))
    assert "Authorization" not in server.seen("/api/status")[-1].headers


async def test_missing_secret_raises_without_contacting(
    server: ProbeServer, client: ProbeClient
) -> None:
    url = server.route("/graphql")
    config = parse_health_config("xledger", {"url": url}, "absent")
    with pytest.raises(MissingSecretError, match="ORCHESTRATOR_SECRET_ABSENT"):
        await HealthChecker(client, environ={}).check(uuid4(), config)
    assert server.seen() == []
