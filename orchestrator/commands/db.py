"""`orchestrator db …`: Sqitch through subprocess, and the bundle for the Supabase CLI."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..tooling import project
from ..tooling.bundle import bundle
from ..tooling.sqitch import (
    PgCronMissing,
    SqitchNotFound,
    Target,
    TargetError,
    require_pg_cron,
    run_sqitch,
    split_target,
    target_conninfo,
    target_from_dsn,
)
from .options import target_option, to_change_option


@click.group()
def db() -> None:
    """Sqitch deploy / verify / revert / status (output passed through, exit code kept)."""


def _project(ctx: click.Context) -> project.SqitchProject:
    try:
        return project.locate(ctx.obj.get("project_dir"))
    except project.ProjectNotFound as exc:
        raise click.ClickException(str(exc)) from exc


def _target(ctx: click.Context, target: str | None) -> Target | None:
    if target:
        return split_target(target)
    dsn: str | None = ctx.obj.get("dsn")
    if dsn:
        try:
            return target_from_dsn(dsn)
        except TargetError as exc:
            raise click.UsageError(f"--dsn: {exc}") from exc
    return None  # Sqitch falls back to SQITCH_TARGET / sqitch.conf


def _sqitch(ctx: click.Context, command: str, target: Target | None, extra: list[str]) -> None:
    try:
        result = run_sqitch(command, target, extra, cwd=_project(ctx).root)
    except SqitchNotFound as exc:
        raise click.ClickException(str(exc)) from exc
    sys.exit(result.returncode)


@db.command()
@target_option
@to_change_option("Deploy up to")
@click.pass_context
def deploy(ctx: click.Context, target: str | None, to_change: str | None) -> None:
    """Deploy the plan (after checking that pg_cron is installed in the target)."""
    resolved = _target(ctx, target)
    try:
        conninfo, password = target_conninfo(resolved, _project(ctx).root)
        require_pg_cron(conninfo, password)
    except (TargetError, PgCronMissing, SqitchNotFound) as exc:
        raise click.ClickException(str(exc)) from exc
    _sqitch(ctx, "deploy", resolved, ["--to", to_change] if to_change else [])


@db.command()
@target_option
@click.pass_context
def verify(ctx: click.Context, target: str | None) -> None:
    """Run every verify script."""
    _sqitch(ctx, "verify", _target(ctx, target), [])


@db.command()
@target_option
@to_change_option("Revert down to")
@click.option("-y", "--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def revert(ctx: click.Context, target: str | None, to_change: str | None, yes: bool) -> None:
    """Revert changes (all of them unless --to). Without a terminal, -y is required."""
    if not yes and not sys.stdin.isatty():
        # Sqitch's prompt defaults to Yes and answers itself without a terminal.
        raise click.ClickException(
            "refusing to revert: no terminal to confirm on (stdin is not a TTY), and "
            "Sqitch would take that as Yes. Pass -y to revert "
            + (f"down to {to_change}." if to_change else "EVERY change of the plan.")
        )
    extra = (["--to", to_change] if to_change else []) + (["-y"] if yes else [])
    _sqitch(ctx, "revert", _target(ctx, target), extra)


@db.command()
@target_option
@click.pass_context
def status(ctx: click.Context, target: str | None) -> None:
    """Show the deployment status."""
    _sqitch(ctx, "status", _target(ctx, target), [])


@db.command("bundle")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="File to write (default: stdout), e.g. supabase/migrations/<ts>_integration_sync.sql",
)
@click.pass_context
def bundle_command(ctx: click.Context, output: Path | None) -> None:
    """Write the plan's deploy scripts, in order, as one migration file (Supabase CLI)."""
    text = bundle(_project(ctx).root)
    if output is None:
        click.echo(text)
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text)
        click.echo(f"wrote {output}", err=True)
