"""`orchestrator localdb start|stop`: the embedded Postgres used by `make run`."""

from __future__ import annotations

from pathlib import Path

import click

from ..tooling import localdb
from .options import datadir_option


@click.group()
def localdb_group() -> None:
    """Start / stop the embedded local Postgres under .localdb/."""


@localdb_group.command("start")
@datadir_option
def localdb_start(datadir: Path) -> None:
    """Start (or reuse) the local cluster and print its DSN."""
    try:
        cluster, created = localdb.ensure_cluster(datadir)
    except localdb.LocalDbError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(("created " if created else "reusing ") + cluster.uri())


@localdb_group.command("stop")
@datadir_option
def localdb_stop(datadir: Path) -> None:
    """Stop the local cluster."""
    localdb.stop_cluster(datadir)
    click.echo("stopped")
