"""The worker's outbound HTTP: one aiohttp session per loop for sync calls, warm-ups and
health probes (issue 24, DESIGN §13).

Chosen by measurement (`python -m bench.http_clients`, figures in docs/worker.md): httpx's
connection pool costs grow with the square of its size and it tried `import sniffio` on
every request; aiohttp's cost per request stays flat from 24 to 50 connections.

What every request gets here, set up once per session (nothing per request):
- **URL rules** (`urls.UrlPolicy`): the text rules and numeric hosts before the request;
  the addresses a name resolves to inside the resolver (`GuardedResolver`), so the check
  applies to the address actually connected to (DNS rebinding) and a refused URL never
  gets a connection. Refusals raise `UrlNotAllowed`.
- redirects off (`allow_redirects=False`), TLS verified (the default context), HTTP/1.1
  keep-alive, no proxy from the environment (`trust_env=False`), no cookie jar;
- `Accept-Encoding: identity` and no decompression: a compressed answer is never inflated
  (a gzip bomb stays its compressed size, itself capped by the caller's read limit);
- per-call timeouts: `total` (the whole call) and `sock_connect` (TCP + TLS).

`read_at_most` streams a body up to a limit and never reads further; `printable` makes an
answer's text fit to be reported (no NUL or other C0 control character but \\n and \\t).
"""

from __future__ import annotations

import re
import socket
from collections.abc import Iterable
from contextlib import AbstractAsyncContextManager
from typing import Final

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from yarl import URL

from .db import Database
from .store import WorkerStore
from .urls import DEFAULT_ALLOWED_HTTP_HOSTS, UrlPolicy, UrlRefusal

CONNECT_TIMEOUT_S: Final = 10.0
USER_AGENT: Final = "integration-sync-health/0.3"
READ_CHUNK: Final = 64 * 1024
VERDICTS_KEPT: Final = 4096
_CONTROLS: Final = re.compile(r"[\x00-\x08\x0b-\x1f]")


class UrlNotAllowed(Exception):
    """A URL (or the address its host resolved to) that the URL rules refuse."""

    def __init__(self, refusal: UrlRefusal) -> None:
        super().__init__(str(refusal))
        self.refusal = refusal


def printable(text: str) -> str:
    """`text` without NUL and the other C0 control characters, \\n and \\t excepted
    (PostgreSQL refuses NUL in text; the others have no place in a report)."""
    return _CONTROLS.sub("", text)


def timeouts(total: float, connect: float = CONNECT_TIMEOUT_S) -> aiohttp.ClientTimeout:
    """A call's timeouts: `total` for all of it, `connect` (at most `total`) for TCP + TLS."""
    return aiohttp.ClientTimeout(total=total, sock_connect=min(connect, total))


class GuardedResolver(AbstractResolver):
    """Resolves through `inner` (getaddrinfo by default) and refuses, before any
    connection, a host one of whose addresses the URL rules refuse."""

    def __init__(self, policy: UrlPolicy, inner: AbstractResolver | None = None) -> None:
        self.policy = policy
        self.inner = inner or aiohttp.ThreadedResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        results = await self.inner.resolve(host, port, family)
        problem = self.policy.address_problem(host, [r["host"] for r in results])
        if problem is not None:
            raise UrlNotAllowed(problem)
        return results

    async def close(self) -> None:
        await self.inner.close()


class HttpClient:
    """One aiohttp session (opened with `async with`) whose requests obey `policy`."""

    def __init__(
        self,
        policy: UrlPolicy,
        max_connections: int,
        *,
        resolver: AbstractResolver | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.policy = policy
        self.max_connections = max_connections
        self._resolver = resolver
        self._headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}
        self._headers.update(headers or {})
        self._session: aiohttp.ClientSession | None = None
        # The verdict on each URL's text (~20-150 µs to reach; URLs repeat per pair).
        self._verdicts: dict[str, UrlRefusal | None] = {}

    async def __aenter__(self) -> HttpClient:
        connector = aiohttp.TCPConnector(
            limit=self.max_connections,
            limit_per_host=0,
            resolver=GuardedResolver(self.policy, self._resolver),
            ssl=True,
        )
        self._session = aiohttp.ClientSession(
            connector=connector,
            headers=self._headers,
            auto_decompress=False,
            trust_env=False,
            cookie_jar=aiohttp.DummyCookieJar(),
            timeout=timeouts(300.0),
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def request(
        self,
        method: str,
        url: str,
        *,
        headers: dict[str, str] | None = None,
        body: bytes | None = None,
        timeout: aiohttp.ClientTimeout,
    ) -> AbstractAsyncContextManager[aiohttp.ClientResponse]:
        """`async with client.request(...) as response:` (an aiohttp ClientResponse whose
        body is not read yet). Raises `UrlNotAllowed` before anything is sent or resolved
        when the URL text or a numeric host is refused; the resolver refuses names."""
        if self._session is None:
            raise RuntimeError("HttpClient used outside `async with`")
        try:
            problem = self._verdicts[url]
        except KeyError:
            if len(self._verdicts) >= VERDICTS_KEPT:
                self._verdicts.clear()
            problem = self._verdicts[url] = self.policy.connect_problem(url)
        if problem is not None:
            raise UrlNotAllowed(problem)
        if headers and "@" in url and URL(url).user is not None:
            # Credentials in the URL go as Basic auth and take the place of a default
            # Authorization header (as with httpx in 0.2; aiohttp refuses both at once).
            headers = {k: v for k, v in headers.items() if k.lower() != "authorization"}
        return self._session.request(
            method, url, headers=headers, data=body, allow_redirects=False, timeout=timeout
        )


def refusal_of(exc: BaseException) -> UrlNotAllowed | None:
    """The UrlNotAllowed an exception is or was raised from (aiohttp may wrap it)."""
    seen: BaseException | None = exc
    for _ in range(5):
        if seen is None:
            return None
        if isinstance(seen, UrlNotAllowed):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


class BodyTooLarge(Exception):
    pass


async def read_at_most(response: aiohttp.ClientResponse, limit: int, *, strict: bool) -> bytes:
    """Up to `limit` bytes of the body as sent (never inflated), streamed: at most `limit`
    + one chunk is ever held. With `strict`, a longer body (or a declared Content-Length
    above `limit`) raises BodyTooLarge; otherwise it is cut. What is not read is never
    read: the connection is closed."""
    declared = response.headers.get("Content-Length", "")
    if strict and declared.isdigit() and int(declared) > limit:
        response.close()
        raise BodyTooLarge(f"Content-Length {declared}")
    body = bytearray()
    while True:
        chunk = await response.content.read(min(READ_CHUNK, limit + 1 - len(body)))
        if not chunk:
            return bytes(body)
        body += chunk
        if len(body) > limit:
            response.close()
            if strict:
                raise BodyTooLarge(f"more than {limit} bytes")
            return bytes(body[:limit])


def content_encoding(response: aiohttp.ClientResponse) -> str | None:
    """The answer's Content-Encoding when it is not identity (it is never inflated)."""
    value = response.headers.get("Content-Encoding", "").strip().lower()
    return None if value in ("", "identity") else value


async def load_url_policy(db: Database) -> UrlPolicy:
    """The URL rules with `settings.allowed_http_hosts` when the deployed
    `get_worker_settings()` has that column (0.3), else the default list."""
    return UrlPolicy.with_hosts(_hosts(await WorkerStore(db).allowed_http_hosts()))


def _hosts(value: object) -> Iterable[str]:
    if isinstance(value, list) and all(isinstance(h, str) for h in value):
        return value
    return DEFAULT_ALLOWED_HTTP_HOSTS
