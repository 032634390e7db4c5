"""`orchestrator init edge-function DIR` from the checkout (the wheel's copy is tested in
tests/test_wheel.py): it writes exactly the packaged template, refuses to overwrite without
--force, prints the next steps, and the written test passes under real Deno."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from orchestrator.commands.init import TEMPLATE_DIR, TEMPLATE_FILES
from tests.deno_tools import run_template_tests
from tests.worker_procs import ROOT


def init(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "orchestrator", "init", "edge-function", *args],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def written(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def packaged() -> dict[str, bytes]:
    return {name: (TEMPLATE_DIR / name).read_bytes() for name in TEMPLATE_FILES}


def test_the_package_lists_every_template_file() -> None:
    assert {p.name for p in TEMPLATE_DIR.iterdir() if p.is_file()} == set(TEMPLATE_FILES)


def test_it_writes_the_packaged_template_and_the_next_steps(tmp_path: Path) -> None:
    target = tmp_path / "supabase" / "functions" / "vendor-sync"
    out = init(str(target))
    assert out.returncode == 0, out.stderr
    assert written(target) == packaged()
    for step in (
        "supabase secrets set WEBHOOK_SECRET=",
        "ORCHESTRATOR_WEBHOOK_SECRET",
        "settings.webhook_secret_name",
        "supabase functions deploy vendor-sync --no-verify-jwt",
        "openssl rand -base64 32",
    ):
        assert step in out.stdout, step


def test_the_written_test_passes_under_deno(tmp_path: Path) -> None:
    assert init(str(tmp_path / "fn")).returncode == 0
    assert run_template_tests(tmp_path / "fn") >= 10


@pytest.mark.parametrize("existing", list(TEMPLATE_FILES))
def test_it_refuses_to_overwrite_and_writes_nothing(tmp_path: Path, existing: str) -> None:
    (tmp_path / existing).write_text("// mine\n")
    out = init(str(tmp_path))
    assert out.returncode == 1
    assert "refusing to overwrite" in out.stderr
    assert "--force" in out.stderr
    assert written(tmp_path) == {existing: b"// mine\n"}


def test_force_replaces_the_templates_files_and_keeps_others(tmp_path: Path) -> None:
    (tmp_path / "index.ts").write_text("// mine\n")
    (tmp_path / "deno.json").write_text("{}\n")
    out = init(str(tmp_path), "--force")
    assert out.returncode == 0, out.stderr
    assert written(tmp_path) == {**packaged(), "deno.json": b"{}\n"}


def test_a_file_in_the_way_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "fn").write_text("")
    out = init(str(tmp_path / "fn"))
    assert out.returncode == 1
    assert "is not a folder" in out.stderr


def test_the_directory_is_required() -> None:
    out = init()
    assert out.returncode == 2
    assert "Missing argument 'DIRECTORY'" in out.stderr
