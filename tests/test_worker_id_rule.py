"""The worker-id rule in its two places agrees on one table of cases
(tests/cases/worker_ids.json): integration_ops.is_worker_id, which the CHECK constraints
and the worker RPCs use, and the CLI's is_valid_worker_id, which refuses a bad
--worker-id before anything connects (one rule, one place for its cases)."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from orchestrator.runtime.identity import default_worker_id, is_valid_worker_id

from .cases import worker_id_cases

CASES = worker_id_cases()


@pytest.mark.parametrize(("worker_id", "valid"), CASES, ids=[repr(c[0])[:40] for c in CASES])
def test_python_follows_the_case_table(worker_id: str, valid: bool) -> None:
    assert is_valid_worker_id(worker_id) is valid


def test_sql_follows_the_case_table(admin_conn: psycopg.Connection[Any]) -> None:
    answers = [
        (worker_id, valid, row[0])
        for worker_id, valid in CASES
        if (
            row := admin_conn.execute(
                "SELECT integration_ops.is_worker_id(%s)", (worker_id,)
            ).fetchone()
        )
        is not None
    ]
    assert len(answers) == len(CASES)
    assert [(w, v) for w, v, got in answers if got is not v] == []
    assert any(not valid for _, valid in CASES) and any(valid for _, valid in CASES)


def test_the_default_worker_id_passes_both(admin_conn: psycopg.Connection[Any]) -> None:
    wid = default_worker_id()
    assert is_valid_worker_id(wid)
    assert admin_conn.execute("SELECT integration_ops.is_worker_id(%s)", (wid,)).fetchone() == (
        True,
    )
