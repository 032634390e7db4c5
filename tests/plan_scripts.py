"""The plan's scripts run by hand, outside Sqitch, for the tests that are about what the
scripts do rather than about Sqitch (tests/test_migrations.py, tests/test_pg_net_migrations.py):
each script in a session of its own, in order, as Sqitch runs them, but from one psql
rather than a psql (and Sqitch's registry writes) per script."""

from __future__ import annotations

import subprocess
from pathlib import Path

from orchestrator.tooling import localdb
from orchestrator.tooling.plan import plan_steps
from orchestrator.tooling.sqitch import PROJECT_ROOT, sqitch_env


def psql_file(cluster: localdb.LocalCluster, path: Path) -> None:
    """One script (or a driver of scripts), as the deploying role; psql names the failing
    script and line."""
    result = subprocess.run(
        ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", cluster.uri(), "-f", str(path)],
        cwd=PROJECT_ROOT,
        env=sqitch_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"{path.name} failed:\n{result.stderr}"


def psql_files(cluster: localdb.LocalCluster, paths: list[Path], driver: Path) -> None:
    """Run each script in a session of its own (a `\\connect` after each), in order, from
    one psql: 1,200 scripts in seconds instead of a minute."""
    lines: list[str] = []
    for path in paths:
        assert "'" not in str(path), path
        lines += [f"\\i '{path}'", "\\connect"]
    driver.write_text("\n".join(lines) + "\n")
    psql_file(cluster, driver)


def script_stems(from_stem: str | None = None) -> list[str]:
    """The plan's script stems in deploy order (a reworked change's older instances by their
    `@tag` names, as Sqitch picks them), from `from_stem` on if given."""
    stems = [stem for _, stem in plan_steps()]
    return stems[stems.index(from_stem) :] if from_stem else stems


def deploy_and_verify(stems: list[str]) -> list[Path]:
    """Each change's deploy script followed by its verify script, as `sqitch deploy --verify`."""
    return [PROJECT_ROOT / kind / f"{stem}.sql" for stem in stems for kind in ("deploy", "verify")]


def reverts(stems: list[str]) -> list[Path]:
    """The changes' revert scripts, newest first, as `sqitch revert`."""
    return [PROJECT_ROOT / "revert" / f"{stem}.sql" for stem in reversed(stems)]
