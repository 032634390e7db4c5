"""The package as an adopter installs it: a wheel, in a venv outside the checkout.

The wheel is built from this checkout and installed (`--no-deps`) into a fresh venv in a
temporary folder; the dependencies come from the project's own venv through a `.pth`
file, so only the wheel's own content is under test. Its `orchestrator` then deploys
the plan it carries to a fresh cluster and verifies it.

Not the session `cluster`: it is deployed already (a deploy would do nothing), and
pg_cron lives only in the database named by cron.database_name, so a second database
of that cluster cannot take the plan.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import tomllib
import venv
import zipfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from orchestrator import localdb, project
from orchestrator.commands.init import TEMPLATE_DIR, TEMPLATE_FILES
from orchestrator.sqitch import PROJECT_ROOT
from tests.deno_tools import run_template_tests


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


@pytest.fixture(scope="module")
def outside(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A working folder outside the checkout."""
    folder = tmp_path_factory.mktemp("adopter")
    assert PROJECT_ROOT not in folder.resolve().parents
    return folder


@pytest.fixture(scope="module")
def wheel(outside: Path) -> Path:
    dist = outside / "dist"
    out = run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), "."],
        cwd=PROJECT_ROOT,
    )
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    (built,) = dist.glob("integration_sync_health-*.whl")
    return built


@pytest.fixture(scope="module")
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
    """Paths that `orchestrator.project` (as `p`) gives in the venv, one per expression."""
    code = f"import orchestrator.project as p; print(*({expressions}), sep='\\n')"
    out = run([str(installed / "python"), "-c", code], cwd=outside, env=adopter_env(outside))
    assert out.returncode == 0, out.stderr
    return [Path(line) for line in out.stdout.splitlines()]


@pytest.fixture(scope="module")
def fresh() -> Iterator[localdb.LocalCluster]:
    """A new cluster prepared like Supabase (sql/supabase_compat.sql), nothing deployed."""
    with localdb.temporary_cluster() as cluster:
        yield cluster


def test_the_wheel_carries_the_sqitch_project_as_the_checkout_has_it(
    installed: Path, outside: Path
) -> None:
    package_dir, root = installed_paths(installed, outside, "p.PACKAGE_DIR, p.locate().root")
    assert (installed.parent / "lib") in package_dir.parents  # imported from the venv
    assert root == package_dir / "sqitch_project"
    expected = {
        *project.SHIPPED_FILES,
        *(
            str(path.relative_to(PROJECT_ROOT))
            for folder in project.SHIPPED_DIRS
            for path in (PROJECT_ROOT / folder).rglob("*")
            if path.is_file()
        ),
    }
    shipped = {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}
    assert shipped == expected
    for name in expected:
        assert (root / name).read_bytes() == (PROJECT_ROOT / name).read_bytes(), name


def test_version_names_the_package_and_the_shipped_plans_tag(
    installed: Path, outside: Path
) -> None:
    out = orchestrator(installed, outside, "--version")
    assert out.returncode == 0, out.stderr
    tag, _after = project.SqitchProject(PROJECT_ROOT, "checkout").newest_tag()
    version = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert f"orchestrator {version} " in out.stdout
    assert f" {tag}" in out.stdout
    assert "(shipped: " in out.stdout


def test_the_installed_cli_deploys_and_verifies_the_plan(
    installed: Path, outside: Path, fresh: localdb.LocalCluster
) -> None:
    deployed = orchestrator(installed, outside, "--dsn", fresh.uri(), "db", "deploy")
    assert deployed.returncode == 0, deployed.stdout[-3000:] + deployed.stderr[-3000:]
    verified = orchestrator(installed, outside, "--dsn", fresh.uri(), "db", "verify")
    assert verified.returncode == 0, verified.stdout[-3000:] + verified.stderr[-3000:]
    assert "Verify successful" in verified.stdout
    with psycopg.connect(fresh.dsn()) as conn:
        changes = conn.execute("SELECT count(*) FROM sqitch.changes").fetchone()
        jobs = conn.execute(
            "SELECT count(*) FROM cron.job WHERE jobname LIKE 'integration\\_%'"
        ).fetchone()
    plan_lines = [
        line
        for line in (PROJECT_ROOT / "sqitch.plan").read_text().splitlines()
        if line.strip() and line[0] not in "%#@"
    ]
    assert changes == (len(plan_lines),)
    assert jobs is not None and jobs[0] > 0


def test_the_installed_cli_bundles_the_shipped_plan(installed: Path, outside: Path) -> None:
    target = outside / "app" / "supabase" / "migrations" / "integration_sync.sql"
    out = orchestrator(installed, outside, "db", "bundle", "-o", str(target))
    assert out.returncode == 0, out.stderr
    from_checkout = run(
        [sys.executable, "-m", "orchestrator", "db", "bundle"], cwd=PROJECT_ROOT
    ).stdout
    assert target.read_text() + "\n" == from_checkout


def test_the_demo_keeps_its_cluster_out_of_site_packages(installed: Path, outside: Path) -> None:
    datadir, package_dir = installed_paths(
        installed, outside, "p.default_localdb_dir(), p.PACKAGE_DIR"
    )
    assert datadir.is_relative_to(outside / "cache")
    # The old default, .localdb/ beside the package (site-packages), is refused, not created.
    inside = package_dir.parent / ".localdb" / "data"
    refused = orchestrator(installed, outside, "localdb", "start", "--datadir", str(inside))
    assert refused.returncode != 0
    assert "inside the installed package" in refused.stderr
    assert not inside.exists()


def test_the_wheel_carries_the_edge_function_template(installed: Path, outside: Path) -> None:
    (package_dir,) = installed_paths(installed, outside, "p.PACKAGE_DIR,")
    assert (installed.parent / "lib") in package_dir.parents  # imported from the venv
    shipped = package_dir / "templates" / "edge_function"
    assert {p.name for p in shipped.iterdir()} == set(TEMPLATE_FILES)
    for name in TEMPLATE_FILES:
        assert (shipped / name).read_bytes() == (TEMPLATE_DIR / name).read_bytes(), name


def test_the_installed_cli_writes_the_edge_function_template(
    installed: Path, outside: Path
) -> None:
    target = outside / "app" / "supabase" / "functions" / "integration-sync"
    out = orchestrator(installed, outside, "init", "edge-function", str(target))
    assert out.returncode == 0, out.stderr
    assert "supabase secrets set WEBHOOK_SECRET=" in out.stdout
    assert {p.name: p.read_bytes() for p in target.iterdir()} == {
        name: (TEMPLATE_DIR / name).read_bytes() for name in TEMPLATE_FILES
    }
    assert run_template_tests(target) >= 10
    again = orchestrator(installed, outside, "init", "edge-function", str(target))
    assert again.returncode == 1
    assert "refusing to overwrite" in again.stderr


def test_the_wheel_carries_the_licence(wheel: Path) -> None:
    """Apache-2.0 in the wheel's metadata and its licence file (issue 21)."""
    with zipfile.ZipFile(wheel) as whl:
        names = whl.namelist()
        (metadata,) = [n for n in names if n.endswith(".dist-info/METADATA")]
        assert "License-Expression: Apache-2.0" in whl.read(metadata).decode()
        licences = [n for n in names if n.endswith(".dist-info/licenses/LICENSE")]
        assert licences, names
        assert whl.read(licences[0]) == (PROJECT_ROOT / "LICENSE").read_bytes()
