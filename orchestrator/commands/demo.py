"""`orchestrator demo`: `make run`."""

from __future__ import annotations

from pathlib import Path

import click

from .context import LOCALDB_DIR


@click.command()
@click.option("--once", is_flag=True, help="One full cycle, print the status, exit 0.")
@click.option(
    "--datadir",
    type=click.Path(file_okay=False, path_type=Path),
    default=LOCALDB_DIR,
    help="Data directory of the embedded Postgres.",
)
def demo(once: bool, datadir: Path) -> None:
    """Deploy, seed a demo, run dispatch, the worker and the health runner, show status."""
    from ..demo.run import run_demo

    run_demo(datadir, once)
