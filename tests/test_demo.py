"""`make run ONCE=1`: the whole system on its own embedded Postgres, one full cycle."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from orchestrator import localdb
from orchestrator.sqitch import PROJECT_ROOT


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
