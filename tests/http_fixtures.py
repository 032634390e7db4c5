"""A small, real HTTP server on 127.0.0.1 for tests of outbound calls (sync runs, probes).

`RecordingServer` answers every method on every path from a per-path `Route` (status,
body, headers, delay, or a callable), records each request with server-side monotonic
timestamps, and tracks how many requests were in flight at once (overall and per path).
Delays end early when the server stops, so teardown never waits for a slow route.

    with RecordingServer() as server:
        server.route("/slow", delay=2.0, json={"records_processed": 3})
        url = server.url("/slow")
        ...
        assert server.max_in_flight <= 5

Use the `http_server` fixture (function scope) or the context manager directly.
"""

from __future__ import annotations

import json as jsonlib
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


class _Server(ThreadingHTTPServer):
    """ThreadingHTTPServer with a listen() backlog for many simultaneous connections."""

    daemon_threads = True
    request_queue_size = 128


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str  # without the query string
    query: str
    headers: dict[str, str]  # header names lower-cased
    body: bytes
    started: float  # time.monotonic() when the request line was read
    finished: float  # time.monotonic() just before the reply was written

    def json(self) -> Any:
        return jsonlib.loads(self.body)

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


Responder = Callable[[RecordedRequest], Reply]


@dataclass(frozen=True)
class Route:
    status: int = 200
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0
    responder: Responder | None = None  # computes the reply from the request (no delay/body)
    close: bool = False  # drop the connection without replying (after the delay)


@dataclass
class _State:
    routes: dict[str, Route] = field(default_factory=dict)
    default: Route = field(default_factory=Route)
    requests: list[RecordedRequest] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0
    in_flight_by_path: dict[str, int] = field(default_factory=dict)
    max_in_flight_by_path: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stopping: threading.Event = field(default_factory=threading.Event)
    arrived: threading.Condition = field(default_factory=threading.Condition)


def _handler_class(state: _State) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            return

        def _handle(self) -> None:
            started = time.monotonic()
            path, _, query = self.path.partition("?")
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            with state.lock:
                route = state.routes.get(path, state.default)
                state.in_flight += 1
                state.max_in_flight = max(state.max_in_flight, state.in_flight)
                n = state.in_flight_by_path.get(path, 0) + 1
                state.in_flight_by_path[path] = n
                state.max_in_flight_by_path[path] = max(state.max_in_flight_by_path.get(path, 0), n)
            try:
                with state.arrived:
                    state.arrived.notify_all()
                if route.delay > 0:
                    state.stopping.wait(route.delay)
                headers = {k.lower(): v for k, v in self.headers.items()}
                partial = RecordedRequest(
                    self.command, path, query, headers, body, started, time.monotonic()
                )
                if route.close:
                    reply = None
                elif route.responder is not None:
                    reply = route.responder(partial)
                else:
                    reply = Reply(route.status, route.body, route.headers)
                finished = time.monotonic()
                with state.lock:
                    state.requests.append(
                        RecordedRequest(self.command, path, query, headers, body, started, finished)
                    )
                if reply is None:
                    self.close_connection = True
                    return
                self.send_response(reply.status)
                for name, value in reply.headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(reply.body)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True
            finally:
                with state.lock:
                    state.in_flight -= 1
                    state.in_flight_by_path[path] -= 1

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _handle

    return Handler


class RecordingServer:
    """A threaded HTTP/1.1 server on 127.0.0.1 (free port), recording every request."""

    def __init__(self) -> None:
        self._state = _State()
        self._server = _Server(("127.0.0.1", 0), _handler_class(self._state))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # --- lifecycle -------------------------------------------------------------------
    def start(self) -> RecordingServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._state.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> RecordingServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- configuration ---------------------------------------------------------------
    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def route(
        self,
        path: str,
        *,
        status: int = 200,
        body: bytes | str = b"",
        json: Any = None,
        headers: dict[str, str] | None = None,
        delay: float = 0.0,
        responder: Responder | None = None,
        close: bool = False,
    ) -> str:
        """Configure `path` (exact, without query); returns its full URL."""
        hdrs = dict(headers or {})
        if json is not None:
            body = jsonlib.dumps(json)
            hdrs.setdefault("Content-Type", "application/json")
        raw = body.encode() if isinstance(body, str) else body
        route = Route(status, raw, tuple(hdrs.items()), delay, responder, close)
        with self._state.lock:
            self._state.routes[path] = route
        return self.url(path)

    # --- observations ----------------------------------------------------------------
    @property
    def requests(self) -> list[RecordedRequest]:
        """Finished requests (replied to, or dropped by a `close` route), in finish order."""
        with self._state.lock:
            return list(self._state.requests)

    def requests_to(self, path: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path == path]

    @property
    def in_flight(self) -> int:
        with self._state.lock:
            return self._state.in_flight

    @property
    def max_in_flight(self) -> int:
        with self._state.lock:
            return self._state.max_in_flight

    def max_in_flight_to(self, path: str) -> int:
        with self._state.lock:
            return self._state.max_in_flight_by_path.get(path, 0)

    def wait_for_in_flight(self, n: int, timeout: float = 30.0) -> bool:
        """Block until at least `n` requests are being handled at once (or timeout)."""
        deadline = time.monotonic() + timeout
        with self._state.arrived:
            while self.in_flight < n:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._state.arrived.wait(min(left, 0.05))
        return True


def overlapping(requests: list[RecordedRequest]) -> int:
    """The largest number of the given requests that were in progress at one instant."""
    events = sorted(
        [(r.started, 1) for r in requests] + [(r.finished, -1) for r in requests],
        key=lambda e: (e[0], e[1]),
    )
    best = current = 0
    for _, step in events:
        current += step
        best = max(best, current)
    return best


@pytest.fixture()
def http_server() -> Iterator[RecordingServer]:
    with RecordingServer() as server:
        yield server
