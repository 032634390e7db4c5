"""Pure units of the runtime shell: error mapping, summary, worker id, logging, DSN check."""

from __future__ import annotations

import logging

import psycopg
import psycopg_pool
import pytest

from orchestrator.runtime import errors
from orchestrator.runtime.db import DbConfig, OutageLog, check_dsn, pool_share
from orchestrator.runtime.errors import (
    ConnectionLostError,
    PermanentDbError,
    RefusedError,
    TransientDbError,
    classify_connect_error,
    map_error,
)
from orchestrator.runtime.events import NO_EVENTS, NoEvents
from orchestrator.runtime.handshake import (
    REQUIRED_PACKAGE_VERSION,
    VersionMismatchError,
    check_deployed,
    is_new_enough,
)
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


@pytest.mark.parametrize(
    ("exc", "lost"),
    [
        (psycopg.errors.AdminShutdown("x"), True),
        (psycopg.errors.CrashShutdown("x"), True),
        (psycopg.errors.CannotConnectNow("x"), True),
        (psycopg.errors.ConnectionFailure("x"), True),
        (psycopg.OperationalError("server closed the connection unexpectedly"), True),
        (psycopg.InterfaceError("the connection is closed"), True),
        (ConnectionResetError("x"), True),
        (psycopg.errors.SerializationFailure("x"), False),
        (psycopg.errors.DeadlockDetected("x"), False),
        (psycopg.errors.TooManyConnections("x"), False),
        (psycopg.errors.DiskFull("x"), False),
        (psycopg.errors.QueryCanceled("x"), False),
        (psycopg_pool.PoolTimeout("x"), False),
    ],
)
def test_only_a_lost_connection_makes_the_database_reconnect(exc: Exception, lost: bool) -> None:
    """A lost connection retires the whole pool (issue 24); a busy or full server does not."""
    err = map_error(exc)
    assert isinstance(err, TransientDbError)
    assert isinstance(err, ConnectionLostError) is lost


def test_a_refused_connection_is_lost_a_full_server_is_not() -> None:
    refused = psycopg.OperationalError("connection failed: Connection refused")
    assert isinstance(classify_connect_error(refused), ConnectionLostError)
    full = psycopg.errors.TooManyConnections("sorry, too many clients already")
    err = classify_connect_error(full)
    assert isinstance(err, TransientDbError) and not isinstance(err, ConnectionLostError)


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class Recovered(NoEvents):
    def __init__(self) -> None:
        self.recoveries: list[tuple[float, int]] = []
        self.errors = 0

    def on_db_error(self, error: object) -> None:
        self.errors += 1

    def on_db_recovered(self, outage_s: float, errors: int) -> None:
        self.recoveries.append((outage_s, errors))


def outage_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "orchestrator.runtime.db" and r.levelno >= logging.WARNING
    ]


def test_a_flapping_database_is_one_outage_two_lines(caplog: pytest.LogCaptureFixture) -> None:
    """Observed on 0.2: 154 WARNING lines in 60 s on a full disk (writes failed, reads
    answered, and every answer ended the outage). Now: one line when it starts, one when
    the database has answered for the settle time without a failure."""
    caplog.set_level(logging.DEBUG)
    clock, events = FakeClock(), Recovered()
    outage = OutageLog(events, settle_s=10.0, clock=clock)
    disk_full = TransientDbError("DiskFull: could not extend file", "53100")
    lost = ConnectionLostError("OperationalError: server closed the connection", None)
    for i in range(301):  # 60 s of a write failing and a read answering, by turns
        clock.now = i * 0.2
        if i % 2:
            outage.succeeded()
        else:
            outage.failed(lost if i == 100 else disk_full)
    assert outage_lines(caplog) == [
        "database unavailable: DiskFull: could not extend file; retrying"
    ]
    clock.now = 61.0
    outage.succeeded()  # the first answer after the last failure (at 60.0)
    clock.now = 70.9
    outage.succeeded()
    assert len(outage_lines(caplog)) == 1, "not yet settled"
    clock.now = 71.0
    outage.succeeded()
    lines = outage_lines(caplog)
    assert len(lines) == 2
    assert lines[1] == (
        "database reachable again after 61.0 s (151 transient errors: DiskFull, OperationalError;"
        " retried)"
    )
    assert events.recoveries == [(61.0, 151)] and events.errors == 151
    outage.succeeded()
    assert len(outage_lines(caplog)) == 2  # over: nothing more to say


def test_an_outage_answered_before_close_is_reported_over(caplog: pytest.LogCaptureFixture) -> None:
    clock = FakeClock()
    outage = OutageLog(NO_EVENTS, settle_s=10.0, clock=clock)
    outage.flush()
    assert outage_lines(caplog) == []
    outage.failed(TransientDbError("OperationalError: refused"))
    clock.now = 2.5
    outage.succeeded()
    outage.flush()  # --once ends within the settle time
    assert outage_lines(caplog)[1].startswith("database reachable again after 2.5 s")
    outage.failed(PermanentDbError("authentication failed", "fix it"))
    assert len(outage_lines(caplog)) == 2, "a permanent error is not an outage"


def test_the_pool_shares_the_ceiling_with_listen() -> None:
    assert pool_share(4, listen=True) == 3
    assert pool_share(4, listen=False) == 4
    assert pool_share(2, listen=True) == 1


@pytest.mark.parametrize(
    ("deployed", "ok"),
    [
        ("0.3.0", True),
        ("0.3.1", True),
        ("0.4.0-rc1", True),
        ("1.0", True),
        ("0.2.9", False),
        ("0.2", False),
        ("", False),
    ],
)
def test_versions_compare_by_number(deployed: str, ok: bool) -> None:
    assert is_new_enough(deployed, "0.3.0") is ok


def test_the_handshake_names_the_deployed_release_and_the_fix() -> None:
    assert REQUIRED_PACKAGE_VERSION == "0.3.0"
    check_deployed("0.3.0", has_schema=True, has_batch_reports=True)
    check_deployed(None, has_schema=False, has_batch_reports=False)  # the settings query says
    with pytest.raises(VersionMismatchError) as older:
        check_deployed(None, has_schema=True, has_batch_reports=True)
    line = "database at 0.2.0, this worker needs 0.3.0: run orchestrator db deploy"
    assert older.value.message == line
    assert describe(older.value).line == line and describe(older.value).code == 2
    with pytest.raises(VersionMismatchError, match=r"database at 0\.1\.0"):
        check_deployed(None, has_schema=True, has_batch_reports=False)
    with pytest.raises(VersionMismatchError, match=r"database at 0\.2\.5,"):
        check_deployed("0.2.5", has_schema=True, has_batch_reports=True)
