"""The URL rules of DESIGN §13 for `endpoint_url`, `warmup_url` and a health `url`, as pure
functions (no I/O): Postgres applies the same rules at write time
(`integration_ops.url_problem`), and both sides pass the one table of cases,
`tests/cases/urls.json`.

- **On the URL text** (`UrlPolicy.url_problem`, the SQL function's verdicts): the scheme
  is https, or http for a host in `allowed_http_hosts` (settings; default `127.0.0.1`,
  `localhost`, `::1`); a host is required; no whitespace or control character anywhere.
  Unless the host is listed, these are refused: an IP-literal host that is link-local
  (169.254.0.0/16, fe80::/10), loopback (127/8, ::1), private or otherwise not public (10/8,
  172.16/12, 192.168/16, 100.64/10, 0.0.0.0/8, fc00::/7, ::, 192.0.0.0/24, 198.18.0.0/15,
  224.0.0.0/3, ff00::/8) — an IPv4-mapped address (::ffff:a.b.c.d) by the IPv4 address
  inside —, `localhost` and `*.localhost`, and the cloud metadata host names.
- **On the addresses connected to** (`UrlPolicy.address_problem`): the worker checks every
  address a name resolves to, before it connects (DNS rebinding, a name that resolves to
  169.254.169.254): one refused address refuses the host, unless the host (as written in
  the URL) is listed. Here IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d)
  addresses are judged by the IPv4 address inside as well. An IP-literal host is its own
  resolved address; a host that looks numeric but is not a canonical address
  (`2130706433`, `127.1`, `0x7f.1`) stands for the IPv4 address the C library reads in it
  (`inet_aton`), and is checked as that address (`UrlPolicy.connect_problem`).

A refusal names its rule (`UrlRefusal.rule`) and the host, never the URL's credentials.
Listed hosts match case-insensitively, ignoring a trailing dot and IPv6 brackets.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from yarl import URL

DEFAULT_ALLOWED_HTTP_HOSTS: Final = ("127.0.0.1", "localhost", "::1")
SETTING: Final = "settings.allowed_http_hosts"

# Host names of cloud instance-metadata services (as the SQL function lists them; their
# addresses are refused as link-local/private anyway, the names before any lookup).
METADATA_HOSTS: Final = frozenset(
    {
        "metadata",
        "metadata.google.internal",
        "metadata.goog",
        "instance-data",
        "instance-data.ec2.internal",
        "metadata.azure.com",
        "metadata.azure.internal",
        "metadata.oraclecloud.com",
        "metadata.packet.net",
    }
)

_V4 = ipaddress.IPv4Network
_V6 = ipaddress.IPv6Network
# (kind, networks), checked in this order; an address in none of them is allowed.
_REFUSED_V4: Final = (
    ("link-local", (_V4("169.254.0.0/16"),)),
    ("loopback", (_V4("127.0.0.0/8"),)),
    ("unspecified", (_V4("0.0.0.0/8"),)),
    (
        "private",
        (_V4("10.0.0.0/8"), _V4("172.16.0.0/12"), _V4("192.168.0.0/16"), _V4("100.64.0.0/10")),
    ),
    ("reserved", (_V4("192.0.0.0/24"), _V4("198.18.0.0/15"), _V4("224.0.0.0/3"))),
)
_REFUSED_V6: Final = (
    ("link-local", (_V6("fe80::/10"),)),
    ("loopback", (_V6("::1/128"),)),
    ("unspecified", (_V6("::/128"),)),
    ("private", (_V6("fc00::/7"),)),
    ("reserved", (_V6("ff00::/8"),)),
)
_V4_COMPATIBLE: Final = _V6("::/96")
_NAT64: Final = _V6("64:ff9b::/96")
_MAX_HOST_IN_MESSAGE: Final = 100
_KIND_TEXT: Final = {
    "link-local": "a link-local address (169.254.0.0/16, fe80::/10: cloud metadata lives there)",
    "loopback": "a loopback address",
    "unspecified": "the unspecified network (0.0.0.0/8, ::)",
    "private": "a private address (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7)",
    "reserved": "a reserved or multicast address (192.0.0.0/24, 198.18/15, 224/3, ff00::/8)",
}

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class UrlRefusal:
    """Why a URL (or an address it leads to) is refused: `rule` names the rule, `detail`
    says it in a sentence (host included, credentials never)."""

    rule: str
    detail: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.detail}"


def normalise_host(host: str) -> str:
    """Lower case, without IPv6 brackets or a trailing dot."""
    host = host.strip().lower()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    return host.rstrip(".") if host not in (".", "") else host


def _shown(host: str) -> str:
    return host if len(host) <= _MAX_HOST_IN_MESSAGE else host[:_MAX_HOST_IN_MESSAGE] + "…"


def parse_address(host: str) -> IPAddress | None:
    """The address of an IP-literal host (`[::1]`, `10.0.0.1`, `fe80::1%eth0`), else None."""
    try:
        return ipaddress.ip_address(normalise_host(host))
    except ValueError:
        return None


def numeric_host_address(host: str) -> ipaddress.IPv4Address | None:
    """The IPv4 address a non-canonical numeric host stands for (`2130706433`, `127.1`,
    `0x7f.0.0.1`): what getaddrinfo reads in it (`inet_aton`) before any DNS lookup; None
    for a canonical literal or a name."""
    name = normalise_host(host)
    if not name or parse_address(name) is not None:
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(name))
    except OSError:
        return None


def looks_numeric(host: str) -> bool:
    """The heuristic HTTP clients use to skip name resolution (aiohttp's `is_ip_address`):
    digits and dots only, or a colon."""
    name = normalise_host(host)
    return ":" in name or (bool(name) and name.replace(".", "").isdigit())


def address_kind(address: IPAddress, *, connecting: bool = False) -> str | None:
    """The refused kind of an address (`link-local`, `loopback`, `unspecified`, `private`,
    `reserved`), or None when it is allowed. An IPv4-mapped address is judged by the IPv4
    address inside; so are, for an address about to be connected to (`connecting`),
    IPv4-compatible and NAT64 ones."""
    if isinstance(address, ipaddress.IPv4Address):
        return next((kind for kind, nets in _REFUSED_V4 if any(address in n for n in nets)), None)
    plain = ipaddress.IPv6Address(int(address))  # without a scope id
    inner = plain.ipv4_mapped
    embeds = plain in _NAT64 or (plain in _V4_COMPATIBLE and int(plain) > 1)
    if inner is None and connecting and embeds:
        inner = ipaddress.IPv4Address(int(plain) & 0xFFFFFFFF)
    if inner is not None:
        return address_kind(inner)
    return next((kind for kind, nets in _REFUSED_V6 if any(plain in n for n in nets)), None)


def _has_bad_character(url: str) -> bool:
    return any(c <= " " or c == "\x7f" for c in url)


@dataclass(frozen=True)
class UrlPolicy:
    """The URL rules with one `allowed_http_hosts` list (normalised)."""

    allowed_http_hosts: frozenset[str]

    @classmethod
    def with_hosts(cls, hosts: Iterable[str] | None = None) -> UrlPolicy:
        chosen = DEFAULT_ALLOWED_HTTP_HOSTS if hosts is None else hosts
        return cls(frozenset(normalise_host(h) for h in chosen if h and h.strip()))

    def listed(self, host: str) -> bool:
        return normalise_host(host) in self.allowed_http_hosts

    def url_problem(self, url: str) -> UrlRefusal | None:
        """The verdict on the URL text: None when allowed."""
        if not url.strip():
            return UrlRefusal("no-host", "the URL is empty")
        if _has_bad_character(url):
            return UrlRefusal("malformed", "the URL contains whitespace or a control character")
        try:
            parsed = URL(url)
        except (ValueError, TypeError) as exc:
            return UrlRefusal("malformed", f"the URL cannot be parsed ({type(exc).__name__})")
        scheme = (parsed.scheme or "").lower()
        if scheme not in ("https", "http"):
            shown = f"scheme {scheme!r}" if scheme else "no scheme"
            return UrlRefusal("scheme", f"{shown}: only https (http for {SETTING}) is allowed")
        host = parsed.raw_host
        if not host:
            return UrlRefusal("no-host", "the URL has no host")
        return self.host_problem(host, scheme)

    def host_problem(self, host: str, scheme: str = "https") -> UrlRefusal | None:
        name = normalise_host(host)
        if name in self.allowed_http_hosts:
            return None
        if scheme == "http":
            return UrlRefusal(
                "plain-http", f"plain http only for hosts in {SETTING}; {_shown(name)} is not"
            )
        if name in METADATA_HOSTS:
            return UrlRefusal("metadata-host", f"{_shown(name)} is a cloud metadata host name")
        if name == "localhost" or name.endswith(".localhost"):
            return UrlRefusal("loopback", f"{_shown(name)} is a loopback name, not in {SETTING}")
        address = parse_address(name)
        if address is None and ":" in name:
            return UrlRefusal("malformed", f"{_shown(name)} is not an IPv6 address")
        kind = None if address is None else address_kind(address)
        if kind is not None:
            return UrlRefusal(kind, f"{_shown(name)} is {_KIND_TEXT[kind]}, not in {SETTING}")
        return None

    def address_problem(self, host: str, addresses: Iterable[str]) -> UrlRefusal | None:
        """The verdict on the addresses `host` leads to (checked before connecting): None
        when every address is allowed or the host is listed."""
        name = normalise_host(host)
        if name in self.allowed_http_hosts:
            return None
        for text in addresses:
            address = parse_address(text)
            if address is None:
                return UrlRefusal("unresolvable", f"{_shown(name)} resolved to a non-address")
            kind = address_kind(address, connecting=True)
            if kind is not None:
                return UrlRefusal(
                    kind,
                    f"{_shown(name)} resolves to {address}, {_KIND_TEXT[kind]}, "
                    f"and is not in {SETTING}",
                )
        return None

    def connect_problem(self, url: str) -> UrlRefusal | None:
        """Everything decided before a lookup, for a URL an HTTP client is about to use:
        the text rules; then an IP-literal host as its own resolved address, and a numeric
        host (which clients connect to without asking the resolver) as the address it
        stands for, or refused when it stands for none."""
        problem = self.url_problem(url)
        if problem is not None:
            return problem
        host = URL(url).raw_host or ""
        if self.listed(host):
            return None
        literal = parse_address(host)
        if literal is not None:
            return self.address_problem(host, [str(literal)])
        numeric = numeric_host_address(host)
        if numeric is not None:
            return self.address_problem(host, [str(numeric)])
        if looks_numeric(host):
            return UrlRefusal("malformed", f"{_shown(normalise_host(host))} is not an address")
        return None
