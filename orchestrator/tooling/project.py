"""Where the Sqitch project (plan, deploy/revert/verify scripts, the SQL the CLI needs) is.

The top-level folders of the repository are the source of truth. A wheel carries a copy
of them inside the package, in ``orchestrator/sqitch_project/`` (``setup.py`` copies
them at build time). The CLI uses, in this order:

1. ``--project-dir DIR`` (or the environment variable ``ORCHESTRATOR_PROJECT_DIR``);
2. the checkout, when the package is imported from one (an editable install, ``make``);
3. the copy shipped inside the installed package.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

ENV_VAR = "ORCHESTRATOR_PROJECT_DIR"
# The `orchestrator` package (this module lives in its `tooling/` subpackage).
PACKAGE_DIR = Path(__file__).resolve().parent.parent
# The repository root when the package is imported from a checkout; in an installed
# wheel this is site-packages, which holds no Sqitch project.
CHECKOUT_ROOT = PACKAGE_DIR.parent
SHIPPED_DIR = PACKAGE_DIR / "sqitch_project"
# What a wheel ships (setup.py reads this list): paths relative to the project root.
SHIPPED_FILES = ("sqitch.plan", "sqitch.conf", "sql/supabase_compat.sql", "sql/demo_seed.sql")
SHIPPED_DIRS = ("deploy", "revert", "verify")


class ProjectNotFound(RuntimeError):
    """Raised with a sentence that says what to do next."""


@dataclass(frozen=True)
class SqitchProject:
    """A folder holding sqitch.plan, sqitch.conf and the deploy/revert/verify scripts."""

    root: Path
    origin: str  # "--project-dir", ORCHESTRATOR_PROJECT_DIR, "checkout" or "shipped"

    @property
    def plan_file(self) -> Path:
        return self.root / "sqitch.plan"

    @property
    def compat_script(self) -> Path:
        """The local Supabase compatibility layer (never deployed to real Supabase)."""
        return self.root / "sql" / "supabase_compat.sql"

    @property
    def demo_seed(self) -> Path:
        return self.root / "sql" / "demo_seed.sql"

    def script(self, kind: str, change: str) -> Path:
        """`deploy`, `revert` or `verify` script of a change (its newest version)."""
        return self.root / kind / f"{change}.sql"

    def plan_name(self) -> str:
        for line in self.plan_file.read_text().splitlines():
            if line.startswith("%project="):
                return line.split("=", 1)[1].strip()
        return "?"

    def newest_tag(self) -> tuple[str | None, int]:
        """The plan's newest tag (e.g. `@v0.1.0`) and how many changes follow it."""
        tag: str | None = None
        after = 0
        for raw in self.plan_file.read_text().splitlines():
            line = raw.strip()
            if not line or line[0] in "%#":
                continue
            if line[0] == "@":
                tag, after = line.split()[0], 0
            else:
                after += 1
        return tag, after


def is_project(path: Path) -> bool:
    return (path / "sqitch.plan").is_file() and (path / "deploy").is_dir()


def running_from_checkout() -> bool:
    """Whether the package is imported from a source checkout (not from a wheel)."""
    return is_project(CHECKOUT_ROOT) and (CHECKOUT_ROOT / "pyproject.toml").is_file()


def locate(explicit: Path | str | None = None) -> SqitchProject:
    """The Sqitch project to use: `explicit`, else $ORCHESTRATOR_PROJECT_DIR, else the
    checkout the package runs from, else the copy shipped in the package."""
    if explicit is not None and str(explicit) != "":
        return _checked(Path(explicit), "--project-dir")
    from_env = os.environ.get(ENV_VAR)
    if from_env:
        return _checked(Path(from_env), ENV_VAR)
    if running_from_checkout():
        return SqitchProject(CHECKOUT_ROOT, "checkout")
    if is_project(SHIPPED_DIR):
        return SqitchProject(SHIPPED_DIR, "shipped")
    raise ProjectNotFound(
        f"no Sqitch project found: {SHIPPED_DIR} is missing (a wheel built without it?) "
        f"and {CHECKOUT_ROOT} is not a checkout; pass --project-dir or set {ENV_VAR}"
    )


def _checked(path: Path, origin: str) -> SqitchProject:
    root = path.expanduser().resolve()
    if not is_project(root):
        raise ProjectNotFound(
            f"{path} (from {origin}) is not a Sqitch project: "
            "it needs sqitch.plan and a deploy/ folder"
        )
    return SqitchProject(root, origin)


def default_localdb_dir() -> Path:
    """Data folder of the embedded Postgres (`demo`, `localdb`): `.localdb/data` in a
    checkout; otherwise under the user's cache folder — never inside site-packages."""
    if running_from_checkout():
        return CHECKOUT_ROOT / ".localdb" / "data"
    cache = os.environ.get("XDG_CACHE_HOME")
    if not cache:
        try:
            cache = str(Path.home() / ".cache")
        except RuntimeError:  # no HOME and no passwd entry
            cache = ""
    if cache and _writable_or_creatable(Path(cache)):
        return Path(cache) / "integration-sync-health" / "localdb" / "data"
    return (
        Path(tempfile.gettempdir()) / f"integration-sync-health-{os.getuid()}" / "localdb" / "data"
    )


def _writable_or_creatable(path: Path) -> bool:
    probe = path
    while not probe.exists():
        if probe.parent == probe:
            return False
        probe = probe.parent
    return os.access(probe, os.W_OK | os.X_OK)


def inside_installed_package(path: Path) -> bool:
    """Whether `path` lies in the folder the package is installed in (site-packages),
    where no data may be written. A checkout's own folders are fine."""
    if running_from_checkout():
        return False
    try:
        path.resolve().relative_to(CHECKOUT_ROOT)
    except ValueError:
        return False
    return True
