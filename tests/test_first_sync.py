"""docs/first-sync.md, executed (issue 23: docs that tell the truth).

The page's `sh first-sync` blocks run in order, in one bash with `set -euo pipefail`, in a
folder outside the checkout, with only the built wheel's `orchestrator` (tests/adopter.py)
and Deno on PATH and `ORCHESTRATOR_DSN` naming a fresh cluster prepared like Supabase. The
`sh first-sync-serve` block (the function served locally) runs in the background until the
script ends. Then the database must hold what the page promises: one completed run, started
as service_role, and the pair switched off.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import tomllib
from pathlib import Path

import psycopg
import pytest

from orchestrator.tooling import localdb
from orchestrator.tooling.sqitch import PROJECT_ROOT
from tests.adopter import adopter_env
from tests.deno_tools import TOOLS, deno_binary

# Sqitch over much of the plan: started early (tests/conftest.py)
pytestmark = pytest.mark.deploys

PAGE = PROJECT_ROOT / "docs" / "first-sync.md"
ORG = "0a7e57ed-0000-4000-8000-000000000001"


def blocks(text: str) -> list[tuple[str, str]]:
    """(info string, body) of every fenced sh block, in page order."""
    return [
        (m.group(1).strip(), m.group(2))
        for m in re.finditer(r"^```(sh[^\n]*)\n(.*?)^```$", text, re.MULTILINE | re.DOTALL)
    ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def script_of(text: str, port: int) -> str:
    """The page's executed blocks as one bash script; the serve block in the background,
    the script waiting for its port before going on."""
    lines = [
        "set -euo pipefail",
        "trap 'kill $(jobs -p) 2>/dev/null || true' EXIT",
    ]
    for info, body in blocks(text):
        body = body.replace("8787", str(port))
        if info == "sh first-sync":
            lines.append(body)
        elif info == "sh first-sync-serve":
            lines.append(f"( {body.strip()} ) > serve.log 2>&1 &")
            lines.append(
                f"for _ in $(seq 1 600); do (exec 3<>/dev/tcp/127.0.0.1/{port}) 2>/dev/null"
                " && break; sleep 0.1; done"
            )
    return "\n".join(lines) + "\n"


def test_the_page_names_the_wheel_the_build_makes() -> None:
    version = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]["version"]
    wheel = f"integration_sync_health-{version}-py3-none-any.whl"
    assert wheel in PAGE.read_text()
    assert wheel in (PROJECT_ROOT / "README.md").read_text()


def test_the_page_runs_blocks_of_each_kind() -> None:
    kinds = [info for info, _ in blocks(PAGE.read_text())]
    assert kinds.count("sh first-sync-serve") == 1
    assert kinds.count("sh first-sync") >= 6
    assert "sh" in kinds  # the Supabase-only steps, shown and not run


def test_first_sync_in_five_minutes(installed: Path, outside: Path, tmp_path: Path) -> None:
    workdir = tmp_path / "my-app"
    workdir.mkdir()
    port = free_port()
    script = script_of(PAGE.read_text(), port)
    with localdb.temporary_cluster() as cluster:
        env = adopter_env(outside) | {
            "PATH": os.pathsep.join(
                [str(installed), str(deno_binary().parent), os.environ["PATH"]]
            ),
            "ORCHESTRATOR_DSN": cluster.uri(),
            "DENO_DIR": str(TOOLS / "deno-cache"),
            "NO_COLOR": "1",
        }
        done = subprocess.run(
            ["bash", "-c", script],
            cwd=workdir,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        served = (workdir / "serve.log").read_text() if (workdir / "serve.log").exists() else ""
        assert done.returncode == 0, (
            done.stdout[-4000:] + done.stderr[-4000:] + "\n--- function:\n" + served[-2000:]
        )
        assert "completed" in done.stdout  # `orchestrator status --org` showed the run
        with psycopg.connect(cluster.dsn(user=localdb.SUPERUSER)) as conn:
            runs = conn.execute(
                "SELECT status, triggered_by, triggered_by_user_id, records_processed"
                " FROM public.sync_run_log WHERE org_id = %s",
                (ORG,),
            ).fetchall()
            assert runs == [("completed", "manual", None, 0)]
            audit = conn.execute(
                "SELECT actor FROM integration_ops.sync_trigger_audit WHERE org_id = %s", (ORG,)
            ).fetchall()
            assert audit == [("service_role",)]
            enabled = conn.execute(
                "SELECT enabled FROM public.organization_integrations WHERE org_id = %s", (ORG,)
            ).fetchall()
            assert enabled == [(False,)]
    assert (workdir / "supabase" / "functions" / "integration-sync" / "index.ts").is_file()
