"""One object, one change, one file (issue 25), and docs/objects.md says so.

Every function, procedure, table, index, trigger and pg_cron job of the package in the
freshly deployed test database is created by exactly one live deploy script (the newest
script of a change; a reworked change's `<change>@<tag>.sql` copies are its history), and
that script's change is named after the object. docs/objects.md is generated from the same
catalog and sqitch.plan (`make objects`) and must be current.
"""

from __future__ import annotations

import psycopg

from orchestrator.tooling import localdb, objects
from orchestrator.tooling.objects import DbObject, Plan, catalog_objects, created_objects, problems


def deployed_objects(cluster: localdb.LocalCluster) -> list[DbObject]:
    with psycopg.connect(cluster.dsn(user=localdb.SUPERUSER)) as conn:
        return catalog_objects(conn)


def test_every_object_is_created_by_the_change_named_after_it(
    cluster: localdb.LocalCluster,
) -> None:
    found = deployed_objects(cluster)
    kinds = {o.kind for o in found}
    assert kinds == {"function", "procedure", "table", "index", "trigger", "cron job"}, kinds
    wrong = problems(found, Plan.read())
    assert not wrong, "\n".join(wrong)


def test_docs_objects_md_is_current(cluster: localdb.LocalCluster) -> None:
    text = objects.render(deployed_objects(cluster), Plan.read())
    current = objects.INDEX_FILE.read_text() if objects.INDEX_FILE.exists() else ""
    assert current == text, "docs/objects.md is stale: run `make objects` and commit it"


def test_the_scanner_finds_what_a_script_creates() -> None:
    """The static side of the check sees every form the deploy scripts use (and not a
    routine's body, a comment or a string)."""
    script = """
BEGIN;
-- CREATE INDEX commented_idx ON public.t (a);
CREATE OR REPLACE FUNCTION integration_ops.f(a int) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE 'CREATE INDEX inside_a_body_idx ON public.t (a)';
  CREATE TEMP TABLE scratch (a int);
END
$$;
CREATE PROCEDURE "integration_ops"."P"() LANGUAGE sql AS 'SELECT 1';
CREATE TABLE IF NOT EXISTS integration_ops.t (a int);
CREATE UNIQUE INDEX IF NOT EXISTS t_a_key ON integration_ops.t (a);
CREATE INDEX t_c_new_idx ON public.t (c);
ALTER INDEX public.t_c_new_idx RENAME TO t_c_idx;
/* CREATE TABLE public.not_this (a int); */
DO $$
BEGIN
  CREATE INDEX t_b_idx ON public.t (b);  -- inside a DO block
END
$$;
DROP TRIGGER IF EXISTS t_touch ON public.t;
CREATE TRIGGER t_touch BEFORE UPDATE OF a, b ON public.t
  FOR EACH ROW WHEN (NEW.a IS DISTINCT FROM OLD.a) EXECUTE FUNCTION integration_ops.f();
CREATE CONSTRAINT TRIGGER t_check AFTER INSERT ON integration_ops.t
  DEFERRABLE FOR EACH ROW EXECUTE FUNCTION integration_ops.f();
SELECT cron.schedule('integration_job', '* * * * *', $$SELECT 1$$);
COMMENT ON TABLE integration_ops.t IS 'CREATE TABLE public.in_a_string (a int)';
COMMIT;
"""
    assert created_objects(script) == [
        DbObject("function", "integration_ops.f"),
        DbObject("procedure", "integration_ops.P"),
        DbObject("table", "integration_ops.t"),
        DbObject("index", "integration_ops.t_a_key"),
        DbObject("index", "public.t_c_new_idx"),
        DbObject("index", "public.t_c_idx"),
        DbObject("index", "public.t_b_idx"),
        DbObject("trigger", "public.t.t_touch"),
        DbObject("trigger", "integration_ops.t.t_check"),
        DbObject("cron job", "integration_job"),
    ]
    assert [o.change for o in created_objects(script)] == [
        "function_f",
        "procedure_P",
        "table_t",
        "index_t_a",
        "index_t_c_new",
        "index_t_c",
        "index_t_b",
        "trigger_t_touch",
        "trigger_t_check",
        "cron_job_job",
    ]


def test_problems_name_each_breach() -> None:
    """A container change that still creates another change's object, an object created
    twice, one nobody creates, and a stale creation are each reported."""
    made = {
        DbObject("table", "public.t"): ["table_t"],
        DbObject("index", "public.t_a_idx"): ["table_t"],
        DbObject("function", "public.f"): ["function_f", "table_t"],
        DbObject("index", "public.gone_idx"): ["table_t"],
    }
    catalog = [
        DbObject("table", "public.t"),
        DbObject("index", "public.t_a_idx"),
        DbObject("function", "public.f"),
        DbObject("trigger", "public.t.t_orphan"),
    ]
    assert objects.problems_of(catalog, made) == [
        "index public.t_a_idx: created by table_t, not by index_t_a",
        "function public.f: created by 2 changes: function_f, table_t",
        "trigger public.t.t_orphan: created by no live deploy script",
        "index public.gone_idx: created by table_t, not in the database",
    ]
