"""Released scripts are frozen (issue 21, DESIGN §13): the deploy and revert script of every
change of a tagged release runs the same SQL as at the release commit (the commit that added
the tag to sqitch.plan), whether it is still `<change>.sql` or, after a rework, the
`<change>@<tag>.sql` copy. A database deployed from the release commit would otherwise get
"Nothing to deploy" from HEAD, verify, and keep the old bodies.

"The same SQL": statement by statement, with each statement's leading comments dropped and
white space folded; a comment-only edit (a corrected `-- requires:` header) is allowed, a
changed statement (a body, a grant, a comment inside a function) is not. This needs the git
history of the checkout (CI's clean clone has it); without it the test fails, never skips.
"""

from __future__ import annotations

import re
import subprocess
from functools import cache

import pytest

from orchestrator.tooling.bundle import _code_start, top_level_statements
from orchestrator.tooling.plan import plan_steps, steps_of_plan, tagged_steps
from orchestrator.tooling.sqitch import PROJECT_ROOT

PLAN = PROJECT_ROOT / "sqitch.plan"


def git(*args: str) -> str:
    result = subprocess.run(
        ["git", "-C", str(PROJECT_ROOT), *args], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        pytest.fail(f"git {' '.join(args)} failed: {result.stderr.strip()}")
    return result.stdout


def git_blobs(specs: list[str]) -> list[str]:
    """The text of each `<commit>:<path>`, from one `git cat-file --batch` (a `git show` per
    script costs a process each, and there are hundreds)."""
    result = subprocess.run(
        ["git", "-C", str(PROJECT_ROOT), "cat-file", "--batch"],
        input="".join(f"{spec}\n" for spec in specs).encode(),
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"git cat-file --batch failed: {result.stderr.decode().strip()}")
    out, at, texts = result.stdout, 0, []
    for spec in specs:
        header_end = out.index(b"\n", at)
        header = out[at:header_end].decode().split()
        if header[-1] == "missing":
            pytest.fail(f"{spec} is not in the history")
        size = int(header[2])
        texts.append(out[header_end + 1 : header_end + 1 + size].decode())
        at = header_end + 1 + size + 1  # the blob, then a newline
    return texts


@cache
def release_commit(tag: str) -> str:
    """The oldest commit whose sqitch.plan gained the line that starts with `tag`."""
    if git("rev-parse", "--is-shallow-repository").strip() == "true":
        pytest.fail(
            "the checkout is shallow: the release commits are needed (git fetch --unshallow)"
        )
    commits = git(
        "log", "--reverse", "--format=%H", "-G", f"^{re.escape(tag)} ", "--", "sqitch.plan"
    ).split()
    assert commits, f"no commit added {tag} to sqitch.plan"
    return commits[0]


def statements(script: str) -> list[str]:
    """The script's statements without their leading comments, white space folded."""
    out = []
    for start, end in top_level_statements(script):
        code = script[_code_start(script, start) : end]
        folded = " ".join(code.split()).replace(" ;", ";")
        if folded:
            out.append(folded)
    return out


def released_scripts() -> list[tuple[str, str, str, str]]:
    """(tag, kind, path at the release commit, path now) for every released change."""
    now_steps = plan_steps(PLAN)
    cases = []
    for tag, count in tagged_steps(PLAN.read_text()).items():
        commit = release_commit(tag)
        files = set(git("ls-tree", "-r", "--name-only", commit).split())
        then_steps = steps_of_plan(
            git("show", f"{commit}:sqitch.plan"),
            lambda stem, files=files: f"deploy/{stem}.sql" in files,
        )
        assert [c for c, _ in then_steps[:count]] == [c for c, _ in now_steps[:count]], (
            f"the changes up to {tag} differ from the plan at its release commit"
        )
        for (change, then_stem), (_, now_stem) in zip(
            then_steps[:count], now_steps[:count], strict=True
        ):
            for kind in ("deploy", "revert"):
                cases.append((tag, kind, f"{kind}/{then_stem}.sql", f"{kind}/{now_stem}.sql"))
                assert change in then_stem
    return cases


def test_every_released_script_runs_the_sql_of_its_release() -> None:
    changed = []
    checked = 0
    cases = released_scripts()
    thens = git_blobs([f"{release_commit(tag)}:{then_path}" for tag, _, then_path, _ in cases])
    for (tag, _kind, then_path, now_path), then in zip(cases, thens, strict=True):
        now = (PROJECT_ROOT / now_path).read_text()
        checked += 1
        if statements(then) != statements(now):
            changed.append(f"{now_path} differs from {then_path} at {tag}'s release commit")
    assert checked > 200, "the released scripts were found"
    assert not changed, "released scripts changed after their tag:\n" + "\n".join(changed)


def test_a_changed_statement_is_caught_and_a_comment_is_not() -> None:
    script = (
        "-- header\nBEGIN;\n"
        "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\nCOMMIT;\n"
    )
    assert statements(script) == statements(script.replace("-- header", "-- requires: x"))
    assert statements(script) != statements(script.replace("SELECT 1", "SELECT 2"))
    assert statements(script) != statements(
        script.replace("$$ SELECT 1 $$", "$$ SELECT 1 -- x\n$$")
    )
    assert statements("SELECT  1 ;") == statements("SELECT 1;")


def test_the_release_commits_are_found() -> None:
    """The tags of the plan map to the commits that added them (the 0.2 release commit)."""
    assert release_commit("@v0.2.0").startswith("dbeda3d")


def test_the_licence_is_at_the_root() -> None:
    """Apache-2.0 (the wheel carries it too: tests/test_wheel.py)."""
    text = (PROJECT_ROOT / "LICENSE").read_text()
    assert "Apache License" in text and "Version 2.0" in text
