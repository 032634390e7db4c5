"""`make run ONCE=1`: the whole system on its own embedded Postgres, one full cycle."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from orchestrator.tooling import localdb
from orchestrator.tooling.sqitch import PROJECT_ROOT

from .cluster_templates import HEAD, templates

# Sqitch over much of the plan: started early (tests/conftest.py)
pytestmark = pytest.mark.deploys


def test_demo_once_shows_every_run_and_health_status(tmp_path: Path) -> None:
    datadir = tmp_path / "data"
    real_datadir = localdb.resolve_datadir(datadir)
    try:
        _run_demo_once(datadir, real_datadir)
    finally:
        if real_datadir != datadir:
            shutil.rmtree(real_datadir.parent, ignore_errors=True)


def _run_demo_once(datadir: Path, real_datadir: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "orchestrator", "demo", "--once", "--datadir", str(datadir)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    status = out.stdout
    for word in ("completed", "failed", "healthy", "degraded", "unreachable", "manual"):
        assert word in status, f"{word!r} missing from the demo's status:\n{status}"
    assert "DEMO STAND-IN" in out.stderr
    # The demo stops the cluster it started.
    assert (real_datadir / "PG_VERSION").exists()
    assert not (real_datadir / "postmaster.pid").exists()


def test_demo_runs_until_sigterm_and_stops_cleanly(tmp_path: Path) -> None:
    """`make run` without ONCE: live until a signal, then everything stops cleanly. Run
    over the data folder of an earlier `make run` (a copy of the run's deployed HEAD): the
    plan is deployed already, so the demo goes straight to its seed (the fresh folder is
    the test above)."""
    datadir = tmp_path / "data"
    real_datadir = localdb.resolve_datadir(datadir)
    localdb.copy_cluster(templates().datadir(HEAD), real_datadir)
    log_path = tmp_path / "demo.log"
    try:
        with log_path.open("w") as log:
            proc = subprocess.Popen(
                [sys.executable, "-m", "orchestrator", "demo", "--datadir", str(datadir)],
                cwd=PROJECT_ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            try:
                deadline = time.monotonic() + 180
                while "Last runs" not in log_path.read_text():
                    assert proc.poll() is None, log_path.read_text()[-3000:]
                    assert time.monotonic() < deadline, log_path.read_text()[-3000:]
                    time.sleep(0.5)
                proc.send_signal(signal.SIGTERM)
                assert proc.wait(timeout=120) == 0, log_path.read_text()[-3000:]
            finally:
                if proc.poll() is None:
                    proc.kill()
        text = log_path.read_text()
        assert "outcome=completed" in text
        assert "sync worker" in text and "stopped: completed=" in text
        assert not (real_datadir / "postmaster.pid").exists()
    finally:
        if real_datadir != datadir:
            shutil.rmtree(real_datadir.parent, ignore_errors=True)
