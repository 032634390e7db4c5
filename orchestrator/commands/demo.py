"""`orchestrator demo`: `make run`."""

from __future__ import annotations

from pathlib import Path

import click

from ..tooling import project


@click.command()
@click.option("--once", is_flag=True, help="One full cycle, print the status, exit 0.")
@click.option(
    "--datadir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Data directory of the embedded Postgres (default: .localdb/data in a checkout, "
    "else under the user's cache folder).",
)
@click.pass_context
def demo(ctx: click.Context, once: bool, datadir: Path | None) -> None:
    """Deploy, seed a demo, run dispatch, the worker and the health runner, show status."""
    from ..tooling.demo.run import run_demo

    try:
        located = project.locate(ctx.obj.get("project_dir"))
    except project.ProjectNotFound as exc:
        raise click.ClickException(str(exc)) from exc
    run_demo(datadir if datadir is not None else project.default_localdb_dir(), once, located)
