"""Soak benchmark of the worker runtime under faults (issue 15); `make bench-soak`.

Part 1 — soak: 10,000 runs through two real worker processes against a throwaway
Postgres and a real HTTP endpoint, while faults are injected: the endpoint answers 5xx
to some calls and hangs past the call timeout on others, Postgres is restarted once
(`pg_ctl restart -m fast`) and one worker is SIGKILLed and started again. The reaper is
called as pg_cron would (with a short stale timeout). Printed: runs lost (never reached
an end), runs executed twice (the endpoint counts each Idempotency-Key), runs stuck
`running` after the reaper, worker_lost (the killed worker's in-flight runs), the
outcome counts, throughput, and the RSS of a worker at start and end.

Part 2 — memory: one worker with concurrency 20 and 20 endpoints each streaming a
200 MB answer at once; printed: the worker's peak RSS (VmHWM; target < 100 MiB).

Figures only: nothing here is asserted by `make test`.
"""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import click
import psycopg

from orchestrator.tooling import localdb
from orchestrator.tooling.sqitch import run_sqitch

ROOT = Path(__file__).resolve().parent.parent
WORKER_LOGIN = "soak_worker"
WEBHOOK_SECRET = "whsec_YmVuY2gtd2ViaG9vay1zaWduaW5nLWtleQ=="  # signs the calls (DESIGN §13)
CALL_TIMEOUT_S = 2.0
MIB = 1024 * 1024


# --- the endpoint ---------------------------------------------------------------------


class Endpoint:
    """Counts every Idempotency-Key; answers 200, 5xx or hangs past the call timeout."""

    def __init__(self, error_rate: float, hang_rate: float, seed: int = 15) -> None:
        self.keys: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.random = random.Random(seed)
        self.error_rate = error_rate
        self.hang_rate = hang_rate
        self.stopping = threading.Event()
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                key = self.headers.get("Idempotency-Key", "")
                with endpoint.lock:
                    endpoint.keys[key] += 1
                    draw = endpoint.random.random()
                if draw < endpoint.hang_rate:
                    endpoint.stopping.wait(CALL_TIMEOUT_S + 1.0)
                    status, body = 200, b'{"records_processed": 1}'
                elif draw < endpoint.hang_rate + endpoint.error_rate:
                    status, body = 503, b"busy"
                else:
                    status, body = 200, b'{"records_processed": 1}'
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    self.close_connection = True

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            request_queue_size = 256

            def handle_error(self, request: Any, client_address: Any) -> None:
                return  # a client that hung up (a call past its timeout): not news

        self.server = Server(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/sync"

    def stop(self) -> None:
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()


class BigAnswers:
    """Every POST is answered 200 with `size` bytes, close-delimited (no Content-Length)."""

    def __init__(self, size: int) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0), backlog=64)
        self.size = size
        self.sent: list[int] = []
        self.stopping = False
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.listener.getsockname()[1]}/big"

    def _accept(self) -> None:
        while not self.stopping:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        sent = 0
        with conn:
            try:
                conn.recv(65536)
                conn.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    b"Connection: close\r\n\r\n"
                )
                chunk = b" " * (256 * 1024)
                while sent < self.size:
                    conn.sendall(chunk)
                    sent += len(chunk)
            except OSError:
                pass
        self.sent.append(sent)

    def stop(self) -> None:
        self.stopping = True
        self.listener.close()


# --- database and processes ------------------------------------------------------------


@contextmanager
def soak_cluster() -> Iterator[localdb.LocalCluster]:
    with localdb.temporary_cluster() as cluster:
        result = run_sqitch("deploy", cluster.sqitch_target(), capture=True)
        if result.returncode != 0:
            raise click.ClickException(f"sqitch deploy failed:\n{result.stdout}{result.stderr}")
        with admin(cluster) as conn:
            conn.execute(f"CREATE ROLE {WORKER_LOGIN} LOGIN")
            conn.execute(f"GRANT integration_worker TO {WORKER_LOGIN}")
            conn.execute("UPDATE cron.job SET active = false")  # the bench reaps itself
        yield cluster


