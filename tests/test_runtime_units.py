"""Pure units of the runtime shell: error mapping, summary, worker id, logging, DSN check."""

from __future__ import annotations

import logging

import psycopg
import psycopg_pool
import pytest

from orchestrator.runtime import errors
from orchestrator.runtime.db import DbConfig, check_dsn
from orchestrator.runtime.errors import (
    PermanentDbError,
    RefusedError,
    TransientDbError,
    classify_connect_error,
    map_error,
)
from orchestrator.runtime.events import NO_EVENTS
from orchestrator.runtime.identity import default_worker_id
from orchestrator.runtime.logs import configure_logging
from orchestrator.runtime.loop import RunSummary
from orchestrator.runtime.shell import describe


def test_summary_prints_every_outcome() -> None:
    summary = RunSummary("health", 3, {"healthy": 1, "degraded": 1, "unreachable": 1}, 1)
    assert summary.line() == (
        "health: claimed 3; healthy 1, degraded 1, unreachable 1; unreported 1"
    )
    assert summary.count("healthy") == 1 and summary.count("other") == 0
    assert RunSummary("sync").line() == "sync: claimed 0; nothing; unreported 0"


def test_one_worker_id_format() -> None:
    host, pid = default_worker_id().rsplit(":", 1)
    assert host and pid.isdigit()


def test_logging_honours_the_level() -> None:
    configure_logging("warning")
    assert logging.getLogger().level == logging.WARNING
    assert logging.getLogger("psycopg.pool").level == logging.ERROR
    configure_logging("DEBUG")
    assert logging.getLogger().level == logging.DEBUG


@pytest.mark.parametrize(
    "dsn", ["host=localhost port", "postgresql://u@h:notaport/db x", "nonsense=1"]
)
def test_a_malformed_dsn_is_permanent_without_connecting(dsn: str) -> None:
    with pytest.raises(PermanentDbError, match="malformed DSN"):
        check_dsn(dsn)


def test_db_config_validates_pool_sizes() -> None:
    with pytest.raises(ValueError):
        DbConfig("host=x", max_size=0)
    with pytest.raises(ValueError):
        DbConfig("host=x", min_size=3, max_size=2)


@pytest.mark.parametrize(
    ("text", "kind", "fragment"),
    [
        ('FATAL:  password authentication failed for user "w"', PermanentDbError, "authentication"),
        ('FATAL:  role "nobody" does not exist', PermanentDbError, "login does not exist"),
        ('FATAL:  database "nowhere" does not exist', PermanentDbError, "database does not exist"),
        ("ERROR:  no such database: nowhere", PermanentDbError, "database does not exist"),
        ('FATAL:  no pg_hba.conf entry for host "1.2.3.4"', PermanentDbError, "authentication"),
        ('invalid connection option "hots"', PermanentDbError, "malformed DSN"),
        ("connection refused", TransientDbError, "OperationalError"),
        ("FATAL:  the database system is starting up", TransientDbError, "starting up"),
    ],
)
def test_connect_errors(text: str, kind: type[Exception], fragment: str) -> None:
    err = classify_connect_error(psycopg.OperationalError(f"connection failed: {text}"))
    assert isinstance(err, kind)
    assert fragment in err.message
    assert "\n" not in err.message


@pytest.mark.parametrize(
    ("exc", "kind"),
    [
        (psycopg.errors.AdminShutdown("x"), TransientDbError),
        (psycopg.errors.SerializationFailure("x"), TransientDbError),
        (psycopg.errors.DeadlockDetected("x"), TransientDbError),
        (psycopg.errors.CannotConnectNow("x"), TransientDbError),
        (psycopg.errors.TooManyConnections("x"), TransientDbError),
        (psycopg.errors.DuplicatePreparedStatement("x"), TransientDbError),
        (psycopg.OperationalError("server closed the connection unexpectedly"), TransientDbError),
        (psycopg.InterfaceError("the connection is closed"), TransientDbError),
        (psycopg_pool.PoolTimeout("x"), TransientDbError),
        (psycopg_pool.PoolClosed("x"), TransientDbError),
        (ConnectionResetError("x"), TransientDbError),
        (psycopg.errors.UndefinedFunction("x"), PermanentDbError),
        (psycopg.errors.InvalidSchemaName("x"), PermanentDbError),
        (psycopg.errors.InsufficientPrivilege("x"), PermanentDbError),
        (psycopg.errors.InvalidPassword("x"), PermanentDbError),
        (psycopg.errors.NumericValueOutOfRange("x"), RefusedError),
        (psycopg.ProgrammingError("x"), RefusedError),
    ],
)
def test_map_error(exc: Exception, kind: type[Exception]) -> None:
    assert isinstance(map_error(exc), kind)


def test_a_missing_schema_names_the_fix() -> None:
    err = map_error(psycopg.errors.UndefinedFunction("function does not exist"))
    assert isinstance(err, PermanentDbError)
    assert err.fix == errors.DEPLOY_FIX
    exit_ = describe(err)
    assert exit_.code == 2 and "orchestrator db deploy" in exit_.line
    assert describe(TransientDbError("OperationalError: down")).code == 1


def test_mapped_errors_pass_through_and_bugs_are_not_swallowed() -> None:
    refused = RefusedError("invalid_transition", "PT409", "invalid_transition")
    assert map_error(refused) is refused
    with pytest.raises(KeyError):
        map_error(KeyError("bug"))


def test_no_events_is_a_silent_observer() -> None:
    err = TransientDbError("x")
    NO_EVENTS.on_poll("sync", 1)
    NO_EVENTS.on_run_finished("sync", "completed", 0.1, True)
    NO_EVENTS.on_report_retried("sync", err)
    NO_EVENTS.on_db_error(err)
    NO_EVENTS.on_db_recovered(1.0, 2)
