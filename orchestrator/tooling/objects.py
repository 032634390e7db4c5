"""docs/objects.md: every object of the package, the change that creates it, and its files.

One object, one change, one file (issue 25): every function, procedure, table, index,
trigger and pg_cron job is created by the change named after it, and redefined only by
reworks of that change. This module lists the objects from the catalog of a freshly
deployed database, finds the live deploy scripts that create each one (the newest script
of every change of sqitch.plan; a reworked change's earlier scripts, `<change>@<tag>.sql`,
are its rework copies) and writes the index.

    python -m orchestrator.tooling.objects            # a throwaway cluster, the plan deployed
    python -m orchestrator.tooling.objects --dsn DSN  # a database where the plan is deployed
    make objects

`tests/test_objects_index.py` regenerates the index from the test cluster and fails when
docs/objects.md is stale, when an object is created by no live deploy script or by more
than one, or by a change of another name.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .bundle import _code_start, top_level_statements
from .plan import plan_steps
from .sqitch import PROJECT_ROOT

INDEX_FILE = PROJECT_ROOT / "docs" / "objects.md"
SCHEMAS = ("public", "integration_ops")
CRON_PREFIX = "integration_"


@dataclass(frozen=True, order=True)
class DbObject:
    """`kind`: function, procedure, table, index, trigger or cron job. `name`: schema-
    qualified (`integration_ops.clock`); an index by its schema (`public.x_idx`); a trigger
    as `<schema>.<table>.<trigger>`; a cron job by its job name."""

    kind: str
    name: str

    @property
    def base(self) -> str:
        return self.name.rsplit(".", 1)[-1]

    @property
    def change(self) -> str:
        """The change named after the object (the rule of docs/conventions.md)."""
        if self.kind in ("function", "procedure", "table", "trigger"):
            return f"{self.kind}_{self.base}"
        if self.kind == "index":
            return "index_" + re.sub(r"_(idx|key)$", "", self.base)
        if self.kind == "cron job":
            return "cron_job_" + self.base.removeprefix(CRON_PREFIX)
        raise ValueError(f"unknown kind {self.kind}")


CATALOG_SQL = r"""
WITH ns AS (
  SELECT oid, nspname FROM pg_catalog.pg_namespace WHERE nspname = ANY(%(schemas)s)
), ext AS (
  SELECT objid FROM pg_catalog.pg_depend WHERE deptype = 'e'
), tab AS (
  SELECT c.oid, ns.nspname, c.relname FROM pg_catalog.pg_class AS c
    JOIN ns ON ns.oid = c.relnamespace
   WHERE c.relkind IN ('r', 'p') AND c.oid NOT IN (SELECT objid FROM ext)
)
SELECT CASE p.prokind WHEN 'p' THEN 'procedure' ELSE 'function' END,
       ns.nspname || '.' || p.proname
  FROM pg_catalog.pg_proc AS p JOIN ns ON ns.oid = p.pronamespace
 WHERE p.prokind IN ('f', 'p') AND p.oid NOT IN (SELECT objid FROM ext)
UNION
SELECT 'table', tab.nspname || '.' || tab.relname FROM tab
UNION
SELECT 'index', tab.nspname || '.' || c.relname
  FROM pg_catalog.pg_index AS i
  JOIN tab ON tab.oid = i.indrelid
  JOIN pg_catalog.pg_class AS c ON c.oid = i.indexrelid
 WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_constraint AS k   -- a constraint's index is
                    WHERE k.conindid = i.indexrelid            -- its table's
                      AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x'))
UNION
SELECT 'trigger', tab.nspname || '.' || tab.relname || '.' || t.tgname
  FROM pg_catalog.pg_trigger AS t JOIN tab ON tab.oid = t.tgrelid
 WHERE NOT t.tgisinternal