def admin(cluster: localdb.LocalCluster) -> psycopg.Connection[Any]:
    return psycopg.connect(cluster.dsn(user=localdb.SUPERUSER), autocommit=True)


def seed_runs(cluster: localdb.LocalCluster, url: str, n: int) -> None:
    """`n` pairs with one pending run each (a pair has at most one active run)."""
    with admin(cluster) as conn:
        conn.execute(
            """
            INSERT INTO public.organization_integrations
              (org_id, integration_type, endpoint_url, health_mode)
            SELECT gen_random_uuid(), 'xledger', %s, 'disabled' FROM generate_series(1, %s)
            """,
            (url, n),
        )
        conn.execute(
            """
            INSERT INTO public.sync_run_log (org_id, integration_type, status, triggered_by)
            SELECT org_id, integration_type, 'pending', 'manual'
            FROM public.organization_integrations
            """
        )


def status_counts(cluster: localdb.LocalCluster) -> Counter[str]:
    with admin(cluster) as conn:
        rows = conn.execute(
            "SELECT coalesce(error_code, status), count(*) FROM public.sync_run_log GROUP BY 1"
        ).fetchall()
    return Counter({k: int(v) for k, v in rows})


def reap(cluster: localdb.LocalCluster) -> int:
    try:
        with admin(cluster) as conn:
            row = conn.execute("SELECT integration_ops.reap_stale_sync_runs()").fetchone()
    except psycopg.OperationalError:
        return 0  # restarting
    return int(row[0]) if row else 0


def start_worker(
    cluster: localdb.LocalCluster, name: str, concurrency: int, log: Path, *extra: str
) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORCHESTRATOR_")}
    env.update(ORCHESTRATOR_WEBHOOK_SECRET=WEBHOOK_SECRET, ORCHESTRATOR_LOG_LEVEL="WARNING")
    cmd = [
        sys.executable, "-m", "orchestrator", "--dsn", cluster.dsn(user=WORKER_LOGIN),
        "worker", "--worker-id", name, "--concurrency", str(concurrency),
        "--call-timeout", str(CALL_TIMEOUT_S), "--poll-interval", "0.5", *extra,
    ]  # fmt: skip
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=log.open("ab"))  # fmt: skip


def rss_mib(pid: int, field: str = "VmRSS") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# --- part 1: the soak ---------------------------------------------------------------------


def soak(runs: int, concurrency: int, workdir: Path) -> dict[str, Any]:
    endpoint = Endpoint(error_rate=0.03, hang_rate=0.005)
    log = workdir / "soak-workers.log"
    log.write_text("")
    faults: list[str] = []
    with soak_cluster() as cluster:
        with admin(cluster) as conn:
            conn.execute("UPDATE integration_ops.settings SET stale_run_timeout = '6 seconds'")
        seed_runs(cluster, endpoint.url, runs)
        started = time.monotonic()
        workers = {
            "w1": start_worker(cluster, "w1", concurrency, log),
            "w2": start_worker(cluster, "w2", concurrency, log),
        }
        time.sleep(1.0)
        rss_start = rss_mib(workers["w2"].pid)
        restarted = killed = False
        last_reap = time.monotonic()
        reaped = 0
        deadline = started + 1800
        while time.monotonic() < deadline:
            counts = status_counts(cluster)
            done = runs - counts["pending"] - counts["running"]
            if not restarted and done >= runs * 0.25:
                localdb.restart_cluster(cluster)
                faults.append(f"postgres restarted at {done} runs done")
                restarted = True
            elif restarted and not killed and done >= runs * 0.5:
                workers["w1"].send_signal(signal.SIGKILL)
                workers["w1"].wait()
                faults.append(f"worker w1 SIGKILLed at {done} runs done, w1b started")
                workers["w1b"] = start_worker(cluster, "w1b", concurrency, log)
                killed = True
            if time.monotonic() - last_reap > 2.0:
                reaped += reap(cluster)
                last_reap = time.monotonic()
            if counts["pending"] == 0 and counts["running"] == 0:
                break
            time.sleep(0.2)
        elapsed = time.monotonic() - started
        rss_end = rss_mib(workers["w2"].pid)
        for proc in workers.values():
            stop(proc)
        time.sleep(7)  # past the stale timeout: anything still running is the reaper's
        reaped += reap(cluster)
        final = status_counts(cluster)
    endpoint.stop()
    executed_twice = sum(1 for n in endpoint.keys.values() if n > 1)
    text = log.read_text()
    return {
        "runs": runs,
        "workers": f"2 x concurrency {concurrency} (one killed and replaced)",
        "faults": [*faults, "endpoint: 3% HTTP 503, 0.5% hang past the call timeout"],
        "outcomes": dict(sorted(final.items())),
        "runs_lost (pending/running at the end)": final["pending"] + final["running"],
        "stuck_after_reaper": final["running"],
        "executed_twice (Idempotency-Key seen > once)": executed_twice,
        "endpoint_calls": sum(endpoint.keys.values()),
        "reaped_worker_lost": reaped,
        "seconds": round(elapsed, 1),
        "throughput_runs_per_s": round(runs / elapsed, 1),
        "worker_rss_mib_start_end": [round(rss_start, 1), round(rss_end, 1)],
        "tracebacks_in_worker_logs": text.count("Traceback"),
        "log_lines": len(text.splitlines()),
    }


