"""A small threaded HTTP server on 127.0.0.1 for the health-probe tests.

Each path can be given a status, a delay, or told to hang until the server stops.
Every request is recorded with server-side monotonic timestamps (when the handler
started and when it answered), so tests can prove overlap without wall-clock
thresholds. Distinct from the sync worker's test server on purpose.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class _Server(ThreadingHTTPServer):
    """ThreadingHTTPServer with a listen() backlog for many simultaneous connections."""

    daemon_threads = True
    request_queue_size = 128


@dataclass(frozen=True)
class ProbeRoute:
    status: int = 200
    delay_s: float = 0.0
    hang: bool = False


@dataclass(frozen=True)
class SeenRequest:
    method: str
    path: str
    headers: dict[str, str]
    started: float
    finished: float


@dataclass
class ProbeServer:
    host: str = "127.0.0.1"
    routes: dict[str, ProbeRoute] = field(default_factory=dict)
    requests: list[SeenRequest] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    release: threading.Event = field(default_factory=threading.Event)
    started: threading.Event = field(default_factory=threading.Event)
    _httpd: ThreadingHTTPServer | None = None

    def route(self, path: str, status: int = 200, delay_s: float = 0.0, hang: bool = False) -> str:
        self.routes[path] = ProbeRoute(status, delay_s, hang)
        return self.url(path)

    @property
    def port(self) -> int:
        assert self._httpd is not None
        return int(self._httpd.server_address[1])

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def seen(self, path: str | None = None) -> list[SeenRequest]:
        with self.lock:
            return [r for r in self.requests if path is None or r.path == path]

    def serve(self) -> None:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                started = time.monotonic()
                server.started.set()
                route = server.routes.get(self.path.split("?")[0], ProbeRoute(status=404))
                if route.hang:
                    server.release.wait(60)
                elif route.delay_s:
                    time.sleep(route.delay_s)
                finished = time.monotonic()
                with server.lock:
                    server.requests.append(
                        SeenRequest(
                            self.command, self.path, dict(self.headers.items()), started, finished
                        )
                    )
                try:
                    self.send_response(route.status)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except OSError:
                    pass  # the client gave up (cancelled probe)

            do_GET = do_HEAD = do_POST = _handle

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._httpd = _Server((self.host, 0), Handler)
        self._httpd.daemon_threads = True
        threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def close(self) -> None:
        self.release.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()


@contextmanager
def probe_server() -> Iterator[ProbeServer]:
    server = ProbeServer()
    server.serve()
    try:
        yield server
    finally:
        server.close()


@contextmanager
def refused_port() -> Iterator[int]:
    """A port bound but not listening: connecting to it is refused, with no race."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    try:
        yield int(sock.getsockname()[1])
    finally:
        sock.close()
