"""A loopback HTTP server for benchmarks: /sleep/<ms> answers 200 after that delay
(POST with `{"records_processed": 1}`, HEAD/GET empty). Bounded by the caller."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return

    def _sleep(self) -> None:
        parts = self.path.strip("/").split("/")
        if len(parts) == 2 and parts[0] == "sleep" and parts[1].isdigit():
            time.sleep(int(parts[1]) / 1000.0)

    def _send(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self._sleep()
        self._send(json.dumps({"records_processed": 1, "records_failed": 0}).encode())

    def do_HEAD(self) -> None:
        self._sleep()
        self._send(b"")

    do_GET = do_HEAD


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # listen() backlog, read when the socket is bound: 100 simultaneous probes must not
    # overflow it (the default of 5 costs a SYN retransmit, a full second).
    request_queue_size = 512


@contextmanager
def bench_server() -> Iterator[str]:
    server = _Server(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host!s}:{port}"
    finally:
        server.shutdown()
        server.server_close()