# --- part 2: memory -----------------------------------------------------------------------


def memory(answers: int, size: int, workdir: Path) -> dict[str, Any]:
    big = BigAnswers(size)
    log = workdir / "memory-worker.log"
    log.write_text("")
    with soak_cluster() as cluster:
        proc = start_worker(cluster, "mem", answers, log)
        time.sleep(3.0)  # started and idle: the baseline
        rss_start = rss_mib(proc.pid)
        seed_runs(cluster, big.url, answers)
        peak = 0.0
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            peak = max(peak, rss_mib(proc.pid, "VmHWM"))
            counts = status_counts(cluster)
            if counts["pending"] == 0 and counts["running"] == 0:
                break
            time.sleep(0.05)
        peak = max(peak, rss_mib(proc.pid, "VmHWM"))
        rss_end = rss_mib(proc.pid)
        stop(proc)
        final = status_counts(cluster)
    big.stop()
    return {
        "answers": f"{answers} concurrent answers of {size // MIB} MB each",
        "outcomes": dict(final),
        "worker_rss_mib_idle_before": round(rss_start, 1),
        "worker_peak_rss_mib (VmHWM)": round(peak, 1),
        "worker_rss_mib_end": round(rss_end, 1),
        "target": "< 100 MiB",
        "bytes_sent_per_answer_before_hangup_mib": round(max(big.sent or [0]) / MIB, 1),
    }


@click.command()
@click.option("--runs", default=10_000, show_default=True)
@click.option("--concurrency", default=20, show_default=True)
@click.option("--answers", default=20, show_default=True)
@click.option("--answer-mb", default=200, show_default=True)
@click.option("--skip-soak", is_flag=True)
@click.option("--skip-memory", is_flag=True)
@click.option("--json-out", type=click.Path(path_type=Path), default=None)
def main(
    runs: int,
    concurrency: int,
    answers: int,
    answer_mb: int,
    skip_soak: bool,
    skip_memory: bool,
    json_out: Path | None,
) -> None:
    """The worker under faults, and its memory under huge answers."""
    workdir = ROOT / "bench" / "results"
    workdir.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {}
    if not skip_soak:
        click.echo(f"==> soak: {runs} runs with faults ...", err=True)
        report["soak"] = soak(runs, concurrency, workdir)
        click.echo(json.dumps(report["soak"], indent=2))
    if not skip_memory:
        click.echo(f"==> memory: {answers} x {answer_mb} MB answers ...", err=True)
        report["memory"] = memory(answers, answer_mb * MIB, workdir)
        click.echo(json.dumps(report["memory"], indent=2))
    if json_out is not None:
        json_out.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
