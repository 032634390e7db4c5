"""Database errors, mapped once at the boundary into three kinds the loops act on.

- `TransientDbError`: the database or the path to it is briefly unavailable (connection
  refused or lost, administrator shutdown, server starting, serialization failure,
  deadlock, too many connections, no pooled connection in time). Retried with backoff.
  Its subclass `ConnectionLostError` says the connection itself is gone (refused, reset,
  closed by the server, administrator or crash shutdown, server starting): the
  `Database` then reconnects as a whole instead of handing out the pool's other
  connections, which the same restart broke.
- `PermanentDbError`: a configuration the worker cannot get past by waiting (malformed
  DSN, authentication failed, role or database missing, the package not deployed, the
  login lacking `integration_worker`). The command exits with code 2 and one line naming
  the cause and the fix.
- `RefusedError`: the database refused this one call (a DESIGN §6 code such as
  `invalid_transition`, or bad data). Not retried; the caller decides.
"""

from __future__ import annotations

from typing import Final

import psycopg
import psycopg_pool

DEPLOY_FIX: Final = "run `orchestrator db deploy` against this database"


class DbError(Exception):
    """Base of the mapped errors; `message` is one line, never a traceback."""

    def __init__(self, message: str, sqlstate: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.sqlstate = sqlstate


class TransientDbError(DbError):
    """Worth retrying: the database or the way to it is briefly unavailable."""


class ConnectionLostError(TransientDbError):
    """The connection is gone (refused, reset, closed, the server shutting down or
    starting): every pooled connection is suspect, so the database reconnects."""


class RefusedError(DbError):
    """The database refused this call; `code` is the DESIGN §6 MESSAGE when it has one."""

    def __init__(self, message: str, sqlstate: str | None = None, code: str | None = None):
        super().__init__(message, sqlstate)
        self.code = code


class PermanentDbError(DbError):
    """Waiting will not help: `cause` says what is wrong, `fix` what to do."""

    def __init__(self, cause: str, fix: str, sqlstate: str | None = None) -> None:
        super().__init__(f"{cause}; {fix}", sqlstate)
        self.cause = cause
        self.fix = fix


TRANSIENT_SQLSTATE_CLASSES: Final = ("08", "53", "57P", "40")  # connection, resources, …
TRANSIENT_SQLSTATES: Final = frozenset(
    {
        "40001",  # serialization_failure
        "40P01",  # deadlock_detected
        "55P03",  # lock_not_available
        "57014",  # query_canceled (statement_timeout)
        "26000",  # invalid_sql_statement_name (a pooler lost a prepared statement)
        "42P05",  # duplicate_prepared_statement (ditto)
    }
)
NOT_DEPLOYED_SQLSTATES: Final = frozenset({"3F000", "42883", "42P01"})
# The connection is gone: connection exceptions, administrator / crash shutdown, starting up.
CONNECTION_LOST_SQLSTATES: Final = frozenset({"57P01", "57P02", "57P03"})

# Connection-time failures carry no SQLSTATE in psycopg; libpq's and PgBouncer's texts.
_AUTH_TEXTS: Final = (
    "password authentication failed",
    "authentication failed",
    "no pg_hba.conf entry",
    "pg_hba.conf rejects",
    "password is required",
    "no password supplied",
)
_MALFORMED_TEXTS: Final = (
    "invalid connection option",
    'missing "=" after',
    "invalid integer value",
    "invalid sslmode value",
    "invalid uri",
    "invalid percent-encoded token",
    "unterminated quoted string",
    "invalid port number",
)


def first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    for line in text.splitlines():
        line = line.strip()
        if line and not line.lower().startswith(("connection failed:", "multiple connection")):
            return line[:300]
    return text.splitlines()[0][:300] if text else type(exc).__name__


def _connection_text(exc: BaseException) -> str:
    return " ".join(str(exc).split()).lower()


def classify_connect_error(exc: BaseException) -> DbError:
    """A failure to connect: permanent when the server said who or what is wrong."""
    text = _connection_text(exc)
    line = first_line(exc)
    sqlstate = getattr(exc, "sqlstate", None)
    if sqlstate in ("28P01", "28000") or any(t in text for t in _AUTH_TEXTS):
        if "role" in text and "does not exist" in text:
            return PermanentDbError(
                f"the login does not exist ({line})", "create it or fix the user in the DSN"
            )
        return PermanentDbError(
            f"authentication failed ({line})",
            "check the user and password in the DSN (and pg_hba.conf / the pooler's auth)",
            sqlstate,
        )
    if "role" in text and "does not exist" in text:
        return PermanentDbError(
            f"the login does not exist ({line})", "create it or fix the user in the DSN"
        )
    if (
        sqlstate == "3D000"
        or ("database" in text and "does not exist" in text)
        or ("no such database" in text)
    ):
        return PermanentDbError(
            f"the database does not exist ({line})", "fix the database name in the DSN"
        )
    if any(t in text for t in _MALFORMED_TEXTS):
        return PermanentDbError(f"malformed DSN ({line})", MALFORMED_FIX)
    if sqlstate is not None and sqlstate.startswith("53"):  # reachable, out of connections
        return TransientDbError(f"{type(exc).__name__}: {line}", sqlstate)
    return ConnectionLostError(f"{type(exc).__name__}: {line}", sqlstate)


MALFORMED_FIX: Final = (
    "fix --dsn / ORCHESTRATOR_DSN (a libpq key=value string or a postgresql:// URI)"
)


def map_error(exc: BaseException) -> DbError:
    """Any exception from psycopg / psycopg_pool / the socket as one of the three kinds."""
    if isinstance(exc, DbError):
        return exc
    if isinstance(exc, psycopg_pool.PoolTimeout | psycopg_pool.TooManyRequests):
        return TransientDbError(f"no database connection available ({first_line(exc)})")
    if isinstance(exc, psycopg_pool.PoolClosed):
        return TransientDbError("the connection pool is closed (shutting down)")
    if isinstance(exc, psycopg.Error):
        sqlstate = exc.sqlstate
        if sqlstate is None:
            if isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError):
                return ConnectionLostError(f"{type(exc).__name__}: {first_line(exc)}")
            return RefusedError(f"{type(exc).__name__}: {first_line(exc)}")
        primary = exc.diag.message_primary or first_line(exc)
        if sqlstate in NOT_DEPLOYED_SQLSTATES:
            return PermanentDbError(
                f"the integration package is missing or older than this worker ({primary})",
                DEPLOY_FIX,
                sqlstate,
            )
        if sqlstate == "42501":
            return PermanentDbError(
                f"the login may not call the worker functions ({primary})",
                "GRANT integration_worker TO <the DSN's login>",
                sqlstate,
            )
        if sqlstate in ("28P01", "28000", "3D000"):
            return classify_connect_error(exc)
        if sqlstate.startswith("08") or sqlstate in CONNECTION_LOST_SQLSTATES:
            return ConnectionLostError(f"{type(exc).__name__}: {primary}", sqlstate)
        if sqlstate in TRANSIENT_SQLSTATES or sqlstate.startswith(TRANSIENT_SQLSTATE_CLASSES):
            return TransientDbError(f"{type(exc).__name__}: {primary}", sqlstate)
        detail = exc.diag.message_detail
        code = primary if sqlstate.startswith("PT") else None
        text = f"{primary}: {detail}" if detail and code else primary
        return RefusedError(text, sqlstate, code)
    if isinstance(exc, OSError | TimeoutError):
        return ConnectionLostError(f"{type(exc).__name__}: {first_line(exc)}")
    raise exc
