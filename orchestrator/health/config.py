"""Typed probe settings, built from `health_config` (jsonb) by one table of vendors.

`parse_health_config` validates the raw object against the row of its integration type in
`VENDORS` and returns a `HealthConfig` (one frozen class for every type), or raises
`HealthConfigError` with a sentence naming the type, the key and what is wrong. Unknown
keys are refused (a typo such as `ulr` would otherwise silently fall back to the vendor
default).

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
  data), with `OData-Version: 4.0`. Credentials: `Authorization: Bearer <secret>` — the
  secret is an access token obtained elsewhere; without it Dataverse answers 401, i.e.
  `degraded`.
- bufdir: `base_url` (required without `url`); probe `GET <base_url>/api/status`.
  Credentials: `Authorization: Bearer <secret>` when `secret_ref` is set.

A new vendor is one more `VendorSpec` row (and its `integration_types` row by migration).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
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


@dataclass(frozen=True)
class VendorKey:
    """A vendor-specific key of `health_config`: a URL, or one of fixed `choices`."""

    name: str
    https_only: bool = False
    choices: tuple[str, ...] = ()  # non-empty: a string key with these values


@dataclass(frozen=True)
class VendorSpec:
    integration_type: str
    default_method: ProbeMethod
    auth_scheme: str  # Authorization: <scheme> <secret>
    keys: tuple[VendorKey, ...]
    derive_url: Callable[[Mapping[str, str]], str | None]  # from the vendor keys given
    missing_url: str  # the sentence when neither `url` nor the vendor keys give a URL
    headers: Mapping[str, str] = field(default_factory=dict)


def _join(base: str | None, path: str) -> str | None:
    return None if base is None else base.rstrip("/") + path


VENDORS: Final[Mapping[str, VendorSpec]] = {
    spec.integration_type: spec
    for spec in (
        VendorSpec(
            "xledger",
            "HEAD",
            "token",
            (VendorKey("environment", choices=tuple(XLEDGER_ENVIRONMENTS)), VendorKey("base_url")),
            lambda k: _join(
                k.get("base_url") or XLEDGER_ENVIRONMENTS[k.get("environment", "production")],
                XLEDGER_PROBE_PATH,
            ),
            "",
        ),
        VendorSpec(
            "dynamics",
            "HEAD",
            "Bearer",
            (VendorKey("environment_url", https_only=True),),
            lambda k: _join(k.get("environment_url"), DYNAMICS_PROBE_PATH),
            "set `url` or `environment_url` (https://<org>.crm.dynamics.com)",
            {"OData-Version": "4.0", "Accept": "application/json"},
        ),
        VendorSpec(
            "bufdir",
            "GET",
            "Bearer",
            (VendorKey("base_url"),),
            lambda k: _join(k.get("base_url"), BUFDIR_PROBE_PATH),
            "set `url` or `base_url`",
        ),
    )
}
SUPPORTED_TYPES: Final = tuple(VENDORS)


@dataclass(frozen=True, kw_only=True)
class HealthConfig:
    """The probe settings of one pair: where, how, when it counts as slow, which secret."""

    integration_type: str
    probe_url: str
    method: ProbeMethod
    degraded_latency_ms: int = DEFAULT_DEGRADED_LATENCY_MS
    secret_ref: str | None = None
    url: str | None = None  # as configured (None: derived from the vendor keys)
    settings: Mapping[str, str] = field(default_factory=dict)  # the vendor keys given

    @property
    def vendor(self) -> VendorSpec:
        return VENDORS[self.integration_type]


def parse_health_config(
    integration_type: str, raw: Mapping[str, Any] | None, secret_ref: str | None = None
) -> HealthConfig:
    """Build the config of `integration_type` from its `health_config` object.

    `secret_ref` comes from the pair's row (a name, never a secret) and is carried on
    the config so the probe can resolve the credential from the environment.
    """
    spec = VENDORS.get(integration_type)
    if spec is None:
        raise HealthConfigError(
            integration_type,
            f"no health check for integration type {integration_type!r} "
            f"(supported: {', '.join(SUPPORTED_TYPES)})",
        )
    if raw is None:
        raw = {}
    if not isinstance(raw, Mapping):
        raise HealthConfigError(
            integration_type, f"expected a JSON object, got {type(raw).__name__}"
        )
    p = _Parser(integration_type, raw)
    p.allow(*(key.name for key in spec.keys))
    given: dict[str, str] = {}
    for key in spec.keys:
        value = p.string(key.name) if key.choices else p.url(key.name, https_only=key.https_only)
        if value is None:
            continue
        if key.choices and value not in key.choices:
            p.fail(f"`{key.name}` must be one of {', '.join(sorted(key.choices))}, got {value!r}")
        given[key.name] = value
    url = p.url("url")
    probe_url = url or spec.derive_url(given)
    if probe_url is None:
        p.fail(spec.missing_url)
    return HealthConfig(
        integration_type=integration_type,
        probe_url=probe_url,
        method=p.method(spec.default_method),
        degraded_latency_ms=p.latency(),
        secret_ref=secret_ref,
        url=url,
        settings=given,
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
