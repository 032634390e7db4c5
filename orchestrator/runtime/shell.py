"""The process shell around the loops: asyncio, signals, the database, exit codes.

A command builds its loops inside `main(life, db)`; `execute` runs it with SIGTERM /
SIGINT wired to the shared `Lifecycle` and turns database errors into exit codes:
2 with one line naming the cause and the fix for a permanent error, 1 for a database
that stayed unavailable (`--once`). A later `serve` command runs several loops in one
`main` over the same database and lifecycle.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from typing import Final, TypeVar

from .db import Database, DbConfig
from .errors import DbError, PermanentDbError
from .events import NO_EVENTS, RuntimeEvents
from .handshake import VersionMismatchError
from .loop import Lifecycle, stop_on_signals

T = TypeVar("T")

EXIT_DB_UNAVAILABLE: Final = 1
EXIT_CONFIGURATION: Final = 2
ONCE_STARTUP_WAIT_S: Final = 30.0
ONCE_WAIT_ENV: Final = "ORCHESTRATOR_ONCE_DB_WAIT"


def once_startup_wait_s() -> float:
    """How long `--once` waits for an unavailable database (env ORCHESTRATOR_ONCE_DB_WAIT)."""
    raw = os.environ.get(ONCE_WAIT_ENV, "")
    try:
        return max(0.0, float(raw)) if raw else ONCE_STARTUP_WAIT_S
    except ValueError:
        return ONCE_STARTUP_WAIT_S


class ShellExit(Exception):
    """The command ends with `code` after printing `line` (one line, no traceback)."""

    def __init__(self, code: int, line: str) -> None:
        super().__init__(line)
        self.code = code
        self.line = line


def describe(err: DbError) -> ShellExit:
    if isinstance(err, VersionMismatchError):  # "database at 0.2.0, this worker needs …"
        return ShellExit(EXIT_CONFIGURATION, err.message)
    if isinstance(err, PermanentDbError):
        return ShellExit(
            EXIT_CONFIGURATION, f"database configuration error: {err.cause}; {err.fix}"
        )
    return ShellExit(EXIT_DB_UNAVAILABLE, f"database error: {err.message}")


async def with_database(
    config: DbConfig,
    main: Callable[[Lifecycle, Database], Awaitable[T]],
    *,
    once: bool,
    life: Lifecycle | None = None,
    events: RuntimeEvents = NO_EVENTS,
    around: Callable[[Database], AbstractAsyncContextManager[object]] | None = None,
) -> T:
    """Open the database (waiting through transient errors: 30 s with `once`, see
    `once_startup_wait_s`, else until a stop), run `main`, close. Signals stop `life`.
    `around(db)` is entered before the database is opened and left after it is closed
    (the metrics endpoints: /healthz answers while the database is still awaited)."""
    life = life or Lifecycle()
    with stop_on_signals(life):
        db = Database(config, events)
        async with contextlib.AsyncExitStack() as stack:
            if around is not None:
                await stack.enter_async_context(around(db))
            stack.push_async_callback(db.close)
            await db.open(wait_s=once_startup_wait_s() if once else None, stop=life.stopping)
            return await main(life, db)


def execute(run: Callable[[], Awaitable[T]]) -> T:
    """`asyncio.run(run())`; database errors become a `ShellExit`."""

    async def wrapped() -> T:
        return await run()

    try:
        return asyncio.run(wrapped())
    except DbError as err:
        raise describe(err) from None
