"""Pure units: health_config parsing, vendor default URLs, classification, secrets."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from orchestrator.health import (
    VENDORS,
    HealthConfigError,
    HealthResult,
    classify_exception,
    classify_probe,
    parse_health_config,
)
from orchestrator.health.adapters import probe_headers
from orchestrator.runtime.http import UrlNotAllowed
from orchestrator.runtime.secrets import MissingSecretError, resolve_secret
from orchestrator.runtime.urls import UrlRefusal

from .cases import health_probe_cases


def test_every_type_accepts_url_and_latency() -> None:
    for itype in ("xledger", "dynamics", "bufdir"):
        cfg = parse_health_config(
            itype, {"url": "https://probe.example/ping", "degraded_latency_ms": 500}, "ref"
        )
        assert cfg.integration_type == itype
        assert cfg.probe_url == "https://probe.example/ping"
        assert cfg.degraded_latency_ms == 500
        assert cfg.secret_ref == "ref"


def test_xledger_defaults() -> None:
    cfg = parse_health_config("xledger", {})
    assert (cfg.probe_url, cfg.method, cfg.degraded_latency_ms) == (
        "https://www.xledger.net/graphql",
        "HEAD",
        2000,
    )
    assert parse_health_config("xledger", {"environment": "demo"}).probe_url == (
        "https://demo.xledger.net/graphql"
    )
    assert parse_health_config("xledger", {"base_url": "https://x.test/"}).probe_url == (
        "https://x.test/graphql"
    )
    assert parse_health_config("xledger", None).probe_url.endswith("/graphql")


def test_dynamics_and_bufdir_defaults() -> None:
    dyn = parse_health_config("dynamics", {"environment_url": "https://contoso.crm4.dynamics.com"})
    assert dyn.probe_url == "https://contoso.crm4.dynamics.com/api/data/v9.2/"
    assert dyn.method == "HEAD"
    buf = parse_health_config("bufdir", {"base_url": "https://bufdir.test", "method": "HEAD"})
    assert (buf.probe_url, buf.method) == ("https://bufdir.test/api/status", "HEAD")
    assert parse_health_config("bufdir", {"base_url": "https://b.test"}).method == "GET"


@pytest.mark.parametrize(
    ("itype", "raw", "fragment"),
    [
        ("xledger", {"ulr": "https://x"}, "unknown key(s) ulr"),
        ("xledger", {"environment": "staging"}, "`environment` must be one of demo, production"),
        ("xledger", {"environment": ""}, "`environment` must be a non-empty string"),
        ("xledger", {"degraded_latency_ms": "2s"}, "`degraded_latency_ms` must be an integer"),
        ("xledger", {"degraded_latency_ms": True}, "`degraded_latency_ms` must be an integer"),
        ("bufdir", {"url": "https://b", "degraded_latency_ms": 0}, "in 1..600000, got 0"),
        ("xledger", {"url": "ftp://x.test/"}, "`url` must be an absolute http or https URL"),
        ("xledger", {"url": 42}, "`url` must be a non-empty string, got 42"),
        ("xledger", {"url": "https://u:p@x.test/"}, "must not carry credentials"),
        ("xledger", {"method": "POST"}, "`method` must be HEAD or GET, got 'POST'"),
        ("dynamics", {}, "set `url` or `environment_url`"),
        ("dynamics", {"environment_url": "http://c.crm.dynamics.com"}, "absolute https URL"),
        ("bufdir", {}, "set `url` or `base_url`"),
        ("sap", {}, "no health check for integration type 'sap'"),
    ],
)
def test_bad_config_is_refused_clearly(itype: str, raw: dict[str, Any], fragment: str) -> None:
    with pytest.raises(HealthConfigError) as info:
        parse_health_config(itype, raw)
    assert str(info.value).startswith(f"invalid health_config for {itype}: ")
    assert fragment in str(info.value)
    assert info.value.integration_type == itype


def test_non_object_config_is_refused() -> None:
    with pytest.raises(HealthConfigError, match="expected a JSON object, got list"):
        parse_health_config("xledger", [1, 2])  # type: ignore[arg-type]


ANSWER_CASES = [c for c in health_probe_cases() if c["kind"] == "answer"]


@pytest.mark.parametrize("case", ANSWER_CASES, ids=[c["name"] for c in ANSWER_CASES])
def test_classify_probe(case: dict[str, Any]) -> None:
    """Every answer of tests/cases/health_probes.json (the table the SQL classifier of the
    pg_net health checks passes too)."""
    result = classify_probe(case["status_code"], case["latency_ms"], case["degraded_latency_ms"])
    assert result.status == case["status"]
    assert result.latency_ms == case["latency_ms"]
    assert (result.error is None) == (case["status"] == "healthy")
    if case["error_starts_with"] is not None:
        assert result.error is not None and result.error.startswith(case["error_starts_with"])


def test_classify_probe_messages() -> None:
    assert classify_probe(429, 1, 2000).error == "HTTP 429: rate limited"
    assert classify_probe(401, 1, 2000).error == "HTTP 401: Unauthorized"
    assert classify_probe(799, 1, 2000).error == "HTTP 799: unknown status"
    assert "slow response: HTTP 200 in 30 ms" in str(classify_probe(200, 30, 20).error)


def test_classify_exception() -> None:
    assert classify_exception(TimeoutError(), 0.5) == HealthResult(
        "unreachable", None, "timeout: no response after 0.5 s"
    )
    assert classify_exception(aiohttp.ServerTimeoutError("x")).error == "timeout: no response"
    assert classify_exception(aiohttp.ClientPayloadError("bad")).error == "transport error: bad"
    assert classify_exception(ValueError()).error == "ValueError: ValueError()"
    refused = UrlNotAllowed(UrlRefusal("link-local", "169.254.169.254 is link-local"))
    assert classify_exception(refused).error == (
        "url_not_allowed: link-local: 169.254.169.254 is link-local"
    )
    assert classify_exception(RuntimeError("a\x00b\x1bc")).error == "RuntimeError: abc"


def test_resolve_secret() -> None:
    env = {"ORCHESTRATOR_SECRET_XLEDGER_ACME": "s3cret"}
    assert resolve_secret(None, env) is None
    assert resolve_secret("xledger_acme", env) == "s3cret"
    with pytest.raises(MissingSecretError) as info:
        resolve_secret("other", env)
    assert "ORCHESTRATOR_SECRET_OTHER is not set" in str(info.value)
    assert "s3cret" not in str(info.value)


def test_vendor_table_gives_headers_per_type() -> None:
    assert set(VENDORS) == {"xledger", "dynamics", "bufdir"}
    xl = parse_health_config("xledger", {}, "ref")
    assert probe_headers(xl, "s") == {"Authorization": "token s"}
    dyn = parse_health_config("dynamics", {"environment_url": "https://c.crm.dynamics.com"})
    assert probe_headers(dyn, None) == {"OData-Version": "4.0", "Accept": "application/json"}
    assert probe_headers(dyn, "t")["Authorization"] == "Bearer t"
    buf = parse_health_config("bufdir", {"base_url": "https://b.test"})
    assert probe_headers(buf, "t") == {"Authorization": "Bearer t"}
    assert dict(buf.settings) == {"base_url": "https://b.test"} and buf.url is None
