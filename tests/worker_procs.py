"""Running `python -m orchestrator …` as a subprocess, the way an operator does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.signing_keys import WEBHOOK_SECRET

ROOT = Path(__file__).resolve().parent.parent
# A service-role key as 0.2 deployments set it: since 0.3 it is never sent anywhere.
SERVICE_KEY = "cli-service-key-0123456789"


def orchestrator(dsn: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "orchestrator", "--dsn", dsn, *args]


def worker_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORCHESTRATOR_")}
    env["ORCHESTRATOR_WEBHOOK_SECRET"] = WEBHOOK_SECRET
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
