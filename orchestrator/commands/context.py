"""What every command shares: the --dsn of the group, the embedded cluster's folder, and
the start and exit handling of the runtime's loops (`worker`, `health`, `serve`). The
options themselves are declared once, in `options.py`."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

import click

from ..runtime.identity import WORKER_ID_RULE, default_worker_id, is_valid_worker_id
from ..runtime.logs import configure_logging
from ..runtime.shell import ShellExit, execute
from ..sync.signing import SERVICE_KEY_ENV, CallAuth
from ..tooling import localdb

if TYPE_CHECKING:
    from .options import LoopParams

LOCALDB_DIR = localdb.PROJECT_ROOT / ".localdb" / "data"
T = TypeVar("T")


def require_dsn(ctx: click.Context) -> str:
    dsn: str | None = ctx.obj.get("dsn")
    if not dsn:
        raise click.UsageError("no database: pass --dsn or set ORCHESTRATOR_DSN")
    return dsn


def sync_auth() -> CallAuth:
    """The integration calls' signing secret (ORCHESTRATOR_WEBHOOK_SECRET, required) and
    gateway key (ORCHESTRATOR_FUNCTIONS_KEY, optional), DESIGN §13; a missing or malformed
    secret is a usage error (exit 2). Call after logging is set up: a set
    ORCHESTRATOR_SERVICE_KEY gets one WARNING (never sent since 0.3)."""
    try:
        auth = CallAuth.from_environ(os.environ)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    if os.environ.get(SERVICE_KEY_ENV):
        logging.getLogger("orchestrator.sync").warning(
            "%s is set but ignored since 0.3: integration calls are signed with "
            "ORCHESTRATOR_WEBHOOK_SECRET and never carry the service-role key "
            "(the gateway key, if any, is ORCHESTRATOR_FUNCTIONS_KEY); unset it",
            SERVICE_KEY_ENV,
        )
    return auth


def start_loop(loop: LoopParams) -> str:
    """Logging set up; the worker id checked (or the default)."""
    if loop.worker_id is not None and not is_valid_worker_id(loop.worker_id):
        raise click.UsageError(f"--worker-id must be {WORKER_ID_RULE} (env ORCHESTRATOR_WORKER_ID)")
    configure_logging(loop.log_level, loop.log_format.lower())
    return loop.worker_id or default_worker_id()


def run_or_exit(run: Callable[[], Awaitable[T]]) -> T:
    """Run the loop; a database error ends the command with one line on stderr and exit
    code 2 (configuration: cause and fix) or 1 (database unavailable)."""
    try:
        return execute(run)
    except ShellExit as exc:
        click.echo(f"Error: {exc.line}", err=True)
        sys.exit(exc.code)
