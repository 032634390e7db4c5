"""The package as an adopter installs it (fixtures for tests/test_wheel.py and
tests/test_first_sync.py, registered once through conftest's `pytest_plugins`).

The wheel is built from this checkout once per run and installed (`--no-deps`) into a
fresh venv in a temporary folder; the dependencies come from the project's own venv through
a `.pth` file, so only the wheel's own content is under test.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from orchestrator.tooling.sqitch import PROJECT_ROOT

from . import cluster_templates


def run(
    cmd: list[str], cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cmd,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="session")
def outside(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A working folder outside the checkout."""
    folder = tmp_path_factory.mktemp("adopter")
    assert PROJECT_ROOT not in folder.resolve().parents
    return folder


@pytest.fixture(scope="session")
def wheel() -> Path:
    """Built once per run, in the run's folder, under a lock: the pytest-xdist workers share
    it (two builds from one checkout share its build/ folder and break each other)."""
    dist = cluster_templates.run_root() / "wheel"
    with (cluster_templates.run_root() / "wheel.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not any(dist.glob("integration_sync_health-*.whl")):
            out = run(
                [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), "."],
                cwd=PROJECT_ROOT,
            )
            assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    (built,) = dist.glob("integration_sync_health-*.whl")
    return built


@pytest.fixture(scope="session")
def installed(wheel: Path, outside: Path) -> Path:
    """The venv's bin folder, `orchestrator` installed from the wheel alone."""
    env_dir = outside / "venv"
    venv.EnvBuilder(with_pip=False, symlinks=True).create(env_dir)
    python = env_dir / "bin" / "python"
    purelib = run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        cwd=outside,
    ).stdout.strip()
    # The dependencies (psycopg, httpx, click …) from the project's venv; the editable
    # install of `orchestrator` there is not picked up (its .pth is not read from here).
    Path(purelib, "project_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    out = run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "-q",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        cwd=outside,
    )
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    return env_dir / "bin"


def adopter_env(outside: Path) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("ORCHESTRATOR_", "PYTHON"))}
    return keep | {"HOME": str(outside), "XDG_CACHE_HOME": str(outside / "cache")}


def orchestrator(bindir: Path, outside: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run([str(bindir / "orchestrator"), *args], cwd=outside, env=adopter_env(outside))


def installed_paths(installed: Path, outside: Path, expressions: str) -> list[Path]:
    """Paths that `orchestrator.tooling.project` (as `p`) gives in the venv, one per expression."""
    code = f"import orchestrator.tooling.project as p; print(*({expressions}), sep='\\n')"
    out = run([str(installed / "python"), "-c", code], cwd=outside, env=adopter_env(outside))
    assert out.returncode == 0, out.stderr
    return [Path(line) for line in out.stdout.splitlines()]
