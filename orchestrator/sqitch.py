"""Sqitch through subprocess: output passed through, exit code kept."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class SqitchNotFound(RuntimeError):
    pass


def dsn_to_target(dsn: str) -> str | None:
    """Turn a postgresql:// URI into a Sqitch target; keyword DSNs cannot be converted."""
    for prefix in ("postgresql://", "postgres://"):
        if dsn.startswith(prefix):
            return "db:pg://" + dsn[len(prefix) :]
    return None


def sqitch_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("SQITCH_FULLNAME", "orchestrator")
    env.setdefault("SQITCH_EMAIL", "orchestrator@localhost")
    env.setdefault("PGOPTIONS", "-c client_min_messages=warning")
    return env


def run_sqitch(
    command: str,
    target: str | None,
    extra: Sequence[str] = (),
    *,
    capture: bool = False,
    cwd: Path = PROJECT_ROOT,
) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("sqitch")
    if exe is None:
        raise SqitchNotFound("sqitch is not installed; run `make deps` (Debian package sqitch)")
    args = [exe, command]
    if target:
        args += ["--target", target]
    args += list(extra)
    return subprocess.run(
        args, cwd=cwd, env=sqitch_env(), text=True, capture_output=capture, check=False
    )
