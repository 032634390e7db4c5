"""No planted temporary object ever runs as the package's owner (issue 21, DESIGN §13).

`SET search_path = ''` still searches `pg_temp` first for types and relations, so a login
holding only `integration_worker` (or a session acting as `authenticated` or `service_role`)
could create `pg_temp` domains named like the types the package's bodies use, or temporary
relations named like the package's tables, and have code of its own run inside a SECURITY
DEFINER function, as the owner. Every function of the package pins
`search_path = pg_catalog, pg_temp`, which ends that.

Each attacker session here plants, in its own `pg_temp`:
- a domain over every base, range and multirange type of `pg_catalog`, named like it, whose
  CHECK calls `pg_temp.spy()`;
- a view named like every relation of the package and of `pg_catalog` (the same columns),
  whose scan calls `pg_temp.spy()`, with an INSTEAD OF trigger calling it on writes;
and then calls **every** function its role may execute (the test fails when a function has
no sample call below) and reads every table its role may read. `spy()` reports
`current_user` as a NOTICE (notices survive the rollback of a failed call).

A control function with the old `search_path = ''` proves the planting works: there the
spy runs as the owner.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import psycopg
import pytest
from psycopg import sql

from orchestrator.tooling import localdb

Conn = psycopg.Connection[Any]
OWNER = localdb.DEPLOY_USER
SCHEMAS = ("public", "integration_ops")

PLANT_SQL = r"""
CREATE FUNCTION pg_temp.spy() RETURNS boolean LANGUAGE plpgsql AS $spy$
BEGIN
  RAISE NOTICE 'spy:%', current_user;
  RETURN true;
END
$spy$;
CREATE FUNCTION pg_temp.spy_trigger() RETURNS trigger LANGUAGE plpgsql AS $spy$
BEGIN
  PERFORM pg_temp.spy();
  RETURN NULL;
END
$spy$;
DO $plant$
DECLARE
  t record;
  r record;
  cols text;
BEGIN
  -- a domain named like every type the bodies could name without a schema
  FOR t IN
    SELECT typname FROM pg_catalog.pg_type
     WHERE typnamespace = 'pg_catalog'::regnamespace AND typtype IN ('b', 'r', 'm')
       AND typelem = 0 AND typname !~ '^_' AND typisdefined
  LOOP
    BEGIN
      EXECUTE format('CREATE DOMAIN pg_temp.%I AS pg_catalog.%I CHECK (pg_temp.spy())',
                     t.typname, t.typname);
    EXCEPTION WHEN OTHERS THEN
      NULL;  -- a type that cannot carry a domain (none of those a body names)
    END;
  END LOOP;
  -- a view named like every relation of the package and of pg_catalog, same columns
  FOR r IN
    SELECT DISTINCT ON (c.relname) c.oid, c.relname
      FROM pg_catalog.pg_class c
     WHERE c.relnamespace IN ('public'::regnamespace, 'integration_ops'::regnamespace,
                              'pg_catalog'::regnamespace)
       AND c.relkind IN ('r', 'v', 'p', 'm', 'f')
     ORDER BY c.relname
  LOOP
    SELECT string_agg(format('NULL::%s AS %I', pg_catalog.format_type(a.atttypid, a.atttypmod),
                             a.attname), ', ' ORDER BY a.attnum)
      INTO cols
      FROM pg_catalog.pg_attribute a
     WHERE a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped;
    BEGIN
      EXECUTE format('CREATE VIEW pg_temp.%I AS SELECT %s FROM (SELECT 1) AS one'
                     ' WHERE pg_temp.spy()', r.relname,
                     coalesce(cols, 'NULL::pg_catalog.int4 AS x'));
      EXECUTE format('CREATE TRIGGER spy INSTEAD OF INSERT OR UPDATE OR DELETE ON pg_temp.%I'
                     ' FOR EACH ROW EXECUTE FUNCTION pg_temp.spy_trigger()', r.relname);
    EXCEPTION WHEN OTHERS THEN
      NULL;
    END;
  END LOOP;
