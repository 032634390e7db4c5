"""What every command shares: the --dsn of the group and the embedded cluster's folder."""

from __future__ import annotations

import click

from .. import localdb

LOCALDB_DIR = localdb.PROJECT_ROOT / ".localdb" / "data"


def require_dsn(ctx: click.Context) -> str:
    dsn: str | None = ctx.obj.get("dsn")
    if not dsn:
        raise click.UsageError("no database: pass --dsn or set ORCHESTRATOR_DSN")
    return dsn
