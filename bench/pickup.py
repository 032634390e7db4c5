"""Pick-up latency of the shipped worker (issue 24): from the commit of a manual trigger
to the integration call arriving at the endpoint, one run at a time, with `orchestrator
worker` at its defaults (LISTEN, concurrency 5, the connection ceiling, batched reports).

Each sample: one transaction enqueues a pending run and wakes delivery as a manual
trigger does (`enqueue_sync_runs` + `wake_sync_delivery`: NOTIFY at commit); the clock
starts just before COMMIT is sent (so the figure is an upper bound by the commit's round
trip) and stops when the loopback endpoint (TCP_NODELAY) has read the request. The next
sample starts once the run is reported `completed`, so every sample is a lone run on an
idle worker: what a user pressing "sync now" waits for, and what batching must not slow.

Run: `python -m bench.pickup` (also part of `make bench`). Never a timed test.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import click
import psycopg

from orchestrator.tooling import localdb
from orchestrator.tooling.localdb import PROJECT_ROOT
from orchestrator.tooling.sqitch import run_sqitch

from .report import print_table, write_json
from .stats import Row, percentile

RESULTS = PROJECT_ROOT / "bench" / "results"
TARGET_P50_MS = 5.0
PREVIOUS = "about 3 ms median (0.2, issue 24); graphile-worker 2-2.6 ms median"
WORKER_LOGIN = "bench_pickup_worker"


class _Arrivals:
    def __init__(self) -> None:
        self.at: dict[str, int] = {}
        self.cond = threading.Condition()

    def arrived(self, run_id: str, ns: int) -> None:
        with self.cond:
            self.at[run_id] = ns
            self.cond.notify_all()

    def wait(self, run_id: str, timeout: float) -> int | None:
        with self.cond:
            self.cond.wait_for(lambda: run_id in self.at, timeout)
            return self.at.get(run_id)


class _NoDelayServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def get_request(self) -> tuple[socket.socket, Any]:
        conn, addr = super().get_request()
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return conn, addr


@contextmanager
def endpoint(arrivals: _Arrivals) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            return

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b"{}"
            now = time.monotonic_ns()
            run_id = str(json.loads(body).get("run_id"))
            reply = b'{"records_processed": 1, "records_failed": 0}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)
            arrivals.arrived(run_id, now)

        do_GET = do_HEAD = do_POST

    server = _NoDelayServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sync"
    finally:
        server.shutdown()
        server.server_close()


ENQUEUE = """
SELECT integration_ops.wake_sync_delivery(ARRAY(
  SELECT integration_ops.enqueue_sync_runs(
    ARRAY[%(org)s::uuid], ARRAY['xledger'], 'manual', NULL,
    ARRAY[NULL]::timestamptz[], ARRAY[NULL]::text[])))
"""


def _status(conn: psycopg.Connection[Any], org: uuid.UUID) -> tuple[str, str] | None:
    row = conn.execute(
        "SELECT id::text, status FROM public.sync_run_log WHERE org_id = %s"
        " ORDER BY created_at DESC LIMIT 1",
        (org,),
    ).fetchone()
    return None if row is None else (row[0], row[1])


def measure(samples: int) -> tuple[list[float], dict[str, object]]:
    arrivals = _Arrivals()
    with localdb.temporary_cluster() as cluster, endpoint(arrivals) as url:
        deployed = run_sqitch("deploy", cluster.sqitch_target(), capture=True)
        if deployed.returncode != 0:
            raise RuntimeError(f"sqitch deploy failed:\n{deployed.stdout}{deployed.stderr}")
        admin_dsn = cluster.dsn(user=localdb.SUPERUSER)
        orgs = [uuid.uuid4() for _ in range(samples + 1)]
        with psycopg.connect(admin_dsn, autocommit=True) as conn:
            conn.execute("UPDATE cron.job SET active = false WHERE jobname LIKE 'integration%'")
            conn.execute(f"CREATE ROLE {WORKER_LOGIN} LOGIN")
            conn.execute(f"GRANT integration_worker TO {WORKER_LOGIN}")
            with conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO public.organization_integrations"
                    " (org_id, integration_type, endpoint_url, health_mode)"
                    " VALUES (%s, 'xledger', %s, 'disabled')",
                    [(org, url) for org in orgs],
                )
        env = {k: v for k, v in os.environ.items() if not k.startswith("ORCHESTRATOR_")}
        env.update(ORCHESTRATOR_SERVICE_KEY="bench-pickup-key", ORCHESTRATOR_LOG_LEVEL="WARNING")
        worker = subprocess.Popen(
            [sys.executable, "-m", "orchestrator", "--dsn", cluster.dsn(user=WORKER_LOGIN),
             "worker"],
            cwd=PROJECT_ROOT, env=env, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        latencies: list[float] = []
        try:
            with psycopg.connect(admin_dsn) as conn:
                # warm-up: the first run waits for LISTEN and its self-test, not measured
                for n, org in enumerate(orgs):
                    conn.execute(ENQUEUE, {"org": org})
                    t0 = time.monotonic_ns()
                    conn.commit()
                    found = _status(conn, org)
                    conn.commit()
                    assert found is not None
                    arrived = arrivals.wait(found[0], timeout=60)
                    if arrived is None:
                        raise RuntimeError(f"run {found[0]} never reached the endpoint")
                    if n > 0:
                        latencies.append((arrived - t0) / 1e6)
                    deadline = time.monotonic() + 60
                    while (status := _status(conn, org)) is not None and status[1] != "completed":
                        conn.commit()
                        if time.monotonic() > deadline:
                            raise RuntimeError(f"run {status[0]} not completed: {status[1]}")
                        time.sleep(0.001)
                    conn.commit()
        finally:
            worker.send_signal(signal.SIGTERM)
            _, err = worker.communicate(timeout=60)
        if worker.returncode != 0:
            raise RuntimeError(f"worker exited {worker.returncode}:\n{err[-3000:]}")
    return latencies, {"samples": len(latencies), "loadavg": os.getloadavg()}


@click.command()
@click.option("--samples", type=int, default=300, show_default=True)
@click.option("--results-dir", type=click.Path(path_type=Path), default=RESULTS)
def main(samples: int, results_dir: Path) -> None:
    load_before = os.getloadavg()
    latencies, meta = measure(samples)
    p50, p99 = percentile(latencies, 50), percentile(latencies, 99)
    rows = [
        Row(
            name="pick-up: manual trigger's commit -> call arrives (worker defaults)",
            figure=f"p50 {p50:.2f} ms, p99 {p99:.2f} ms, max {max(latencies):.2f} ms",
            budget=f"p50 <= {TARGET_P50_MS:.0f} ms",
            previous=PREVIOUS,
            note=f"{len(latencies)} lone runs; load {load_before[0]:.2f} before",
            data={"p50_ms": p50, "p99_ms": p99, "max_ms": max(latencies)},
        )
    ]
    print_table("Pick-up latency (python -m bench.pickup)", rows)
    path = write_json(results_dir, "pickup", {**meta, "load_before": load_before}, rows)
    click.echo(f"\nresults: {path}")


if __name__ == "__main__":
    main()
