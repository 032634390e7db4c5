"""`orchestrator db …`: Sqitch through subprocess, and the bundle for the Supabase CLI."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..bundle import bundle
from ..sqitch import SqitchNotFound, dsn_to_target, run_sqitch


@click.group()
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
