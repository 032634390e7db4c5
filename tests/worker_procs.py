"""Running `python -m orchestrator …` as a subprocess, the way an operator does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVICE_KEY = "cli-service-key-0123456789"


def orchestrator(dsn: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "orchestrator", "--dsn", dsn, *args]


def worker_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORCHESTRATOR_")}
    env["ORCHESTRATOR_SERVICE_KEY"] = SERVICE_KEY
    env.update(extra)
    return env


def start(cmd: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def finish(proc: subprocess.Popen[str], timeout: float = 120) -> tuple[int, str, str]:
    """Wait for the process; one still running after `timeout` is killed (never left
    behind to retry against a cluster that is gone), then the timeout is raised."""
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate(timeout=30)
        raise
    return proc.returncode, out, err
