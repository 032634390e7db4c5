"""The package as an adopter installs it: a wheel, in a venv outside the checkout.

The wheel is built from this checkout and installed (`--no-deps`) into a fresh venv in a
temporary folder; the dependencies come from the project's own venv through a `.pth`
file, so only the wheel's own content is under test. Its `orchestrator` then deploys
the plan it carries (up to its first release) to a fresh cluster and verifies it.

Not the session `cluster`: it is deployed already (a deploy would do nothing), and
pg_cron lives only in the database named by cron.database_name, so a second database
of that cluster cannot take the plan.
"""

from __future__ import annotations

import sys
import tomllib
import zipfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from orchestrator.commands.init import TEMPLATE_DIR, TEMPLATE_FILES
from orchestrator.tooling import localdb, project
from orchestrator.tooling.sqitch import PROJECT_ROOT
from tests.adopter import installed_paths, orchestrator, run
from tests.deno_tools import run_template_tests

# Sqitch over much of the plan: started early (tests/conftest.py)
pytestmark = pytest.mark.deploys


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
    """The shipped Sqitch project, through the installed CLI, up to the first release: the
    whole plan is deployed and verified by the same CLI when tests/test_first_sync.py runs
    the first-sync page (`orchestrator db deploy`, `orchestrator db verify`)."""
    dsn = fresh.uri()
    deployed = orchestrator(installed, outside, "--dsn", dsn, "db", "deploy", "--to", "@v0.1.0")
    assert deployed.returncode == 0, deployed.stdout[-3000:] + deployed.stderr[-3000:]
    verified = orchestrator(installed, outside, "--dsn", dsn, "db", "verify")
    assert verified.returncode == 0, verified.stdout[-3000:] + verified.stderr[-3000:]
    assert "Verify successful" in verified.stdout, verified.stdout[-3000:]
    with psycopg.connect(fresh.dsn()) as conn:
        changes = conn.execute("SELECT count(*) FROM sqitch.changes").fetchone()
        jobs = conn.execute(
            "SELECT count(*) FROM cron.job WHERE jobname LIKE 'integration\\_%'"
        ).fetchone()
    plan = (PROJECT_ROOT / "sqitch.plan").read_text().splitlines()
    up_to_release = plan[: next(i for i, line in enumerate(plan) if line.startswith("@v0.1.0 "))]
    assert changes == (sum(1 for line in up_to_release if line.strip() and line[0] not in "%#@"),)
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
