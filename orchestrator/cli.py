"""The `orchestrator` command line: one click group, options read from the environment."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import localdb
from .bundle import bundle
from .sqitch import SqitchNotFound, dsn_to_target, run_sqitch

LOCALDB_DIR = localdb.PROJECT_ROOT / ".localdb" / "data"


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


def require_dsn(ctx: click.Context) -> str:
    dsn: str | None = ctx.obj.get("dsn")
    if not dsn:
        raise click.UsageError("no database: pass --dsn or set ORCHESTRATOR_DSN")
    return dsn


# --- db: Sqitch through subprocess ---------------------------------------------------


@main.group()
def db() -> None:
    """Sqitch deploy / verify / revert / status (output passed through, exit code kept)."""


def _target(ctx: click.Context, target: str | None) -> str | None:
    if target:
        return target
    dsn: str | None = ctx.obj.get("dsn")
    if dsn:
        converted = dsn_to_target(dsn)
        if converted is None:
            raise click.UsageError(
                "--dsn is not a postgresql:// URI; pass --target db:pg://… for Sqitch"
            )
        return converted
    return None  # Sqitch falls back to SQITCH_TARGET / sqitch.conf


def _sqitch(ctx: click.Context, command: str, target: str | None, extra: list[str]) -> None:
    try:
        result = run_sqitch(command, _target(ctx, target), extra)
    except SqitchNotFound as exc:
        raise click.ClickException(str(exc)) from exc
    sys.exit(result.returncode)


_target_option = click.option("--target", default=None, help="Sqitch target URI (db:pg://…).")


@db.command()
@_target_option
@click.option("--to", "to_change", default=None, help="Deploy up to this change.")
@click.pass_context
def deploy(ctx: click.Context, target: str | None, to_change: str | None) -> None:
    """Deploy the plan."""
    _sqitch(ctx, "deploy", target, ["--to", to_change] if to_change else [])


@db.command()
@_target_option
@click.pass_context
def verify(ctx: click.Context, target: str | None) -> None:
    """Run every verify script."""
    _sqitch(ctx, "verify", target, [])


@db.command()
@_target_option
@click.option("--to", "to_change", default=None, help="Revert down to this change.")
@click.option("-y", "--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def revert(ctx: click.Context, target: str | None, to_change: str | None, yes: bool) -> None:
    """Revert changes (all of them unless --to)."""
    extra = (["--to", to_change] if to_change else []) + (["-y"] if yes else [])
    _sqitch(ctx, "revert", target, extra)


@db.command()
@_target_option
@click.pass_context
def status(ctx: click.Context, target: str | None) -> None:
    """Show the deployment status."""
    _sqitch(ctx, "status", target, [])


@db.command("bundle")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="File to write (default: stdout), e.g. supabase/migrations/<ts>_integration_sync.sql",
)
def bundle_command(output: Path | None) -> None:
    """Write the plan's deploy scripts, in order, as one migration file (Supabase CLI)."""
    text = bundle()
    if output is None:
        click.echo(text)
    else:
        output.write_text(text)
        click.echo(f"wrote {output}", err=True)


# --- localdb: the embedded cluster used by `make run` ---------------------------------


@main.group()
def localdb_group() -> None:
    """Start / stop the embedded local Postgres under .localdb/."""


main.add_command(localdb_group, name="localdb")


@localdb_group.command("start")
@click.option("--datadir", type=click.Path(path_type=Path), default=LOCALDB_DIR)
def localdb_start(datadir: Path) -> None:
    """Start (or reuse) the local cluster and print its DSN."""
    try:
        cluster, created = localdb.ensure_cluster(datadir)
    except localdb.LocalDbError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(("created " if created else "reusing ") + cluster.uri())


@localdb_group.command("stop")
@click.option("--datadir", type=click.Path(path_type=Path), default=LOCALDB_DIR)
def localdb_stop(datadir: Path) -> None:
    """Stop the local cluster."""
    localdb.stop_cluster(datadir)
    click.echo("stopped")


# --- demo: `make run` ----------------------------------------------------------------


@main.command()
@click.option("--once", is_flag=True, help="One full cycle, print the status, exit 0.")
@click.option(
    "--datadir",
    type=click.Path(file_okay=False, path_type=Path),
    default=LOCALDB_DIR,
    help="Data directory of the embedded Postgres.",
)
def demo(once: bool, datadir: Path) -> None:
    """Deploy, seed a demo, run dispatch, the worker and the health runner, show status."""
    from .demo.run import run_demo

    run_demo(datadir, once)
