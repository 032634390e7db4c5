"""The one database boundary of the worker runtime: the only place SQL is sent from.

- One psycopg `AsyncConnectionPool`, autocommit (each worker RPC is its own
  transaction, decided by Postgres) and **no server-side prepared statements**
  (`prepare_threshold=None`): behind a transaction pooler (PgBouncer, Supavisor port
  6543) consecutive transactions land on different server connections, where a
  statement prepared on one is missing ("prepared statement does not exist") or
  already there on another. The cost is one parse per call, a few microseconds.
- Startup connects directly, not through the pool, and reads the worker settings, so a
  permanent error (malformed DSN, authentication, missing role, database or schema)
  surfaces with its real cause within the connect timeout instead of a pool timeout.
- Every exception leaves as a `TransientDbError`, `PermanentDbError` or `RefusedError`
  (see `errors`). An outage is logged as one line per kind of error, no traceback, and a
  summary line when the database answers again.
- `listen()` keeps one dedicated connection (outside the pool) on LISTEN, after a
  NOTIFY self-test: through a transaction pooler LISTEN is accepted but notifications
  never arrive, so when the self-test's own NOTIFY does not come back the listener
  logs one WARNING and ends, and the loop relies on polling.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

import psycopg
from psycopg.conninfo import conninfo_to_dict
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

from . import queries
from .errors import (
    MALFORMED_FIX,
    DbError,
    PermanentDbError,
    TransientDbError,
    classify_connect_error,
    first_line,
    map_error,
)
from .events import NO_EVENTS, RuntimeEvents

log = logging.getLogger("orchestrator.runtime.db")

CONNECTION_KWARGS: Final[Mapping[str, Any]] = {"autocommit": True, "prepare_threshold": None}
Params = Mapping[str, Any] | None
Row = dict[str, Any]


@dataclass(frozen=True)
class DbConfig:
    dsn: str
    application_name: str = "orchestrator-worker"
    max_size: int = 10
    min_size: int = 1
    connect_timeout_s: int = 5  # libpq's connect_timeout for each attempt (seconds, >= 2)
    acquire_timeout_s: float = 5.0  # waiting for a pooled connection before "unavailable"

    def __post_init__(self) -> None:
        if self.max_size < 1 or self.min_size < 0 or self.min_size > self.max_size:
            raise ValueError("pool sizes must satisfy 0 <= min_size <= max_size, max_size >= 1")


def check_dsn(dsn: str) -> None:
    """A DSN libpq cannot parse is a PermanentDbError at once, without a connection."""
    try:
        conninfo_to_dict(dsn)
    except psycopg.ProgrammingError as exc:
        raise PermanentDbError(f"malformed DSN ({first_line(exc)})", MALFORMED_FIX) from None


class _Outage:
    """Logs an outage as one line per kind of error and a summary when it is over."""

    def __init__(self, events: RuntimeEvents) -> None:
        self.events = events
        self.started: float | None = None
        self.errors = 0
        self.kinds: set[str] = set()

    def failed(self, err: DbError) -> None:
        self.events.on_db_error(err)
        if not isinstance(err, TransientDbError):
            return
        kind = err.message.split(":", 1)[0]
        if self.started is None:
            self.started = time.monotonic()
        self.errors += 1
        if kind in self.kinds:
            log.debug("database unavailable: %s", err.message)
        else:
            self.kinds.add(kind)
            log.warning("database unavailable: %s; retrying", err.message)

    def succeeded(self) -> None:
        if self.started is None:
            return
        outage_s = time.monotonic() - self.started
        log.warning(
            "database reachable again after %.1f s (%d transient errors, retried)",
            outage_s,
            self.errors,
        )
        self.events.on_db_recovered(outage_s, self.errors)
        self.started, self.errors, self.kinds = None, 0, set()


class Database:
    """The pool and every statement the loops send; see the module docstring."""

    def __init__(self, config: DbConfig, events: RuntimeEvents = NO_EVENTS) -> None:
        check_dsn(config.dsn)
        self.config = config
        self.events = events
        self._outage = _Outage(events)
        self._pool: AsyncConnectionPool[psycopg.AsyncConnection[Any]] | None = None

    # --- lifecycle ---------------------------------------------------------------------

    async def connect(self, application_suffix: str = "") -> psycopg.AsyncConnection[Any]:
        """A connection outside the pool (startup probe, LISTEN); errors mapped."""
        try:
            return await psycopg.AsyncConnection.connect(
                self.config.dsn,
                connect_timeout=max(2, self.config.connect_timeout_s),
                application_name=self.config.application_name + application_suffix,
                **CONNECTION_KWARGS,
            )
        except psycopg.Error as exc:
            raise classify_connect_error(exc) from None
        except OSError as exc:
            raise TransientDbError(f"{type(exc).__name__}: {exc}") from None

    async def probe(self) -> None:
        """Connect directly and read the worker settings: proves DSN, login and schema."""
        conn = await self.connect("-probe")
        try:
            async with conn:
                await conn.execute(queries.GET_WORKER_SETTINGS)
        except DbError:
            raise
        except Exception as exc:
            raise map_error(exc) from None

    async def open(self, *, wait_s: float | None, stop: asyncio.Event | None = None) -> None:
        """Probe until the database answers (transient errors: one line each, backoff up to
        `wait_s` seconds, None = until `stop`), then open the pool. Permanent errors raise
        at once."""
        deadline = None if wait_s is None else time.monotonic() + wait_s
        delay = 0.2
        while True:
            try:
                await self.probe()
                break
            except TransientDbError as err:
                self._outage.failed(err)
                if deadline is not None and time.monotonic() + delay > deadline:
                    raise
                if stop is not None and stop.is_set():
                    raise
                await _sleep_unless(stop, delay)
                delay = min(delay * 2, 5.0)
            except DbError as err:
                self.events.on_db_error(err)
                raise
        self._outage.succeeded()
        self._pool = AsyncConnectionPool(
            self.config.dsn,
            min_size=self.config.min_size,
            max_size=self.config.max_size,
            kwargs={
                **CONNECTION_KWARGS,
                "application_name": self.config.application_name,
                "connect_timeout": max(2, self.config.connect_timeout_s),
            },
            open=False,
            timeout=self.config.acquire_timeout_s,
            name=self.config.application_name,
        )
        await self._pool.open(wait=False)

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None

    async def __aenter__(self) -> Database:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # --- statements --------------------------------------------------------------------

    async def fetch_all(self, query: str, params: Params = None) -> list[Row]:
        if self._pool is None:
            raise TransientDbError("the database is not open")
        try:
            async with self._pool.connection() as conn:
                cur = conn.cursor(row_factory=dict_row)
                await cur.execute(query, params)
                rows = await cur.fetchall() if cur.description is not None else []
        except Exception as exc:
            err = await self._diagnosed(map_error(exc))
            self._outage.failed(err)
            raise err from None
        self._outage.succeeded()
        return rows

    async def fetch_one(self, query: str, params: Params = None) -> Row | None:
        rows = await self.fetch_all(query, params)
        return rows[0] if rows else None

    async def _diagnosed(self, err: DbError) -> DbError:
        """A pool timeout hides why no connection could be made: ask libpq directly."""
        if not (isinstance(err, TransientDbError) and err.message.startswith("no database")):
            return err
        try:
            conn = await self.connect("-probe")
            await conn.close()
        except DbError as direct:
            return direct
        return err

    # --- LISTEN ------------------------------------------------------------------------

    async def listen(
        self,
        channel: str,
        wake: Callable[[], None],
        *,
        retry_s: float,
        selftest_s: float = 2.0,
    ) -> None:
        """LISTEN on `channel` and call `wake()` on every notification (and once after each
        (re)connect) until cancelled; returns if the NOTIFY self-test fails."""
        while True:
            try:
                conn = await self.connect("-listen")
                async with conn:
                    await conn.execute(queries.listen(channel))
                    if not await self._self_test(conn, wake, selftest_s):
                        log.warning(
                            "LISTEN does not work through this connection (no NOTIFY came back "
                            "within %.1f s: a pooler in transaction mode?); polling every "
                            "%.1f s instead. Pass --poll-only to skip this test.",
                            selftest_s,
                            retry_s,
                        )
                        return
                    wake()  # anything notified while we were not listening
                    async for _ in conn.notifies():
                        wake()
            except Exception as exc:
                err = exc if isinstance(exc, DbError) else map_error(exc)
                self._outage.failed(err)
                await asyncio.sleep(retry_s)

    async def _self_test(
        self, conn: psycopg.AsyncConnection[Any], wake: Callable[[], None], timeout_s: float
    ) -> bool:
        probe = f"orchestrator_selftest_{uuid.uuid4().hex}"
        await conn.execute(queries.listen(probe))
        await self.fetch_all(queries.NOTIFY, {"channel": probe, "payload": "self-test"})
        deadline = time.monotonic() + timeout_s
        came_back = False
        while not came_back and (left := deadline - time.monotonic()) > 0:
            # Never break out of notifies(): it holds the connection's lock until it ends.
            async for note in conn.notifies(timeout=left, stop_after=1):
                if note.channel == probe:
                    came_back = True
                else:
                    wake()
        if came_back:
            await conn.execute(f'UNLISTEN "{probe}"')
        return came_back


async def _sleep_unless(stop: asyncio.Event | None, seconds: float) -> None:
    if stop is None:
        await asyncio.sleep(seconds)
        return
    try:
        async with asyncio.timeout(seconds):
            await stop.wait()
    except TimeoutError:
        pass
