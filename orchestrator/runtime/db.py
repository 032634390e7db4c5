"""The one database boundary of the worker runtime: the only place SQL is sent from.

- One psycopg `AsyncConnectionPool`, autocommit (each worker RPC is its own
  transaction, decided by Postgres) and **no server-side prepared statements**
  (`prepare_threshold=None`): behind a transaction pooler (PgBouncer, Supavisor port
  6543) consecutive transactions land on different server connections, where a
  statement prepared on one is missing ("prepared statement does not exist") or
  already there on another. The cost is one parse per call, a few microseconds.
- **Connection budget** (issue 24): the pool is sized by need, not by concurrency.
  Claims and reports are short calls; a loop sends one claim and one batch of reports
  at a time, so a few connections serve any concurrency (callers queue for a connection
  for microseconds). The ceiling is `--max-db-connections` (`DEFAULT_MAX_DB_CONNECTIONS`)
  for the whole process: the LISTEN connection counts towards it (`pool_share`).
  A pool that kept idle connections through `max_idle_s` closes one of them (down to
  `min_size`) each period.
- Startup connects directly, not through the pool, runs the **version handshake**
  (`handshake.py`: the deployed release must be at least the one this worker needs)
  and reads the worker settings, so a permanent error (malformed DSN, authentication,
  missing role, database or schema, an older package) surfaces with its real cause
  within the connect timeout instead of a pool timeout.
- **Reconnecting** (issue 24): the first error that says the connection itself is gone
  (`ConnectionLostError`: refused, reset, closed, administrator shutdown, starting up)
  retires the whole pool: a restart broke every pooled connection, and handing each
  out once (0.2) cost a failed call and a backoff each. Calls wait (up to
  `acquire_timeout_s`) while one task probes the server directly every 50 ms growing
  to 0.5 s, runs the handshake again, opens a fresh pool and calls the
  `on_reconnected` callbacks (the loops claim at once). A permanent error found then
  (say, the database was reverted to an older release) is raised by every later call.
- Every exception leaves as a `TransientDbError`, `PermanentDbError` or `RefusedError`
  (see `errors`). An outage is logged as one WARNING line when it starts and one when it
  has ended (`OutageLog`): answers must have come for `outage_settle_s` without a
  failure in between, so a database that flaps (a full disk fails writes and answers
  reads) is one outage, not a line per flap.
- `listen()` keeps one dedicated connection (outside the pool) on LISTEN, after a
  NOTIFY self-test: through a transaction pooler LISTEN is accepted but notifications
  never arrive, so when the self-test's own NOTIFY does not come back the listener
  logs one WARNING and ends, and the loop relies on polling.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

import psycopg
from psycopg.conninfo import conninfo_to_dict
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool, PoolClosed

from . import queries
from .errors import (
    MALFORMED_FIX,
    ConnectionLostError,
    DbError,
    PermanentDbError,
    TransientDbError,
    classify_connect_error,
    first_line,
    map_error,
)
from .events import NO_EVENTS, RuntimeEvents
from .handshake import check_deployed, is_new_enough

log = logging.getLogger("orchestrator.runtime.db")

CONNECTION_KWARGS: Final[Mapping[str, Any]] = {"autocommit": True, "prepare_threshold": None}
Params = Mapping[str, Any] | None
Row = dict[str, Any]

# The most connections one process opens (pool + LISTEN): `--max-db-connections`.
DEFAULT_MAX_DB_CONNECTIONS: Final = 4
MIN_DB_CONNECTIONS: Final = 2  # one for LISTEN, one for the pool
OUTAGE_SETTLE_S: Final = 10.0
RECONNECT_DELAY_START_S: Final = 0.05
RECONNECT_DELAY_MAX_S: Final = 0.5
READY_TIMEOUT_S: Final = 2.0

PooledConnection = psycopg.AsyncConnection[Any]
Pool = AsyncConnectionPool[PooledConnection]


def pool_share(max_connections: int, *, listen: bool) -> int:
    """The pool's size within the process's ceiling: LISTEN holds one connection."""
    return max(1, max_connections - (1 if listen else 0))


@dataclass(frozen=True)
class DbConfig:
    dsn: str
    application_name: str = "orchestrator-worker"
    max_size: int = DEFAULT_MAX_DB_CONNECTIONS  # pooled connections at most
    min_size: int = 1
    connect_timeout_s: int = 5  # libpq's connect_timeout for each attempt (seconds, >= 2)
    acquire_timeout_s: float = 5.0  # waiting for a connection before "unavailable"
    max_idle_s: float = 60.0  # an idle pool gives back one connection per period (to min_size)
    outage_settle_s: float = OUTAGE_SETTLE_S  # answers without a failure that end an outage

    def __post_init__(self) -> None:
        if self.max_size < 1 or self.min_size < 0 or self.min_size > self.max_size:
            raise ValueError("pool sizes must satisfy 0 <= min_size <= max_size, max_size >= 1")
        if self.outage_settle_s < 0:
            raise ValueError("outage_settle_s must not be negative")


def check_dsn(dsn: str) -> None:
    """A DSN libpq cannot parse is a PermanentDbError at once, without a connection."""
    try:
        conninfo_to_dict(dsn)
    except psycopg.ProgrammingError as exc:
        raise PermanentDbError(f"malformed DSN ({first_line(exc)})", MALFORMED_FIX) from None


class OutageLog:
    """An outage as two log lines: one WARNING when the first transient error comes, one
    when the database has answered for `settle_s` without a failure in between (the
    duration counts to the first of those answers). Errors in between are counted and
    their kinds named in the closing line; each still reaches `events.on_db_error`."""

    def __init__(
        self,
        events: RuntimeEvents,
        settle_s: float = OUTAGE_SETTLE_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.events = events
        self.settle_s = settle_s
        self.clock = clock
        self.started: float | None = None
        self.answering_since: float | None = None
        self.errors = 0
        self.kinds: list[str] = []

    @property
    def ongoing(self) -> bool:
        return self.started is not None

    def failed(self, err: DbError) -> None:
        self.events.on_db_error(err)
        if not isinstance(err, TransientDbError):
            return
        self.answering_since = None
        self.errors += 1
        kind = err.message.split(":", 1)[0]
        if kind not in self.kinds:
            self.kinds.append(kind)
        if self.started is None:
            self.started = self.clock()
            log.warning("database unavailable: %s; retrying", err.message)
        else:
            log.debug("database unavailable: %s", err.message)

    def succeeded(self) -> None:
        if self.started is None:
            return
        now = self.clock()
        if self.answering_since is None:
            self.answering_since = now
        if now - self.answering_since >= self.settle_s:
            self._end()

    def flush(self) -> None:
        """At close: an outage the database has answered since is reported as over."""
        if self.started is not None and self.answering_since is not None:
            self._end()

    def _end(self) -> None:
        assert self.started is not None and self.answering_since is not None
        outage_s = self.answering_since - self.started
        log.warning(
            "database reachable again after %.1f s (%d transient errors: %s; retried)",
            outage_s,
            self.errors,
            ", ".join(self.kinds),
        )
        self.events.on_db_recovered(outage_s, self.errors)
        self.started, self.answering_since, self.errors, self.kinds = None, None, 0, []


class Database:
    """The pool and every statement the loops send; see the module docstring."""

    def __init__(self, config: DbConfig, events: RuntimeEvents = NO_EVENTS) -> None:
        check_dsn(config.dsn)
        self.config = config
        self.events = events
        self._outage = OutageLog(events, config.outage_settle_s)
        self._pool: Pool | None = None
        self._up = asyncio.Event()  # set while a pool is open and no reconnect is under way
        self._reconnected = asyncio.Event()  # set (and replaced) after each reconnect
        self._reconnecting: asyncio.Task[None] | None = None
        self._retiring: set[asyncio.Task[None]] = set()
        self._fatal: PermanentDbError | None = None
        self._last_lost: DbError | None = None
        self._on_reconnected: list[Callable[[], None]] = []
        self._closed = False

    # --- lifecycle ---------------------------------------------------------------------

    def on_reconnected(self, callback: Callable[[], None]) -> None:
        """Call `callback()` each time a fresh pool is open after a lost connection."""
        self._on_reconnected.append(callback)

    async def connect(self, application_suffix: str = "") -> PooledConnection:
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
            raise ConnectionLostError(f"{type(exc).__name__}: {exc}") from None

    async def probe(self) -> None:
        """Connect directly, run the version handshake and read the worker settings:
        proves DSN, login, schema and release."""
        conn = await self.connect("-probe")
        try:
            async with conn:
                await self._handshake(conn)
                await conn.execute(queries.GET_WORKER_SETTINGS)
        except DbError:
            raise
        except Exception as exc:
            raise map_error(exc) from None

    @staticmethod
    async def _handshake(conn: PooledConnection) -> None:
        cur = conn.cursor(row_factory=dict_row)
        await cur.execute(queries.PACKAGE_CATALOG)
        found = await cur.fetchone()
        assert found is not None
        version = None
        if found["has_version"]:
            await cur.execute(queries.PACKAGE_VERSION)
            row = await cur.fetchone()
            version = None if row is None else str(row["version"])
        check_deployed(
            version,
            has_schema=bool(found["has_schema"]),
            has_batch_reports=bool(found["has_batch_reports"]),
        )

    async def open(self, *, wait_s: float | None, stop: asyncio.Event | None = None) -> None:
        """Probe until the database answers (transient errors: backoff up to `wait_s`
        seconds, None = until `stop`), then open the pool. Permanent errors (an older
        release included) raise at once."""
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
                if isinstance(err, PermanentDbError):
                    self._fatal = err
                raise
        self._outage.succeeded()
        self._pool = await self._open_pool()
        self._up.set()

    async def _open_pool(self) -> Pool:
        pool: Pool = AsyncConnectionPool(
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
            max_idle=self.config.max_idle_s,
            name=self.config.application_name,
        )
        await pool.open(wait=False)
        return pool

    async def close(self) -> None:
        self._closed = True
        self._up.set()  # nobody waits for a reconnect that will not come
        if self._reconnecting is not None:
            self._reconnecting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reconnecting
            self._reconnecting = None
        if self._pool is not None:
            pool, self._pool = self._pool, None
            await pool.close()
        if self._retiring:
            await asyncio.gather(*self._retiring, return_exceptions=True)
        self._outage.flush()

    async def __aenter__(self) -> Database:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # --- readiness ---------------------------------------------------------------------

    async def ready(self) -> bool:
        """/readyz: the handshake passed, no reconnect is under way, and the database
        answers the deployed release (new enough) and the settings within 2 s."""
        if self._fatal is not None or self._pool is None or not self._up.is_set():
            return False
        try:
            async with asyncio.timeout(READY_TIMEOUT_S):
                row = await self.fetch_one(queries.READY)
        except (DbError, TimeoutError):
            return False
        return row is not None and is_new_enough(str(row["version"]))

    # --- statements --------------------------------------------------------------------

    async def fetch_all(self, query: str, params: Params = None) -> list[Row]:
        while True:
            pool = await self._usable_pool()
            try:
                async with pool.connection() as conn:
                    cur = conn.cursor(row_factory=dict_row)
                    await cur.execute(query, params)
                    rows = await cur.fetchall() if cur.description is not None else []
            except PoolClosed:
                if pool is not self._pool and not self._closed:
                    continue  # waited in a pool a reconnect retired: wait for the new one
                err: DbError = TransientDbError("the connection pool is closed (shutting down)")
                self._outage.failed(err)
                raise err from None
            except Exception as exc:
                err = await self._diagnosed(map_error(exc))
                self._outage.failed(err)
                if isinstance(err, ConnectionLostError):
                    self._reconnect(pool, err)
                raise err from None
            self._outage.succeeded()
            return rows

    async def fetch_one(self, query: str, params: Params = None) -> Row | None:
        rows = await self.fetch_all(query, params)
        return rows[0] if rows else None

    async def _usable_pool(self) -> Pool:
        """The open pool; while a reconnect is under way, wait for it (up to the acquire
        timeout). A permanent error found by a reconnect is raised here, before any
        call (no claim is sent to a database older than this worker needs)."""
        if self._fatal is not None:
            raise self._fatal
        if not self._up.is_set():
            try:
                async with asyncio.timeout(self.config.acquire_timeout_s):
                    await self._up.wait()
            except TimeoutError:
                cause = self._last_lost.message if self._last_lost else "reconnecting"
                err = ConnectionLostError(cause)
                self._outage.failed(err)
                raise err from None
            if self._fatal is not None:
                raise self._fatal
        if self._pool is None:
            raise TransientDbError("the database is not open")
        return self._pool

    async def _diagnosed(self, err: DbError) -> DbError:
        """A pool timeout hides why no connection could be made: ask libpq directly
        (a lost server becomes a ConnectionLostError, a full pool stays transient)."""
        if not (isinstance(err, TransientDbError) and err.message.startswith("no database")):
            return err
        try:
            conn = await self.connect("-probe")
            await conn.close()
        except DbError as direct:
            return direct
        return err

    # --- reconnecting ------------------------------------------------------------------

    def _reconnect(self, broken: Pool | None, err: DbError) -> None:
        """Retire `broken` (when it is still the pool) and reconnect in the background."""
        self._last_lost = err
        if self._closed or self._reconnecting is not None or self._fatal is not None:
            return
        if broken is None or broken is not self._pool:
            return  # an earlier reconnect already replaced it
        self._up.clear()
        self._pool = None
        retiring = asyncio.create_task(broken.close(timeout=1.0), name="db-retire-pool")
        self._retiring.add(retiring)
        retiring.add_done_callback(self._retiring.discard)
        self._reconnecting = asyncio.create_task(self._reconnect_loop(), name="db-reconnect")

    async def _reconnect_loop(self) -> None:
        delay = RECONNECT_DELAY_START_S
        try:
            while True:
                try:
                    await self.probe()
                except PermanentDbError as err:
                    self.events.on_db_error(err)
                    self._fatal = err  # every later call raises it: the loops stop (exit 2)
                    break
                except DbError as err:
                    self._last_lost = err
                    self._outage.failed(err)
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, RECONNECT_DELAY_MAX_S)
                else:
                    self._pool = await self._open_pool()
                    self._outage.succeeded()
                    break
        finally:
            self._reconnecting = None
            self._up.set()
            done, self._reconnected = self._reconnected, asyncio.Event()
            done.set()
        for callback in self._on_reconnected:  # the loops claim now (or meet the error)
            callback()

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
        while self._fatal is None:
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
                reconnected = self._reconnected
                if isinstance(err, ConnectionLostError):
                    self._reconnect(self._pool, err)
                with contextlib.suppress(TimeoutError):  # LISTEN again after a reconnect
                    async with asyncio.timeout(retry_s):
                        await reconnected.wait()

    async def _self_test(
        self, conn: PooledConnection, wake: Callable[[], None], timeout_s: float
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
            await conn.execute(queries.unlisten(probe))
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