END
$plant$;
"""


@dataclass(frozen=True)
class Fixture:
    """Committed rows the calls act on: one org with pairs, runs and health rows."""

    org: uuid.UUID
    admin: uuid.UUID
    pending: uuid.UUID
    running: uuid.UUID
    running_2: uuid.UUID
    failed: uuid.UUID


Args = Callable[[Fixture], dict[str, Any]]

# One sample call per function an API role or the worker may execute, by name. Arguments
# are named (as PostgREST sends them); a function missing here fails the test.
CALLS: dict[str, Args] = {
    # public RPCs
    "get_org_health_status": lambda f: {"org_id": f.org},
    "get_global_health_summary": lambda f: {},
    "get_engine_status": lambda f: {},
    "get_health_trend": lambda f: {"org_id": f.org, "integration_type": "xledger", "hours": 24},
    "get_last_run_per_integration": lambda f: {"org_id": f.org},
    "get_run_history": lambda f: {"org_id": f.org, "integration_type": "xledger", "row_limit": 5},
    "trigger_integration_sync": lambda f: {"org_id": f.org, "integration_type": "bufdir"},
    "url_problem": lambda f: {
        "url": "https://erp.example.com/sync",
        "allowed_http_hosts": ["127.0.0.1"],
    },
    "trigger_integration_sync_as_service_role": lambda f: {
        "org_id": f.org,
        "integration_type": "bufdir",
    },
    "retry_sync_run": lambda f: {"run_id": f.failed},
    "configure_integration": lambda f: {
        "org_id": f.org,
        "integration_type": "bufdir",
        "endpoint_url": "https://bufdir.example.com/sync",
    },
    "insert_run_log": lambda f: {
        "org_id": f.org,
        "integration_type": "bufdir",
        "triggered_by": "manual",
    },
    "update_run_log_status": lambda f: {
        "run_id": f.running_2,
        "status": "running",
        "records_processed": 1,
        "records_failed": 0,
        "error_message": "password=hunter2",
    },
    # claim helpers (policies call them)
    "jwt_claims": lambda f: {},
    "uuid_or_null": lambda f: {"value": str(f.org)},
    "jwt_uuid_claim": lambda f: {"claim": "org_id"},
    "jwt_sub": lambda f: {},
    "jwt_org_id": lambda f: {},
    "jwt_org_role": lambda f: {},
    "is_global_admin": lambda f: {},
    "is_service_role": lambda f: {},
    "org_role": lambda f: {"org_id": f.org},
    # worker RPCs
    "get_worker_settings": lambda f: {},
    "package_version": lambda f: {},
    "get_engine_metrics": lambda f: {},
    "clock": lambda f: {},
    "sanitize_error_text": lambda f: {"message": "token=abc Bearer xyz"},
    # the identifier rules (service_role: its direct writes run the checks that call them)
    "is_worker_id": lambda f: {"worker_id": "w-spy"},
    "is_error_code": lambda f: {"error_code": "http_503"},
    "classify_sync_response": lambda f: {
        "status_code": 200,
        "body": '{"records_processed": 1}',
        "transport_error": None,
    },
    "claim_sync_runs": lambda f: {"worker_id": "w-spy", "max_runs": 5},
    "heartbeat_sync_runs": lambda f: {"worker_id": "w-spy", "run_ids": [f.running]},
    "complete_sync_run": lambda f: {
        "run_id": f.running,
        "records_processed": 2,
        "records_failed": 0,
        "worker_id": "w-spy",
    },
    "fail_sync_run": lambda f: {
        "run_id": f.running_2,
        "error_code": "http_500",
        "error_message": "boom password=hunter2",
        "worker_id": "w-spy",
    },
    "finish_sync_runs": lambda f: {
        "worker_id": "w-spy",
        "reports": psycopg.types.json.Jsonb(
            [{"run_id": str(f.running), "status": "completed", "records_processed": 1}]
        ),
    },
    "reap_stale_sync_runs": lambda f: {},
    "dispatch_due_syncs": lambda f: {},
    "get_stale_pending_sync_runs": lambda f: {},
    "reconcile_pg_net_responses": lambda f: {},
    "archive_sync_run_log": lambda f: {},
    "claim_health_checks": lambda f: {"worker_id": "w-spy", "max_checks": 5},
    "record_health_check": lambda f: {
        "org_id": f.org,
        "integration_type": "xledger",
        "status": "degraded",
        "latency_ms": 12,
        "error_message": "slow, apikey=abc",
    },
    "record_sync_outcome_health": lambda f: {
        "org_id": f.org,
        "integration_type": "dynamics",
        "succeeded": False,
        "error_message": "failed",
    },
    "claim_warmups": lambda f: {"worker_id": "w-spy", "max_pairs": 5},
    "record_warmup": lambda f: {
        "org_id": f.org,
        "integration_type": "xledger",
        "http_status": 200,
        "worker_id": "w-spy",
    },
    "mark_cold_start": lambda f: {
        "run_id": f.running,
        "error_code": "timeout",
        "worker_id": "w-spy",
    },
    # operations (service_role)
    "send_pg_net_warmups": lambda f: {"lookahead": "30 seconds"},
    "refresh_alerts": lambda f: {},
    "compute_engine_stats": lambda f: {"as_of": "2026-01-01T00:00:00Z"},
    "refresh_engine_stats": lambda f: {},
}


def executable(conn: Conn, role: str) -> list[tuple[str, str, list[str]]]:
    """(schema, name, argument names) of every package function `role` may execute."""
    rows = conn.execute(
        """SELECT n.nspname, p.proname, coalesce(p.proargnames, '{}')
             FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = ANY(%s) AND p.prokind = 'f'
              AND pg_catalog.has_function_privilege(%s, p.oid, 'EXECUTE')
            ORDER BY 1, 2""",
        (list(SCHEMAS), role),
    ).fetchall()
    return [(r[0], r[1], list(r[2])) for r in rows]


def readable_tables(conn: Conn, role: str) -> list[str]:
    rows = conn.execute(
        """SELECT format('%%I.%%I', n.nspname, c.relname)
             FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = ANY(%s) AND c.relkind IN ('r', 'v', 'p')
              AND pg_catalog.has_table_privilege(%s, c.oid, 'SELECT')
            ORDER BY 1""",
        (list(SCHEMAS), role),
    ).fetchall()
    return [r[0] for r in rows]


def seed(admin: Conn) -> Fixture:
    org = uuid.uuid4()
    identifier = f"shadow_{org.hex[:12]}"
    admin.execute("SELECT tests.add_member(%s, %s, 'admin')", (org, identifier))
    user = admin.execute("SELECT tests.get_user_id(%s)", (identifier,)).fetchone()
    assert user is not None
    admin.execute(
        """INSERT INTO public.organization_integrations
             (org_id, integration_type, sync_interval, next_sync_at, endpoint_url, health_mode,
              warmup_url)
           VALUES (%(o)s, 'xledger', '1 hour', now() - interval '1 minute',
                   'http://127.0.0.1:9/x', 'active', 'http://127.0.0.1:9/warm'),
                  (%(o)s, 'dynamics', NULL, NULL, 'http://127.0.0.1:9/d', 'passive', NULL),
                  (%(o)s, 'bufdir', '1 hour', NULL, 'http://127.0.0.1:9/b', 'active', NULL)""",
        {"o": org},
    )
    admin.execute(
        "SELECT integration_ops.record_health_check(%s, 'xledger', 'healthy', 9, NULL)", (org,)
    )
    ids = [uuid.uuid4() for _ in range(4)]
    admin.execute(
        """INSERT INTO public.sync_run_log
             (id, org_id, integration_type, status, triggered_by, worker_id, heartbeat_at,
              ended_at, error_code, idempotency_key)
           VALUES (%(p)s, %(o)s, 'xledger', 'pending', 'manual', NULL, NULL, NULL, NULL, NULL),
                  (%(r)s, %(o)s, 'dynamics', 'running', 'manual', 'w-spy', now(), NULL, NULL,
                   NULL),
                  (%(f)s, %(o)s, 'bufdir', 'failed', 'manual', 'w-spy', now(),
                   now() - interval '1 hour', 'http_503', NULL)""",
        {"o": org, "p": ids[0], "r": ids[1], "f": ids[3]},
    )
    return Fixture(org, user[0], ids[0], ids[1], ids[2], ids[3])


def remove(admin: Conn, fixture: Fixture) -> None:
    for table in (
        "public.sync_run_log",
        "integration_ops.sync_run_log_archive",
        "public.integration_health_history",
        "public.integration_health_status",
        "public.organization_integrations",
        "integration_ops.org_members",
        "integration_ops.integration_warmups",
        "integration_ops.alerts",
    ):
        if admin.execute("SELECT to_regclass(%s)", (table,)).fetchone() != (None,):
            admin.execute(
                sql.SQL("DELETE FROM {} WHERE org_id = %s").format(sql.SQL(table)), (fixture.org,)
            )


@pytest.fixture()
def fixture(admin_conn: Conn, cron_paused: None) -> Iterator[Fixture]:
    f = seed(admin_conn)
    try:
        yield f
    finally:
        remove(admin_conn, f)


@dataclass(frozen=True)
class Attacker:
    """How a session of one role is opened: the login, then what PostgREST would set."""

    name: str
    login: str
    role: str | None
    claims: Callable[[Fixture], str | None]


ATTACKERS = (
    Attacker("worker login", "worker_login", None, lambda f: None),
    Attacker(
        "authenticated org admin",
        "authenticator",
        "authenticated",
        lambda f: f'{{"sub": "{f.admin}", "role": "authenticated", "org_id": "{f.org}"}}',
    ),
    Attacker(
        "authenticated global admin",
        "authenticator",
        "authenticated",
        lambda f: f'{{"sub": "{f.admin}", "role": "authenticated", "user_role": "global_admin"}}',
    ),
    Attacker("service_role", "authenticator", "service_role", lambda f: '{"role": "service_role"}'),
)


class Spy:
    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self, diag: psycopg.errors.Diagnostic) -> None:
        text = diag.message_primary or ""
        if text.startswith("spy:"):
            self.seen.append(text[4:])


def open_session(cluster: localdb.LocalCluster, attacker: Attacker) -> tuple[Conn, Spy]:
    conn = psycopg.connect(cluster.dsn(user=attacker.login))
    spy = Spy()
    conn.add_notice_handler(spy)
    return conn, spy


def act_as(conn: Conn, attacker: Attacker, fixture: Fixture) -> None:
    if attacker.role:
        conn.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(attacker.role)))
    claims = attacker.claims(fixture)
    if claims:
        conn.execute("SELECT set_config('request.jwt.claims', %s, false)", (claims,))


def call(conn: Conn, schema: str, name: str, args: dict[str, Any]) -> str | None:
    """Call one function with named arguments inside a savepoint; its error code, if any."""
    query = sql.SQL("SELECT * FROM {}.{}({})").format(
        sql.Identifier(schema),
        sql.Identifier(name),
        sql.SQL(", ").join(
            sql.SQL("{} => {}").format(sql.Identifier(k), sql.Placeholder(k)) for k in args
        ),
    )
    try:
        with conn.transaction():
            conn.execute(query, args).fetchall()
    except psycopg.Error as exc:
        return exc.sqlstate
    return None


def test_the_planting_reaches_the_owner_through_an_empty_search_path(
    cluster: localdb.LocalCluster, admin_conn: Conn, fixture: Fixture
) -> None:
    """Control: a definer function with the old `search_path = ''` runs the planted spy as
    its owner; so when the package's functions do not, it is the search path that holds."""
    owner = psycopg.connect(cluster.dsn(user=OWNER), autocommit=True)
    with owner:
        owner.execute(
            """CREATE FUNCTION public.shadow_control() RETURNS integer
               LANGUAGE plpgsql SECURITY DEFINER SET search_path = '' AS $$
               DECLARE v text := 'x'; BEGIN RETURN length(v); END $$"""
        )
        owner.execute("GRANT EXECUTE ON FUNCTION public.shadow_control() TO integration_worker")
        try:
            conn, spy = open_session(cluster, ATTACKERS[0])
            with conn:
                conn.execute(PLANT_SQL)
                assert call(conn, "public", "shadow_control", {}) is None
            assert OWNER in spy.seen, "the planted domain runs as the owner under ''"
        finally:
            owner.execute("DROP FUNCTION public.shadow_control()")


