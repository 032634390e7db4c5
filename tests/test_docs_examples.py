"""The SQL examples in docs/ are executed here, against the local auth schema."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg.types.json import Jsonb

from orchestrator.tooling import localdb
from orchestrator.tooling.sqitch import PROJECT_ROOT

HOOK_SQL = PROJECT_ROOT / "docs" / "examples" / "custom_access_token_hook.sql"


def _call_hook(conn: psycopg.Connection[Any], user_id: uuid.UUID) -> dict[str, Any]:
    conn.execute("SET LOCAL ROLE supabase_auth_admin")
    row = conn.execute(
        "SELECT public.custom_access_token_hook(%s)",
        (
            Jsonb(
                {"user_id": str(user_id), "claims": {"sub": str(user_id), "role": "authenticated"}}
            ),
        ),
    ).fetchone()
    conn.execute("RESET ROLE")
    assert row is not None
    claims: dict[str, Any] = row[0]["claims"]
    return claims


def test_custom_access_token_hook_adds_org_and_role_claims(cluster: localdb.LocalCluster) -> None:
    with psycopg.connect(cluster.dsn(user=localdb.SUPERUSER)) as conn:
        # supabase_auth_admin exists on Supabase; locally the test creates it.
        conn.execute(
            "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'supabase_auth_admin')"
            " THEN CREATE ROLE supabase_auth_admin NOLOGIN; END IF; END $$"
        )
        # On Supabase it owns the auth schema; locally give it the same reach.
        conn.execute("GRANT USAGE ON SCHEMA auth TO supabase_auth_admin")
        conn.execute("GRANT SELECT ON auth.users TO supabase_auth_admin")
        conn.execute("SET LOCAL ROLE postgres")
        conn.execute(HOOK_SQL.read_text().encode())
        conn.execute("RESET ROLE")
        member, admin, outsider = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        org_a, org_b = uuid.uuid4(), uuid.uuid4()
        for uid, meta in (
            (member, {"active_org_id": str(org_b)}),
            (admin, {"global_admin": True}),
            (outsider, {}),
        ):
            conn.execute(
                "INSERT INTO auth.users (id, raw_app_meta_data) VALUES (%s, %s)",
                (uid, json.dumps(meta)),
            )
        conn.execute(
            "INSERT INTO integration_ops.org_members (org_id, user_id, role) VALUES"
            " (%s, %s, 'admin'), (%s, %s, 'viewer'), (%s, %s, 'coordinator')",
            (org_a, member, org_b, member, org_a, admin),
        )

        claims = _call_hook(conn, member)
        assert claims["org_id"] == str(org_b), "active_org_id wins when the user is a member"
        assert "user_role" not in claims

        claims = _call_hook(conn, admin)
        assert claims["org_id"] == str(org_a)
        assert claims["user_role"] == "global_admin"

        claims = _call_hook(conn, outsider)
        assert "org_id" not in claims and "user_role" not in claims

        denied = conn.execute(
            "SELECT has_function_privilege('authenticated', "
            "'public.custom_access_token_hook(jsonb)', 'execute')"
        ).fetchone()
        assert denied == (False,)
        conn.rollback()


DOCS = [PROJECT_ROOT / "docs" / "supabase.md", PROJECT_ROOT / "docs" / "operations.md"]
SKIP_MARK = "<!-- docs-test: skip"

# What a Supabase project has and this machine lacks, for the snippets to run against:
# pg_net and Vault stand-ins, a pair to switch to pg_net, an adopter's membership table.
SNIPPET_SETUP = """
SELECT tests.install_pg_net_standin();
SELECT tests.install_vault_standin();
INSERT INTO public.organization_integrations (org_id, integration_type, endpoint_url)
VALUES ('0a000000-0000-4000-8000-00000000000a', 'bufdir', 'http://127.0.0.1:9/sync')
ON CONFLICT DO NOTHING;
CREATE TABLE public.my_memberships (org_id uuid, user_id uuid, role text);
GRANT SELECT ON public.my_memberships TO postgres;
"""


def sql_blocks(path: Path) -> list[tuple[int, str]]:
    """(line number, text) of every ```sql block not marked with the skip comment."""
    blocks: list[tuple[int, str]] = []
    lines = path.read_text().splitlines()
    i = 0
    while i < len(lines):
        if lines[i].strip() == "```sql":
            start = i
            body: list[str] = []
            i += 1
            while lines[i].strip() != "```":
                body.append(lines[i])
                i += 1
            skipped = start > 0 and lines[start - 1].startswith(SKIP_MARK)
            if not skipped:
                blocks.append((start + 1, "\n".join(body)))
        i += 1
    return blocks


