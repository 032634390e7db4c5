"""Build step that ships the Sqitch project inside the wheel.

The repository's top-level `sqitch.plan`, `sqitch.conf`, `deploy/`, `revert/`, `verify/`
and the SQL the CLI needs (`sql/supabase_compat.sql`, `sql/demo_seed.sql`) stay the source
of truth; `build_py` copies them into `orchestrator/sqitch_project/` of the built package,
where `orchestrator.tooling.project.locate()` finds them after `pip install`. Everything
else about the package is declared in pyproject.toml. The lists live in
`orchestrator/tooling/project.py`.
"""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


def _shipped() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """SHIPPED_FILES and SHIPPED_DIRS of orchestrator/tooling/project.py, read without
    importing it."""
    found: dict[str, tuple[str, ...]] = {}
    for node in ast.parse((ROOT / "orchestrator" / "tooling" / "project.py").read_text()).body:
        target = node.targets[0] if isinstance(node, ast.Assign) else None
        if isinstance(target, ast.Name) and target.id in ("SHIPPED_FILES", "SHIPPED_DIRS"):
            found[target.id] = tuple(ast.literal_eval(node.value))
    return found["SHIPPED_FILES"], found["SHIPPED_DIRS"]


class BuildPyWithSqitchProject(build_py):
    def run(self) -> None:
        editable = getattr(self, "editable_mode", False)
        if not editable:
            # An in-tree build reuses build/lib: start clean, or modules and scripts
            # deleted since the last build would ship again.
            shutil.rmtree(Path(self.build_lib) / "orchestrator", ignore_errors=True)
        super().run()
        if editable:
            return  # an editable install runs from the checkout, which is the project
        files, dirs = _shipped()
        target = Path(self.build_lib) / "orchestrator" / "sqitch_project"
        for name in files:
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target / name)
        for name in dirs:
            shutil.copytree(ROOT / name, target / name, ignore=shutil.ignore_patterns("*~"))


setup(cmdclass={"build_py": BuildPyWithSqitchProject})