@pytest.mark.parametrize("attacker", ATTACKERS, ids=lambda a: a.name)
def test_nothing_planted_in_pg_temp_runs_as_the_owner(
    cluster: localdb.LocalCluster, admin_conn: Conn, fixture: Fixture, attacker: Attacker
) -> None:
    role = attacker.role or "integration_worker"
    functions = executable(admin_conn, role)
    missing = sorted({name for _, name, _ in functions} - set(CALLS))
    assert not missing, f"no sample call for {missing}: add one to CALLS"

    conn, spy = open_session(cluster, attacker)
    outcomes: dict[str, str | None] = {}
    with conn:
        act_as(conn, attacker, fixture)
        conn.execute(PLANT_SQL)
        planted = conn.execute(
            "SELECT count(*) FROM pg_catalog.pg_type WHERE typnamespace = pg_my_temp_schema()"
            " AND typtype = 'd'"
        ).fetchone()
        assert planted is not None and planted[0] > 50, "domains are planted"
        for schema, name, _ in functions:
            outcomes[f"{schema}.{name}"] = call(conn, schema, name, CALLS[name](fixture))
        for table in readable_tables(admin_conn, role):
            with conn.transaction():
                conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.SQL(table)))
        conn.rollback()
    assert OWNER not in spy.seen, (
        f"planted pg_temp code ran as {OWNER} ({spy.seen.count(OWNER)} times) for {attacker.name}"
    )
    # the calls reached the bodies: most succeed (a refused one still ran its checks)
    succeeded = [name for name, state in outcomes.items() if state is None]
    assert len(succeeded) >= len(outcomes) // 2, outcomes