"""
CRON_SQL = "SELECT 'cron job', jobname FROM cron.job WHERE jobname LIKE %(prefix)s"


def catalog_objects(conn: Any) -> list[DbObject]:
    """The package's objects in a database (a psycopg connection): functions, procedures,
    tables (not an extension's), their indexes (not a constraint's) and triggers, in the
    schemas public and integration_ops, and the pg_cron jobs `integration_%`."""
    rows = conn.execute(CATALOG_SQL, {"schemas": list(SCHEMAS)}).fetchall()
    if conn.execute("SELECT to_regclass('cron.job') IS NOT NULL").fetchone()[0]:
        rows += conn.execute(CRON_SQL, {"prefix": CRON_PREFIX.replace("_", r"\_") + "%"})
    return sorted({DbObject(kind, name) for kind, name in rows})


# --- what the live deploy scripts create --------------------------------------------------

_NAME = r'(?:"[^"]+"|[\w$]+)(?:\s*\.\s*(?:"[^"]+"|[\w$]+))?'
_ROUTINE = re.compile(rf"CREATE\s+(?:OR\s+REPLACE\s+)?(FUNCTION|PROCEDURE)\s+({_NAME})", re.I)
_CREATES = re.compile(
    rf"""\bCREATE\s+(?:OR\s+REPLACE\s+)?(?:
          (?:UNLOGGED\s+)?(?P<table>TABLE)\s+(?:IF\s+NOT\s+EXISTS\s+)?(?P<tname>{_NAME})
        | (?:UNIQUE\s+)?(?P<index>INDEX)\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?
            (?P<iname>{_NAME})\s+ON\s+(?:ONLY\s+)?(?P<itable>{_NAME})
        | (?:CONSTRAINT\s+)?(?P<trigger>TRIGGER)\s+(?P<gname>{_NAME})\s.*?\bON\s+(?P<gtable>{_NAME})
        )""",
    re.I | re.X | re.S,
)
_RENAME = re.compile(
    rf"\bALTER\s+INDEX\s+(?:IF\s+EXISTS\s+)?(?P<old>{_NAME})\s+RENAME\s+TO\s+(?P<new>{_NAME})",
    re.I,
)
_CRON = re.compile(r"\bcron\s*\.\s*schedule\s*\(\s*(?:job_name\s*=>\s*)?'([^']+)'", re.I)


def _ident(name: str) -> str:
    parts = [p.strip() for p in name.split(".")]
    return ".".join(p[1:-1] if p.startswith('"') else p.lower() for p in parts)


def _qualified(name: str, default_schema: str = "public") -> str:
    ident = _ident(name)
    return ident if "." in ident else f"{default_schema}.{ident}"


def without_comments(code: str, *, strings: bool = True) -> str:
    """`code` with its `--` and `/* */` comments blanked, and the text of its quoted
    strings too unless `strings`. Dollar-quoted bodies are scanned like the rest (PL/pgSQL
    comments and strings are comments and strings too)."""
    out: list[str] = []
    i, n = 0, len(code)
    while i < n:
        if code.startswith("--", i):
            end = code.find("\n", i)
            i = n if end < 0 else end
            out.append(" ")
        elif code.startswith("/*", i):
            end = code.find("*/", i + 2)
            i = n if end < 0 else end + 2
            out.append(" ")
        elif code[i] == "'":
            end = i + 1
            while end < n and not (code[end] == "'" and not code.startswith("''", end)):
                end += 2 if code.startswith("''", end) else 1
            out.append(code[i : end + 1] if strings else "''")
            i = end + 1
        else:
            out.append(code[i])
            i += 1
    return "".join(out)


def created_objects(script: str) -> list[DbObject]:
    """The objects a deploy script creates (or replaces): routines by their CREATE
    statement's header (their bodies are not searched), tables, indexes and triggers by
    their CREATE statements anywhere else, also inside DO blocks (an index also by the
    name an `ALTER INDEX … RENAME TO` gives it), and pg_cron jobs by
    `cron.schedule('<name>', …)`."""
    found: list[DbObject] = []
    for start, end in top_level_statements(script):
        statement = script[_code_start(script, start) : end]
        code = without_comments(statement, strings=False)
        routine = _ROUTINE.match(code)
        if routine is not None:
            found.append(DbObject(routine.group(1).lower(), _qualified(routine.group(2))))
            continue
        for m in _CREATES.finditer(code):
            if m.group("table"):
                found.append(DbObject("table", _qualified(m.group("tname"))))
            elif m.group("index"):
                schema = _qualified(m.group("itable")).split(".")[0]
                found.append(DbObject("index", f"{schema}.{_ident(m.group('iname'))}"))
            else:
                table = _qualified(m.group("gtable"))
                found.append(DbObject("trigger", f"{table}.{_ident(m.group('gname'))}"))
        for m in _RENAME.finditer(code):  # an index built under a name, then renamed
            schema = _qualified(m.group("old")).split(".")[0]
            found.append(DbObject("index", f"{schema}.{_ident(m.group('new'))}"))
        jobs = _CRON.findall(without_comments(statement))
        found += [DbObject("cron job", job) for job in jobs]
    return found


@dataclass(frozen=True)
class Plan:
    """The changes of sqitch.plan with their live deploy script (the newest occurrence's:
    `<change>.sql`; the earlier ones run the frozen `<change>@<tag>.sql` copies)."""

    root: Path
    live: dict[str, str]  # change -> stem of its live deploy script

    @classmethod
    def read(cls, root: Path = PROJECT_ROOT) -> Plan:
        return cls(root, dict(plan_steps(root / "sqitch.plan")))

    def released_copies(self) -> dict[DbObject, list[str]]:
        """Each object -> the frozen `<change>@<tag>` deploy scripts that create it (its own
        change's earlier releases, or the released scripts of the change that created it
        before it had its own)."""
        made: dict[DbObject, list[str]] = defaultdict(list)
        for path in sorted((self.root / "deploy").glob("*@*.sql")):
            for obj in dict.fromkeys(created_objects(path.read_text())):
                made[obj].append(path.stem)
        return dict(made)

    def creators(self) -> dict[DbObject, list[str]]:
        """Each object created by a live deploy script -> the changes whose script does."""
        made: dict[DbObject, list[str]] = defaultdict(list)
        for change, stem in self.live.items():
            script = (self.root / "deploy" / f"{stem}.sql").read_text()
            for obj in dict.fromkeys(created_objects(script)):
                made[obj].append(change)
        return dict(made)


def problems(objects: Iterable[DbObject], plan: Plan) -> list[str]:
    """Every breach of the rule: a catalog object created by no live deploy script, by
    several, or by a change of another name; a live script creating an object the
    deployed database does not have (a stale definition)."""
    return problems_of(objects, plan.creators())


def problems_of(objects: Iterable[DbObject], made: dict[DbObject, list[str]]) -> list[str]:
    """`problems` for the objects each live script creates (`Plan.creators`)."""
    objects = list(objects)
    out: list[str] = []
    for obj in objects:
        by = made.get(obj, [])
        if not by:
            out.append(f"{obj.kind} {obj.name}: created by no live deploy script")
        elif len(by) > 1:
            out.append(f"{obj.kind} {obj.name}: created by {len(by)} changes: {', '.join(by)}")
        elif by[0] != obj.change:
            out.append(f"{obj.kind} {obj.name}: created by {by[0]}, not by {obj.change}")
    present = set(objects)
    for obj, by in sorted(made.items()):
        if obj not in present:
            out.append(f"{obj.kind} {obj.name}: created by {', '.join(by)}, not in the database")
    return out


# --- docs/objects.md -------------------------------------------------------------------------

HEADER = """\
# Objects and the changes that create them

