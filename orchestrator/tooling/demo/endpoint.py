"""DEMO STAND-IN for vendor APIs and integration functions. Not part of the package.

One HTTP server on 127.0.0.1 plays every integration of the demo:

    POST /sync/<behaviour>     an integration function receiving a run
    GET  /sync/<behaviour>     its warm-up (204)
    HEAD /health/<behaviour>   a vendor's ping endpoint

Behaviours: `ok` (fast), `slow` (answers after a delay: degraded health, slow sync),
`fail` (HTTP 500/503: failed run, unreachable health), `limited` (HTTP 429).

Like a real integration function, it verifies every call's Standard Webhooks signature
(DESIGN §13) with the demo's signing secret: an unsigned, wrongly signed or stale call gets
401 and is not run (`rejected` counts them).
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from ...sync.signing import WebhookSigner

SLOW_SECONDS = 2.5


class _Server(ThreadingHTTPServer):
    """ThreadingHTTPServer with a listen() backlog for many simultaneous connections."""

    daemon_threads = True
    request_queue_size = 128
    signer: WebhookSigner | None = None
    rejected = 0


@dataclass(frozen=True)
class DemoEndpoint:
    server: _Server
    thread: threading.Thread

    @property
    def rejected(self) -> int:
        """Calls refused for a missing or bad signature."""
        return self.server.rejected

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


class _Handler(BaseHTTPRequestHandler):
    server_version = "DemoStandIn/1.0"

    def log_message(self, format: str, *args: object) -> None:
        return  # keep the demo's console for the worker's own log lines

    def _behaviour(self, prefix: str) -> str | None:
        if not self.path.startswith(prefix):
            return None
        return self.path[len(prefix) :].split("?", 1)[0].strip("/") or "ok"

    def _reply(self, status: int, body: dict[str, object] | None = None) -> None:
        payload = json.dumps(body).encode() if body is not None else b""
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if payload and self.command != "HEAD":
            self.wfile.write(payload)

    def _signed(self, body: bytes) -> bool:
        server = self.server
        assert isinstance(server, _Server)
        if server.signer is not None and server.signer.verify(dict(self.headers.items()), body):
            return True
        server.rejected += 1
        self._reply(401, {"error": "missing or invalid webhook signature"})
        return False

    def do_POST(self) -> None:
        behaviour = self._behaviour("/sync/")
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if behaviour is None:
            self._reply(404, {"error": "unknown path"})
            return
        if not self._signed(raw):
            return
        if behaviour == "slow":
            time.sleep(SLOW_SECONDS)
        if behaviour == "fail":
            self._reply(500, {"error": "demo vendor failure (password=demo-secret)"})
            return
        if behaviour == "limited":
            self._reply(429, {"error": "rate limited"})
            return
        try:
            run = json.loads(raw)
        except ValueError:
            run = {}
        records = 100 + (sum(map(ord, str(run.get("run_id", "")))) % 400)
        self._reply(200, {"records_processed": records, "records_failed": records % 3})

    def _probe(self) -> None:
        behaviour = self._behaviour("/health/")
        if behaviour is None:
            self._reply(404)
        elif behaviour == "slow":
            time.sleep(SLOW_SECONDS)
            self._reply(200)
        elif behaviour == "fail":
            self._reply(503)
        elif behaviour == "limited":
            self._reply(429)
        else:
            self._reply(200)

    def do_HEAD(self) -> None:
        self._probe()

    def do_GET(self) -> None:
        if self._behaviour("/sync/") is not None:  # a warm-up: signed, empty body
            if self._signed(b""):
                self._reply(204)
            return
        self._probe()


def start_demo_endpoint(secret: str, port: int = 0) -> DemoEndpoint:
    """The stand-in on 127.0.0.1, verifying signatures made with `secret` (whsec_…)."""
    server = _Server(("127.0.0.1", port), _Handler)
    server.signer = WebhookSigner.from_secret(secret)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="demo-endpoint", daemon=True)
    thread.start()
    return DemoEndpoint(server=server, thread=thread)