def test_docs_sql_blocks_run(cluster: localdb.LocalCluster) -> None:
    blocks = [(doc, line, text) for doc in DOCS for line, text in sql_blocks(doc)]
    assert len(blocks) >= 5, "expected the SQL examples of docs/supabase.md and operations.md"
    failures = []
    with psycopg.connect(cluster.dsn(user=localdb.SUPERUSER)) as conn:
        for doc, line, text in blocks:
            try:
                conn.execute(SNIPPET_SETUP.encode())
                conn.execute("SET LOCAL ROLE postgres")
                conn.execute(text.encode())
            except psycopg.Error as exc:
                failures.append(f"{doc.name}:{line}: {exc}")
            finally:
                conn.rollback()
    assert failures == []


def test_docs_pg_net_example_switches_delivery(cluster: localdb.LocalCluster) -> None:
    """The pg_net snippet really changes the pair (its UPDATE matches the setup's row)."""
    (line, text) = next((ln, t) for ln, t in sql_blocks(DOCS[0]) if "vault.create_secret" in t)
    with psycopg.connect(cluster.dsn(user=localdb.SUPERUSER)) as conn:
        conn.execute(SNIPPET_SETUP.encode())
        conn.execute("SET LOCAL ROLE postgres")
        conn.execute(text.encode())
        row = conn.execute(
            "SELECT delivery FROM public.organization_integrations"
            " WHERE org_id = '0a000000-0000-4000-8000-00000000000a' AND integration_type = 'bufdir'"
        ).fetchone()
        conn.rollback()
    assert row == ("pg_net",), f"docs/supabase.md:{line}"


APP_DOC = PROJECT_ROOT / "docs" / "app.md"


def test_app_doc_database_trigger_starts_a_sync_as_service_role(
    cluster: localdb.LocalCluster,
) -> None:
    """docs/app.md "Starting a sync from the database": closing a period as a signed-in
    viewer starts the org's export as service_role; a second close while it is pending is
    not an error; an org without the integration gets its contract code and no row."""
    (text,) = [t for _, t in sql_blocks(APP_DOC) if "start_period_export" in t]
    org, other, viewer = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    claims = json.dumps({"sub": str(viewer), "role": "authenticated", "org_id": str(org)})
    with psycopg.connect(cluster.dsn(user=localdb.SUPERUSER)) as conn:
        conn.execute("SET LOCAL ROLE postgres")
        conn.execute(text.encode())
        conn.execute("GRANT USAGE ON SCHEMA app TO authenticated")
        conn.execute("GRANT INSERT ON app.closed_periods TO authenticated")
        conn.execute(
            "INSERT INTO public.organization_integrations (org_id, integration_type, endpoint_url)"
            " VALUES (%s, 'xledger', 'https://erp.example.com/sync')",
            (org,),
        )
        conn.execute("RESET ROLE")
        conn.execute(
            "SELECT set_config('role', 'authenticated', true),"
            " set_config('request.jwt.claims', %s, true)",
            (claims,),
        )
        for period in ("2026-10-01", "2026-11-01"):
            conn.execute(
                "INSERT INTO app.closed_periods (org_id, period) VALUES (%s, %s)", (org, period)
            )
        with pytest.raises(psycopg.Error) as refused, conn.transaction():
            conn.execute(
                "INSERT INTO app.closed_periods (org_id, period) VALUES (%s, '2026-11-01')",
                (other,),
            )
        assert refused.value.diag.sqlstate == "PT404"
        assert refused.value.diag.message_primary == "integration_not_configured"
        conn.execute("RESET ROLE")
        runs = conn.execute(
            "SELECT status, triggered_by, triggered_by_user_id FROM public.sync_run_log"
            " WHERE org_id IN (%s, %s)",
            (org, other),
        ).fetchall()
        assert runs == [("pending", "manual", None)]
        audit = conn.execute(
            "SELECT actor, action, user_id FROM integration_ops.sync_trigger_audit"
            " WHERE org_id = %s",
            (org,),
        ).fetchall()
        assert audit == [("service_role", "trigger", None)]
        assert conn.execute(
            "SELECT count(*) FROM app.closed_periods WHERE org_id = %s", (other,)
        ).fetchone() == (0,)
        conn.rollback()
