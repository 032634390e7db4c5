"""Typed probe settings per integration type, built from `health_config` (jsonb).

`HealthConfig` is a union discriminated by `integration_type`; `parse_health_config`
validates the raw object and raises `HealthConfigError` with a sentence naming the
type, the key and what is wrong. Unknown keys are refused (a typo such as `ulr` would
otherwise silently fall back to the vendor default).

Every type accepts:

- `url` — the full probe URL (http or https); when absent it is derived from the
  type's other settings (the vendor defaults below);
- `degraded_latency_ms` — integer milliseconds, default 2000; slower 2xx/3xx answers
  are `degraded` (DESIGN §9);
- `method` — `HEAD` or `GET`; default per vendor. Probes never send a body and
  never read one.

Vendor defaults (ASSUMPTIONS — plausible public endpoints, to be confirmed against
each vendor's documentation; `url` overrides all of them):

- xledger: `environment` (`production` → https://www.xledger.net, `demo` →
  https://demo.xledger.net; default production) or an explicit `base_url`; probe
  `HEAD <base>/graphql` (Xledger's GraphQL endpoint). Credentials: header
  `Authorization: token <secret>` when `secret_ref` is set.
- dynamics: `environment_url` (https://<org>.crm.dynamics.com, https only); probe
  `HEAD <environment_url>/api/data/v9.2/` (the Web API service root, no entity
  data). Credentials: `Authorization: Bearer <secret>` — the secret is an access
  token obtained elsewhere; without it Dataverse answers 401, i.e. `degraded`.
- bufdir: `base_url` (required without `url`); probe `GET <base_url>/api/status`.
  Credentials: `Authorization: Bearer <secret>` when `secret_ref` is set.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal, NoReturn
from urllib.parse import urlsplit

DEFAULT_DEGRADED_LATENCY_MS: Final = 2000
MAX_DEGRADED_LATENCY_MS: Final = 600_000

ProbeMethod = Literal["HEAD", "GET"]

XLEDGER_ENVIRONMENTS: Final[Mapping[str, str]] = {
    "production": "https://www.xledger.net",
    "demo": "https://demo.xledger.net",
}
XLEDGER_PROBE_PATH: Final = "/graphql"
DYNAMICS_PROBE_PATH: Final = "/api/data/v9.2/"
BUFDIR_PROBE_PATH: Final = "/api/status"

_COMMON_KEYS: Final = frozenset({"url", "degraded_latency_ms", "method"})


class HealthConfigError(ValueError):
    """A `health_config` (or the integration type) the framework cannot probe with."""

    def __init__(self, integration_type: str, message: str) -> None:
        self.integration_type = integration_type
        super().__init__(f"invalid health_config for {integration_type}: {message}")


@dataclass(frozen=True, kw_only=True)
class XledgerConfig:
    integration_type: Literal["xledger"] = "xledger"
    url: str | None = None
    degraded_latency_ms: int = DEFAULT_DEGRADED_LATENCY_MS
    method: ProbeMethod = "HEAD"
    environment: str = "production"
    base_url: str | None = None
    secret_ref: str | None = None

    @property
    def probe_url(self) -> str:
        if self.url:
            return self.url
        base = self.base_url or XLEDGER_ENVIRONMENTS[self.environment]
        return base.rstrip("/") + XLEDGER_PROBE_PATH


@dataclass(frozen=True, kw_only=True)
class DynamicsConfig:
    integration_type: Literal["dynamics"] = "dynamics"
    url: str | None = None
    degraded_latency_ms: int = DEFAULT_DEGRADED_LATENCY_MS
    method: ProbeMethod = "HEAD"
    environment_url: str | None = None
    secret_ref: str | None = None

    @property
    def probe_url(self) -> str:
        if self.url:
            return self.url
        assert self.environment_url is not None  # guaranteed by parse_health_config
        return self.environment_url.rstrip("/") + DYNAMICS_PROBE_PATH


@dataclass(frozen=True, kw_only=True)
class BufdirConfig:
    integration_type: Literal["bufdir"] = "bufdir"
    url: str | None = None
    degraded_latency_ms: int = DEFAULT_DEGRADED_LATENCY_MS
    method: ProbeMethod = "GET"
    base_url: str | None = None
    secret_ref: str | None = None

    @property
    def probe_url(self) -> str:
        if self.url:
            return self.url
        assert self.base_url is not None  # guaranteed by parse_health_config
        return self.base_url.rstrip("/") + BUFDIR_PROBE_PATH


HealthConfig = XledgerConfig | DynamicsConfig | BufdirConfig
"""The typed config of any supported integration type, discriminated by `integration_type`."""

SUPPORTED_TYPES: Final = ("xledger", "dynamics", "bufdir")


def parse_health_config(
    integration_type: str, raw: Mapping[str, Any] | None, secret_ref: str | None = None
) -> HealthConfig:
    """Build the typed config of `integration_type` from its `health_config` object.

    `secret_ref` comes from the pair's row (a name, never a secret) and is carried on
    the config so the adapter can resolve the credential from the environment.
    """
    if raw is None:
        raw = {}
    if not isinstance(raw, Mapping):
        raise HealthConfigError(
            integration_type, f"expected a JSON object, got {type(raw).__name__}"
        )
    p = _Parser(integration_type, raw)
    if integration_type == "xledger":
        p.allow("environment", "base_url")
        environment = p.string("environment") or "production"
        if environment not in XLEDGER_ENVIRONMENTS:
            p.fail(
                f"`environment` must be one of {', '.join(sorted(XLEDGER_ENVIRONMENTS))}, "
                f"got {environment!r}"
            )
        return XledgerConfig(
            url=p.url("url"),
            degraded_latency_ms=p.latency(),
            method=p.method("HEAD"),
            environment=environment,
            base_url=p.url("base_url"),
            secret_ref=secret_ref,
        )
    if integration_type == "dynamics":
        p.allow("environment_url")
        url = p.url("url")
        environment_url = p.url("environment_url", https_only=True)
        if url is None and environment_url is None:
            p.fail("set `url` or `environment_url` (https://<org>.crm.dynamics.com)")
        return DynamicsConfig(
            url=url,
            degraded_latency_ms=p.latency(),
            method=p.method("HEAD"),
            environment_url=environment_url,
            secret_ref=secret_ref,
        )
    if integration_type == "bufdir":
        p.allow("base_url")
        url = p.url("url")
        base_url = p.url("base_url")
        if url is None and base_url is None:
            p.fail("set `url` or `base_url`")
        return BufdirConfig(
            url=url,
            degraded_latency_ms=p.latency(),
            method=p.method("GET"),
            base_url=base_url,
            secret_ref=secret_ref,
        )
    raise HealthConfigError(
        integration_type,
        f"no health check for integration type {integration_type!r} "
        f"(supported: {', '.join(SUPPORTED_TYPES)})",
    )


class _Parser:
    """Field readers that raise `HealthConfigError` naming the key."""

    def __init__(self, integration_type: str, raw: Mapping[str, Any]) -> None:
        self.integration_type = integration_type
        self.raw = raw

    def fail(self, message: str) -> NoReturn:
        raise HealthConfigError(self.integration_type, message)

    def allow(self, *keys: str) -> None:
        allowed = _COMMON_KEYS | set(keys)
        unknown = sorted(str(k) for k in self.raw if k not in allowed)
        if unknown:
            self.fail(f"unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}")

    def string(self, key: str) -> str | None:
        value = self.raw.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail(f"`{key}` must be a non-empty string, got {value!r}")
        return str(value).strip()

    def url(self, key: str, *, https_only: bool = False) -> str | None:
        value = self.string(key)
        if value is None:
            return None
        parts = urlsplit(value)
        schemes = ("https",) if https_only else ("http", "https")
        if parts.scheme not in schemes or not parts.hostname:
            self.fail(f"`{key}` must be an absolute {' or '.join(schemes)} URL, got {value!r}")
        if parts.username or parts.password:
            self.fail(f"`{key}` must not carry credentials; use secret_ref")
        return value

    def latency(self) -> int:
        value = self.raw.get("degraded_latency_ms", DEFAULT_DEGRADED_LATENCY_MS)
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not 1 <= value <= MAX_DEGRADED_LATENCY_MS
        ):
            self.fail(
                "`degraded_latency_ms` must be an integer number of milliseconds in "
                f"1..{MAX_DEGRADED_LATENCY_MS}, got {value!r}"
            )
        return int(value)

    def method(self, default: ProbeMethod) -> ProbeMethod:
        value = self.raw.get("method", default)
        if value == "HEAD":
            return "HEAD"
        if value == "GET":
            return "GET"
        self.fail(f"`method` must be HEAD or GET, got {value!r}")
