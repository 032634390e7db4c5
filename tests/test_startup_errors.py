"""Clean start-up errors (issues 21, 23): a metrics port or host that cannot be served is
one line and exit 2 (a supervisor must not restart-loop on it); /healthz answers from
the moment the process starts, also while the database is down (that is /readyz's
business); worker ids are validated before anything is claimed.

Observed on 0.2: a busy or invalid --metrics-port/--metrics-host printed three tracebacks
and a misleading "database unavailable", exit 1; /healthz did not answer at all until
the database did.
"""

from __future__ import annotations

import re
import signal
import socket
import time
from collections.abc import Iterator

import httpx
import pytest

from orchestrator.runtime.identity import WORKER_ID_PATTERN, default_worker_id
from tests.probe_servers import refused_port
from tests.worker_procs import finish, orchestrator, start, worker_env

LOOPS = (("worker",), ("health",), ("serve",))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture()
def busy_port() -> Iterator[int]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        yield int(s.getsockname()[1])


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err[-3000:]
    assert "Traceback" not in err and "database" not in err, err[-3000:]
    return lines[0]


@pytest.mark.parametrize("args", LOOPS)
def test_a_busy_metrics_port_is_one_line_and_exit_2(
    worker_dsn: str, busy_port: int, args: tuple[str, ...]
) -> None:
    code, _, err = finish(
        start(
            orchestrator(worker_dsn, *args, "--metrics-port", str(busy_port)),
            worker_env(ORCHESTRATOR_LOG_LEVEL="WARNING"),
        ),
        timeout=60,
    )
    assert code == 2, err[-3000:]
    line = one_line(err)
    assert f"127.0.0.1:{busy_port}" in line and "--metrics-port" in line, line
    assert "in use" in line, line


@pytest.mark.parametrize("args", LOOPS)
@pytest.mark.parametrize("host", ["no-such-host.invalid", "256.1.1.1"])
def test_an_invalid_metrics_host_is_one_line_and_exit_2(
    worker_dsn: str, args: tuple[str, ...], host: str
) -> None:
    code, _, err = finish(
        start(
            orchestrator(
                worker_dsn, *args, "--metrics-port", str(free_port()), "--metrics-host", host
            ),
            worker_env(ORCHESTRATOR_LOG_LEVEL="WARNING"),
        ),
        timeout=60,
    )
    assert code == 2, err[-3000:]
    line = one_line(err)
    assert host in line and "--metrics-host" in line, line


def get(url: str) -> httpx.Response | None:
    try:
        return httpx.get(url, timeout=5)
    except httpx.TransportError:
        return None


@pytest.mark.parametrize("args", [("serve",), ("worker",), ("health",)])
def test_healthz_answers_while_the_database_is_down_at_start(args: tuple[str, ...]) -> None:
    port = free_port()
    with refused_port() as db_port:
        dsn = f"host=127.0.0.1 port={db_port} user=worker_login dbname=postgres"
        proc = start(orchestrator(dsn, *args, "--metrics-port", str(port)), worker_env())
        try:
            healthz = None
            for _ in range(600):  # until the process has bound its port
                healthz = get(f"http://127.0.0.1:{port}/healthz")
                if healthz is not None or proc.poll() is not None:
                    break
                time.sleep(0.05)
            readyz = get(f"http://127.0.0.1:{port}/readyz")
        finally:
            proc.send_signal(signal.SIGTERM)
            _, _, err = finish(proc, timeout=60)
    assert healthz is not None and healthz.status_code == 200, err[-3000:]
    assert readyz is not None and readyz.status_code == 503, err[-3000:]
    assert "Traceback" not in err, err[-3000:]


@pytest.mark.parametrize("args", LOOPS)
@pytest.mark.parametrize(
    "worker_id", ["host-1 password=hunter2", "-leading-dash", "x" * 101, "tab\there", "ünï"]
)
def test_a_worker_id_outside_the_pattern_is_a_usage_error(
    worker_dsn: str, args: tuple[str, ...], worker_id: str
) -> None:
    code, _, err = finish(
        start(orchestrator(worker_dsn, *args, "--once", "--worker-id", worker_id), worker_env())
        if args != ("serve",)
        else start(orchestrator(worker_dsn, *args, "--worker-id", worker_id), worker_env()),
        timeout=60,
    )
    assert code == 2, err[-3000:]
    assert "--worker-id" in err and "Usage:" in err, err[-3000:]
    assert "hunter2" not in err, "the refused value is not echoed"


@pytest.mark.parametrize(
    "worker_id", ["host-1:1234", "w1", "pod/worker@eu-west-1.example.com:42", "a+b_c.d", "x" * 100]
)
def test_worker_ids_inside_the_pattern_are_accepted(worker_id: str) -> None:
    assert re.fullmatch(WORKER_ID_PATTERN, worker_id)


@pytest.mark.parametrize(
    "hostname",
    ["db-host-1", "my host name!", "-weird-", "", "h" * 300, "ünïcode.example", "_under"],
)
def test_the_default_worker_id_always_fits(monkeypatch: pytest.MonkeyPatch, hostname: str) -> None:
    monkeypatch.setattr(socket, "gethostname", lambda: hostname)
    worker_id = default_worker_id()
    assert re.fullmatch(WORKER_ID_PATTERN, worker_id), worker_id
    assert worker_id.endswith(f":{__import__('os').getpid()}")
