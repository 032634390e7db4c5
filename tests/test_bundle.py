"""`orchestrator db bundle`: the plan as one migration file for the Supabase CLI.

The bundle is applied in one transaction to a fresh, separately started cluster (as
Supabase's non-superuser `postgres`), and the whole pgTAP suite runs against it. Only
the scripts' own BEGIN/COMMIT go: the history cleanup procedure keeps the COMMITs in
its body and still commits between batches when deployed from the bundle.
"""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from tap.line import Plan, Result
from tap.parser import Parser

from orchestrator.tooling import localdb
from orchestrator.tooling.bundle import strip_transaction_control
from orchestrator.tooling.sqitch import PROJECT_ROOT

from .cluster_templates import install_test_helpers

PGTAP_DIR = PROJECT_ROOT / "tests" / "pgtap"


def run_pgtap_file(cluster: localdb.LocalCluster, path: Path) -> list[str]:
    """Run one pgTAP file; return the descriptions of failed or missing tests."""
    with psycopg.connect(
        cluster.dsn(user=localdb.SUPERUSER), options="-c search_path=public,extensions"
    ) as conn:
        cur = conn.execute(path.read_text().encode())
        lines: list[str] = []
        while True:
            if cur.description is not None:
                lines.extend(str(r[0]) for r in cur.fetchall())
            if not cur.nextset():
                break
    planned, failures, ran = None, [], 0
    for item in Parser().parse_text("\n".join(lines)):
        if isinstance(item, Plan):
            planned = item.expected_tests
        elif isinstance(item, Result):
            ran += 1
            if not item.ok:
                failures.append(f"{path.name}: not ok {item.number} {item.description}")
    if planned != ran:
        failures.append(f"{path.name}: planned {planned}, ran {ran}")
    return failures


@pytest.fixture(scope="module")
def bundle_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`orchestrator db bundle -o` into a folder that does not exist yet."""
    target = tmp_path_factory.mktemp("app") / "supabase" / "migrations" / "integration_sync.sql"
    out = subprocess.run(
        [sys.executable, "-m", "orchestrator", "db", "bundle", "-o", str(target)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr
    return target


@pytest.fixture(scope="module")
def bundled(bundle_file: Path) -> Iterator[localdb.LocalCluster]:
    """A fresh cluster prepared by sql/supabase_compat.sql, the bundle applied in one
    transaction as Supabase's non-superuser `postgres`."""
    with localdb.temporary_cluster() as fresh:
        applied = subprocess.run(
            [
                "psql",
                "-X",
                "-q",
                "-1",
                "-v",
                "ON_ERROR_STOP=1",
                "-d",
                fresh.uri(),
                "-f",
                str(bundle_file),
            ],
            capture_output=True,
            text=True,
            check=False,
            env={"PGOPTIONS": "-c client_min_messages=warning", "PATH": "/usr/bin:/bin"},
        )
        assert applied.returncode == 0, applied.stderr
        install_test_helpers(fresh)
        yield fresh


def test_the_bundle_keeps_every_commit_but_the_scripts_own(bundle_file: Path) -> None:
    """Each deploy script ends with its own COMMIT, which goes; the COMMITs inside
    procedure bodies (cleanup, batched dispatch, archival) stay."""
    text = bundle_file.read_text()
    assert "BEGIN;" not in [line.strip().upper() for line in text.splitlines()]
    sections = dict(part.split(" ====\n", 1) for part in text.split("-- ==== change: ")[1:])
    with_bodies = 0
    for stem, section in sections.items():
        script = (PROJECT_ROOT / "deploy" / f"{stem}.sql").read_text().upper()
        assert section.upper().count("COMMIT;") == script.count("COMMIT;") - 1, stem
        with_bodies += "COMMIT;" in section.upper()
    assert sections["procedure_cleanup_health_history"].upper().count("COMMIT;") == 2
    assert with_bodies >= 1


def test_bundle_applies_to_a_fresh_database_and_passes_the_suite(
    bundled: localdb.LocalCluster,
) -> None:
    files = sorted(PGTAP_DIR.glob("test_*.sql"))
    assert files
    failures = [f for path in files for f in run_pgtap_file(bundled, path)]
    assert failures == []


def test_the_bundled_cleanup_procedure_commits_between_batches(
    bundled: localdb.LocalCluster,
) -> None:
    """2,500 history rows past retention. A REPEATABLE READ reader that saw them before
    the CALL still sees every deleted row afterwards, with the id of the transaction
    that deleted it (xmax): batches committed on their own show one id per batch of at
    most 1000 rows; one long transaction would show a single id for all 2,500."""
    org = uuid.uuid4()
    with psycopg.connect(bundled.dsn(user=localdb.SUPERUSER), autocommit=True) as admin:
        admin.execute(
            """INSERT INTO public.integration_health_history
                      (org_id, integration_type, status, latency_ms, checked_at)
               SELECT %s, 'xledger', 'healthy', g,
                      now() - s.history_retention - interval '1 day' - g * interval '1 second'
                 FROM integration_ops.settings AS s, generate_series(1, 2500) AS g""",
            (org,),
        )
    ours = "SELECT xmax::text FROM public.integration_health_history WHERE org_id = %s"
    with psycopg.connect(bundled.dsn(user=localdb.SUPERUSER)) as reader:
        reader.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        assert len(reader.execute(ours, (org,)).fetchall()) == 2500  # the snapshot is taken
        with psycopg.connect(bundled.dsn(), autocommit=True) as cron_owner:
            cron_owner.execute("CALL integration_ops.cleanup_health_history()")
            gone = cron_owner.execute(ours.replace("xmax::text", "count(*)"), (org,)).fetchone()
        assert gone == (0,)
        per_transaction = Counter(row[0] for row in reader.execute(ours, (org,)).fetchall())
    assert "0" not in per_transaction  # every row was deleted, by some transaction
    assert sorted(per_transaction.values()) == [500, 1000, 1000]


def test_only_top_level_transaction_statements_are_stripped() -> None:
    script = (
        "-- Deploy x\nBEGIN;\nSET LOCAL lock_timeout = '5s';\n"
        "SELECT 'COMMIT;' AS quoted, E'it\\'s; COMMIT;' AS escaped; -- COMMIT;\n"
        "/* COMMIT; /* nested; */ COMMIT; */\n"
        'CREATE TABLE "COMMIT;" (id int);\n'
        "CREATE PROCEDURE p() LANGUAGE plpgsql AS $body$\nBEGIN\n  COMMIT;\nEND\n$body$;\n"
        "DO $$ BEGIN COMMIT; END $$;\nSELECT $1;\n  commit  work ;\n"
    )
    assert strip_transaction_control(script) == (
        "-- Deploy x\nSET LOCAL lock_timeout = '5s';\n"
        "SELECT 'COMMIT;' AS quoted, E'it\\'s; COMMIT;' AS escaped; -- COMMIT;\n"
        "/* COMMIT; /* nested; */ COMMIT; */\n"
        'CREATE TABLE "COMMIT;" (id int);\n'
        "CREATE PROCEDURE p() LANGUAGE plpgsql AS $body$\nBEGIN\n  COMMIT;\nEND\n$body$;\n"
        "DO $$ BEGIN COMMIT; END $$;\nSELECT $1;\n"
    )
