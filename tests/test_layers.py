"""The runtime never imports the tooling: nothing in orchestrator/runtime/, sync/ or
health/ imports orchestrator.tooling (absolute or relative), read from the source with ast."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "orchestrator"
RUNTIME_SIDE = ("runtime", "sync", "health")
TOOLING = "orchestrator.tooling"


def imported_modules(source: str, path: Path) -> set[str]:
    """Absolute names of what `source` (the file `path` of the package) imports, relative
    imports resolved; `from a import b` yields both `a` and `a.b`."""
    package = ["orchestrator", *path.relative_to(PACKAGE).parent.parts]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source, str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, *([module] if module else [])])
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def tooling_imports(source: str, path: Path) -> list[str]:
    names = imported_modules(source, path)
    return sorted(m for m in names if m == TOOLING or m.startswith(TOOLING + "."))


def runtime_files() -> list[Path]:
    files = sorted(p for side in RUNTIME_SIDE for p in (PACKAGE / side).rglob("*.py"))
    assert len(files) > 10, files  # the three folders exist and hold the runtime
    return files


@pytest.mark.parametrize("path", runtime_files(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_runtime_side_never_imports_tooling(path: Path) -> None:
    found = tooling_imports(path.read_text(), path)
    assert not found, f"{path.relative_to(PACKAGE.parent)} imports {found}"


@pytest.mark.parametrize(
    "source",
    [
        "from ..tooling import localdb\n",
        "from ..tooling.sqitch import run_sqitch\n",
        "from .. import tooling\n",
        "import orchestrator.tooling.status\n",
        "def f():\n    from orchestrator.tooling import project\n",
    ],
)
def test_the_check_catches_every_form(source: str) -> None:
    assert tooling_imports(source, PACKAGE / "sync" / "service.py")


def test_the_check_lets_runtime_imports_pass() -> None:
    source = "from ..runtime import queries\nfrom .models import ClaimedRun\nimport asyncio\n"
    assert tooling_imports(source, PACKAGE / "sync" / "service.py") == []
