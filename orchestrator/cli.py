"""The `orchestrator` command line: one click group, options read from the environment.

Each command family lives in `orchestrator/commands/`; this module only assembles them.
"""

from __future__ import annotations

import click

from .commands.db import db
from .commands.demo import demo
from .commands.health import health
from .commands.local_db import localdb_group
from .commands.status import org_status
from .commands.worker import dispatch_command, worker


@click.group()
@click.option(
    "--dsn",
    envvar="ORCHESTRATOR_DSN",
    default=None,
    help="libpq connection string or URI of the database (env ORCHESTRATOR_DSN).",
)
@click.pass_context
def main(ctx: click.Context, dsn: str | None) -> None:
    """Integration sync & health: database tooling and the worker."""
    ctx.ensure_object(dict)
    ctx.obj["dsn"] = dsn


main.add_command(db)
main.add_command(localdb_group, name="localdb")
main.add_command(demo)
main.add_command(worker)
main.add_command(dispatch_command, name="dispatch")
main.add_command(health)
main.add_command(org_status, name="status")
