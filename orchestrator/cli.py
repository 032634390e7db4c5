"""The `orchestrator` command line: one click group, options read from the environment.

Each command family lives in `orchestrator/commands/`; this module only assembles them.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from pathlib import Path

import click

from . import __version__
from .commands.db import db
from .commands.demo import demo
from .commands.health import health
from .commands.init import init_group
from .commands.integrations import integrations_group
from .commands.local_db import localdb_group
from .commands.serve import serve
from .commands.status import org_status
from .commands.worker import dispatch_command, worker
from .tooling import project

DISTRIBUTION = "integration-sync-health"


def version_text(project_dir: Path | None) -> str:
    """`orchestrator X.Y.Z`, then the Sqitch plan's newest tag and where the plan is."""
    try:
        pkg = package_version(DISTRIBUTION)
    except PackageNotFoundError:
        pkg = __version__
    lines = [f"orchestrator {pkg} ({DISTRIBUTION})"]
    try:
        located = project.locate(project_dir)
    except project.ProjectNotFound as exc:
        lines.append(f"sqitch plan: not found ({exc})")
    else:
        tag, after = located.newest_tag()
        newest = tag or "no tag"
        if after:
            newest += f" + {after} change{'s' if after != 1 else ''}"
        lines.append(
            f"sqitch plan: {located.plan_name()} {newest} ({located.origin}: {located.plan_file})"
        )
    return "\n".join(lines)


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    # Not eager, unlike --project-dir: that one is known here wherever it was given.
    explicit = ctx.params.get("project_dir")
    click.echo(version_text(explicit))
    ctx.exit()


@click.group()
@click.option(
    "--dsn",
    envvar="ORCHESTRATOR_DSN",
    default=None,
    help="libpq connection string or URI of the database (env ORCHESTRATOR_DSN).",
)
@click.option(
    "--project-dir",
    envvar=project.ENV_VAR,
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    is_eager=True,
    help="The Sqitch project (sqitch.plan, deploy/ …) to use (env ORCHESTRATOR_PROJECT_DIR; "
    "default: the checkout when run from one, else the copy shipped in the package).",
)
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    callback=_print_version,
    help="Print the package version and the Sqitch plan's newest tag, then exit.",
)
@click.pass_context
def main(ctx: click.Context, dsn: str | None, project_dir: Path | None) -> None:
    """Integration sync & health: database tooling and the worker."""
    ctx.ensure_object(dict)
    ctx.obj["dsn"] = dsn
    ctx.obj["project_dir"] = project_dir


main.add_command(db)
main.add_command(localdb_group, name="localdb")
main.add_command(demo)
main.add_command(worker)
main.add_command(dispatch_command, name="dispatch")
main.add_command(health)
main.add_command(serve)
main.add_command(integrations_group)
main.add_command(org_status, name="status")
main.add_command(init_group, name="init")