Generated by `make objects` (`python -m orchestrator.tooling.objects`) from the catalog of
a freshly deployed database and `sqitch.plan`; do not edit it by hand.
`tests/test_objects_index.py` fails when this file is stale, and when an object below is
created by no live deploy script, by more than one, or by a change of another name.

**One object, one change, one file** ([conventions](conventions.md#one-object-one-change-one-file)).
Every function, procedure, table, index, trigger and pg_cron job of the package is created
by the change named after it, and redefined only by reworks of that change:

| object | its change |
|---|---|
| function or procedure `s.f` | `function_f`, `procedure_f` |
| table `s.t` | `table_t` (changes that alter it: `table_t_<what>`) |
| index `i` | `index_<i without a trailing _idx or _key>` |
| trigger `tg` | `trigger_tg` |
| pg_cron job `integration_x` | `cron_job_x` |

Constraints, policies, grants and comments belong to their table's or function's change.
The *live deploy file* holds the definition a database gets from this plan. The *released
copies* are frozen scripts of earlier releases that created the object too, which a deploy
runs first: the `<change>@<tag>.sql` rework copies of its own change, or of the change that
created it before it had its own (until 0.3 many were created by a table, trigger or group
change). So `git grep` of an object's name finds its definition in exactly one live deploy
file, plus the released copies listed here.
"""


def render(objects: Iterable[DbObject], plan: Plan) -> str:
    """docs/objects.md for these catalog objects (assumed to follow the rule)."""
    made = plan.creators()
    released = plan.released_copies()
    lines = [
        HEADER,
        "| kind | object | change | live deploy file | released copies (frozen) |",
        "|---|---|---|---|---|",
    ]
    order = {"table": 0, "index": 1, "trigger": 2, "function": 3, "procedure": 4, "cron job": 5}
    for obj in sorted(objects, key=lambda o: (order[o.kind], o.name)):
        by = made.get(obj, [])
        change = by[0] if len(by) == 1 else obj.change
        name = obj.name
        if obj.kind == "trigger":
            schema, table, trigger = name.split(".")
            name = f"{trigger}` on `{schema}.{table}"
        live = plan.live.get(change)
        live_cell = f"[deploy/{live}.sql](../deploy/{live}.sql)" if live else "—"
        copies = ", ".join(f"`{stem}.sql`" for stem in released.get(obj, [])) or "—"
        lines.append(f"| {obj.kind} | `{name}` | `{change}` | {live_cell} | {copies} |")
    return "\n".join(lines) + "\n"


def _deployed_objects(dsn: str | None) -> list[DbObject]:
    import psycopg

    from . import localdb
    from .sqitch import run_sqitch

    if dsn is not None:
        with psycopg.connect(dsn) as conn:
            return catalog_objects(conn)
    with localdb.temporary_cluster() as cluster:
        result = run_sqitch("deploy", cluster.sqitch_target(), capture=True, cwd=PROJECT_ROOT)
        if result.returncode != 0:
            raise SystemExit(f"sqitch deploy failed:\n{result.stdout}\n{result.stderr}")
        with psycopg.connect(cluster.dsn(user=localdb.SUPERUSER)) as conn:
            return catalog_objects(conn)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m orchestrator.tooling.objects", description=__doc__
    )
    parser.add_argument("--dsn", help="a database where the whole plan is deployed")
    parser.add_argument("--check", action="store_true", help="only check; write nothing")
    args = parser.parse_args(argv)
    objects = _deployed_objects(args.dsn)
    plan = Plan.read()
    wrong = problems(objects, plan)
    for line in wrong:
        print(f"objects: {line}", file=sys.stderr)
    text = render(objects, plan)
    if args.check:
        stale = not INDEX_FILE.exists() or INDEX_FILE.read_text() != text
        if stale:
            print(f"objects: {INDEX_FILE.relative_to(PROJECT_ROOT)} is stale", file=sys.stderr)
        return 1 if stale or wrong else 0
    INDEX_FILE.write_text(text)
    print(f"wrote {INDEX_FILE.relative_to(PROJECT_ROOT)}: {len(objects)} objects")
    return 1 if wrong else 0


if __name__ == "__main__":
    raise SystemExit(main())
