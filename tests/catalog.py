"""A fingerprint of the package's catalog, to compare two databases (or one database at two
moments) as sets: a revert to a release against a fresh deploy of that release, an upgraded
database against a fresh deploy of HEAD.

What it holds, for the schemas `public` and `integration_ops` (extension members left out)
and the pg_cron jobs `integration_%`: functions and procedures with their definitions,
owners, ACLs and comments; relations with kind, owner, options, ACL, row-level security,
replica identity and comment; columns with type, nullability, default, generation,
identity, ACL and comment; index definitions and validity; constraints; triggers; policies;
publication membership; the schemas' ACLs and comments; cron jobs by name with schedule,
command, database and user (not `active`: pg_cron jobs are paused by tests and switched by
the warm-up trigger with the data).
"""

from __future__ import annotations

from typing import Any

import psycopg

Row = tuple[str, str, str]


def sorted_acl(acl: str) -> str:
    """An ACL as text in a stable order (grants made in another order compare equal)."""
    return (
        f"(SELECT pg_catalog.string_agg(a::text, ',' ORDER BY a::text)"
        f" FROM pg_catalog.unnest({acl}) AS a)"
    )


def acl(column: str, kind: str, owner: str) -> str:
    """An object's ACL, sorted; NULL (the owner's defaults) read as `acldefault`, so an ACL
    stating exactly the defaults compares equal to none."""
    return sorted_acl(f'coalesce({column}, pg_catalog.acldefault(({kind})::"char", {owner}))')


SEQUENCE_OR_TABLE = "CASE c.relkind WHEN 'S' THEN 's' ELSE 'r' END"

FINGERPRINT_SQL = rf"""
WITH ns AS (
  SELECT oid, nspname FROM pg_catalog.pg_namespace
   WHERE nspname IN ('public', 'integration_ops')
), ext AS (
  SELECT objid, classid FROM pg_catalog.pg_depend WHERE deptype = 'e'
), rel AS (
  SELECT c.* FROM pg_catalog.pg_class AS c JOIN ns ON ns.oid = c.relnamespace
   WHERE NOT EXISTS (SELECT FROM ext WHERE ext.objid = c.oid
                        AND ext.classid = 'pg_catalog.pg_class'::regclass)
)
SELECT 'schema', n.nspname,
       concat_ws(' | ', n.nspowner::regrole::text, {acl("n.nspacl", "'n'", "n.nspowner")},
                 pg_catalog.obj_description(n.oid, 'pg_namespace'))
  FROM ns JOIN pg_catalog.pg_namespace AS n ON n.oid = ns.oid
UNION ALL
SELECT 'routine', p.oid::regprocedure::text,
       concat_ws(' | ', p.proowner::regrole::text, {acl("p.proacl", "'f'", "p.proowner")},
                 pg_catalog.obj_description(p.oid, 'pg_proc'),
                 pg_catalog.pg_get_functiondef(p.oid))
  FROM pg_catalog.pg_proc AS p JOIN ns ON ns.oid = p.pronamespace
 WHERE NOT EXISTS (SELECT FROM ext WHERE ext.objid = p.oid
                      AND ext.classid = 'pg_catalog.pg_proc'::regclass)
UNION ALL
SELECT 'relation', c.oid::regclass::text,
       concat_ws(' | ', c.relkind::text, c.relowner::regrole::text, c.reloptions::text,
                 {acl("c.relacl", SEQUENCE_OR_TABLE, "c.relowner")},
                 c.relrowsecurity::text, c.relforcerowsecurity::text,
                 c.relreplident::text, c.relpersistence::text,
                 pg_catalog.obj_description(c.oid, 'pg_class'))
  FROM rel AS c
UNION ALL
SELECT 'column', c.oid::regclass::text || '.' || a.attname,
       concat_ws(' | ', pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull::text,
                 pg_catalog.pg_get_expr(d.adbin, d.adrelid), a.attgenerated::text,
                 a.attidentity::text, {sorted_acl("a.attacl")},
                 pg_catalog.col_description(c.oid, a.attnum))
  FROM rel AS c
  JOIN pg_catalog.pg_attribute AS a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
  LEFT JOIN pg_catalog.pg_attrdef AS d ON d.adrelid = c.oid AND d.adnum = a.attnum
 WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
UNION ALL
SELECT 'index', i.indexrelid::regclass::text,
       concat_ws(' | ', pg_catalog.pg_get_indexdef(i.indexrelid), i.indisvalid::text,
                 i.indisready::text)
  FROM pg_catalog.pg_index AS i JOIN rel AS c ON c.oid = i.indrelid
UNION ALL
SELECT 'constraint', c.oid::regclass::text || '.' || k.conname,
       concat_ws(' | ', k.contype::text, pg_catalog.pg_get_constraintdef(k.oid),
                 k.convalidated::text, k.condeferrable::text,
                 pg_catalog.obj_description(k.oid, 'pg_constraint'))
  FROM pg_catalog.pg_constraint AS k JOIN rel AS c ON c.oid = k.conrelid
UNION ALL
SELECT 'trigger', c.oid::regclass::text || '.' || t.tgname,
       concat_ws(' | ', pg_catalog.pg_get_triggerdef(t.oid), t.tgenabled::text,
                 pg_catalog.obj_description(t.oid, 'pg_trigger'))
  FROM pg_catalog.pg_trigger AS t JOIN rel AS c ON c.oid = t.tgrelid
 WHERE NOT t.tgisinternal
UNION ALL
SELECT 'policy', c.oid::regclass::text || '.' || p.polname,
       concat_ws(' | ', p.polcmd::text, p.polpermissive::text,
                 (SELECT pg_catalog.string_agg(r::regrole::text, ',' ORDER BY r::regrole::text)
                    FROM pg_catalog.unnest(p.polroles) AS r),
                 pg_catalog.pg_get_expr(p.polqual, p.polrelid),
                 pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid))
  FROM pg_catalog.pg_policy AS p JOIN rel AS c ON c.oid = p.polrelid
UNION ALL
SELECT 'publication', pub.pubname || ' ' || c.oid::regclass::text, ''
  FROM pg_catalog.pg_publication_rel AS pr
  JOIN pg_catalog.pg_publication AS pub ON pub.oid = pr.prpubid
  JOIN rel AS c ON c.oid = pr.prrelid
"""

CRON_SQL = r"""
SELECT 'cron job', jobname, concat_ws(' | ', schedule, command, database, username)
  FROM cron.job WHERE jobname LIKE 'integration\_%'
"""


def catalog_fingerprint(conn: psycopg.Connection[Any]) -> set[Row]:
    """The package's catalog as a set of (kind, name, detail) rows."""
    rows = conn.execute(FINGERPRINT_SQL).fetchall()
    if conn.execute("SELECT to_regclass('cron.job') IS NOT NULL").fetchone() == (True,):
        rows += conn.execute(CRON_SQL).fetchall()
    return {(str(k), str(n), str(d)) for k, n, d in rows}


def fingerprint_diff(expected: set[Row], actual: set[Row], limit: int = 40) -> str:
    """What differs, object by object: '-' only in expected, '+' only in actual."""
    lines = [f"- {r[0]} {r[1]}: {r[2][:400]}" for r in sorted(expected - actual)]
    lines += [f"+ {r[0]} {r[1]}: {r[2][:400]}" for r in sorted(actual - expected)]
    more = len(lines) - limit
    return "\n".join(lines[:limit] + ([f"… and {more} more"] if more > 0 else []))