def package_tables(conn: Conn) -> list[str]:
    rows = conn.execute(
        """SELECT format('%%I.%%I', n.nspname, c.relname)
             FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = ANY(%s) AND c.relkind IN ('r', 'p')
            ORDER BY 1""",
        (list(SCHEMAS),),
    ).fetchall()
    return [r[0] for r in rows]


@pytest.mark.parametrize("attacker", ATTACKERS, ids=lambda a: a.name)
def test_no_api_role_can_attach_a_trigger_or_truncate(
    cluster: localdb.LocalCluster, admin_conn: Conn, fixture: Fixture, attacker: Attacker
) -> None:
    """A trigger whose function lives in pg_temp would fire inside the definer RPCs, as the
    owner: no API role (nor the worker) holds TRIGGER, TRUNCATE or REFERENCES on a table
    (REFERENCES is read from the catalog: a temporary table cannot reference a permanent one)."""
    tables = package_tables(admin_conn)
    assert "public.sync_run_log" in tables
    conn, _ = open_session(cluster, attacker)
    refused: dict[str, list[str]] = {}
    with conn:
        act_as(conn, attacker, fixture)
        conn.execute(PLANT_SQL)
        for table in tables:
            for statement in (
                "CREATE TRIGGER spy_on BEFORE INSERT OR UPDATE ON {} FOR EACH STATEMENT"
                " EXECUTE FUNCTION pg_temp.spy_trigger()",
                "TRUNCATE {}",
            ):
                state = None
                try:
                    with conn.transaction():
                        conn.execute(sql.SQL(statement).format(sql.SQL(table)))
                except psycopg.Error as exc:
                    state = exc.sqlstate
                refused.setdefault(table, []).append(state or "allowed")
        conn.rollback()
    granted = {
        t: s
        for t, s in refused.items()
        if s != ["42501", "42501"]  # insufficient_privilege for both
    }
    assert not granted, f"{attacker.name} may attach triggers or truncate: {granted}"
    held = admin_conn.execute(
        """SELECT c.oid::regclass::text, p.privilege_type
             FROM pg_catalog.pg_class c
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             CROSS JOIN unnest(ARRAY['TRIGGER', 'TRUNCATE', 'REFERENCES']) AS p(privilege_type)
            WHERE n.nspname = ANY(%s) AND c.relkind IN ('r', 'p')
              AND pg_catalog.has_table_privilege(%s, c.oid, p.privilege_type)""",
        (list(SCHEMAS), attacker.role or "integration_worker"),
    ).fetchall()
    assert held == [], f"{attacker.name} holds {held}"
