"""The SQL examples in docs/ are executed here, against the local auth schema."""

from __future__ import annotations

import json
import uuid
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from orchestrator import localdb
from orchestrator.sqitch import PROJECT_ROOT

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
