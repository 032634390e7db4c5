"""The error-text sanitiser: one table of cases (tests/cases/sanitize.json) for the SQL
function integration_ops.sanitize_error_text and its Python twin orchestrator/runtime/sanitize.py,
the same rules in both, and both agreeing on generated text."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import psycopg
import pytest

from orchestrator.runtime.sanitize import MAX_LENGTH, RULES, sanitize_error_text
from orchestrator.tooling import localdb

CASES_FILE = Path(__file__).resolve().parent / "cases" / "sanitize.json"
Pieces = str | list[Any] | None


def build(pieces: Pieces) -> str | None:
    """A case's text: a string, null, or pieces (a string, or [string, count])."""
    if pieces is None or isinstance(pieces, str):
        return pieces
    return "".join(p if isinstance(p, str) else p[0] * p[1] for p in pieces)


CASES: list[dict[str, Any]] = json.loads(CASES_FILE.read_text())["cases"]
IDS = [c["name"] for c in CASES]


def sql_sanitize(conn: psycopg.Connection[Any], texts: list[str | None]) -> list[str | None]:
    rows = conn.execute(
        "SELECT integration_ops.sanitize_error_text(t) FROM unnest(%s::text[]) WITH ORDINALITY"
        " AS u(t, n) ORDER BY n",
        (texts,),
    ).fetchall()
    return [r[0] for r in rows]


@pytest.fixture(scope="module")
def conn(cluster: localdb.LocalCluster) -> Any:
    with psycopg.connect(cluster.dsn(user=localdb.SUPERUSER), autocommit=True) as c:
        yield c


def test_the_case_table_covers_the_issue_forms() -> None:
    names = " ".join(IDS)
    for form in (
        "quoted",
        "libpq",
        "empty user",
        "slash",
        "at sign",
        "escaped",
        "authorization basic",
        "authorization token",
        "x-api-key",
        "colon form",
        "dict repr",
        "pem",
        "aws",
        "azure sas sig",
        # 0.3 (issue 21)
        "json array value",
        "percent-encoded",
        "supabase secret key",
        "supabase publishable key kept",
        "slack webhook",
        "discord webhook",
        "teams webhook",
        "normal urls kept",
        "next line",
        "password reset email sent kept",
        "head cut inside a jwt",
        "tail cut",
    ):
        assert form in names, form
    assert len({c["name"] for c in CASES}) == len(CASES), "case names are unique"


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_python_twin(case: dict[str, Any]) -> None:
    assert sanitize_error_text(build(case["input"])) == build(case["expected"])


def test_sql_function(conn: psycopg.Connection[Any]) -> None:
    got = sql_sanitize(conn, [build(c["input"]) for c in CASES])
    failures = [
        f"{c['name']}: {str(g)[:200]!r} != {str(build(c['expected']))[:200]!r}"
        for c, g in zip(CASES, got, strict=True)
        if g != build(c["expected"])
    ]
    assert failures == []


def test_sanitising_twice_changes_nothing(conn: psycopg.Connection[Any]) -> None:
    once = [build(c["expected"]) for c in CASES]
    assert [sanitize_error_text(t) for t in once] == once
    assert sql_sanitize(conn, once) == once


def test_sql_and_python_share_the_rules(conn: psycopg.Connection[Any]) -> None:
    row = conn.execute("SELECT integration_ops.sanitize_rules()").fetchone()
    assert row is not None
    assert [tuple(r) for r in row[0]] == list(RULES)


# Fragments people write in error text; random joins of them exercise the places where
# PostgreSQL's and Python's regex engines could disagree (alternation, greediness, quotes,
# escapes, line breaks).
FRAGMENTS = [
    "password",
    "Password",
    "api_key",
    "X-API-Key",
    "access_token",
    "token",
    "secret",
    "sig",
    "pwd",
    "Authorization",
    "Bearer",
    "Basic",
    "token ",
    "Cookie",
    "=",
    ": ",
    ":",
    " = ",
    '"',
    "'",
    '\\"',
    "\\",
    "b'",
    "{",
    "}",
    "[",
    "]",
    ",",
    "&",
    "?",
    "@",
    "/",
    "://",
    "https://",
    "redis://:",
    "postgres://app:",
    "user:pa/ss@",
    "hunter2",
    "a b",
    " ",
    "\t",
    "\n",
    "\r\n",
    "  ",
    "eyJhbGciOiJIUzI1NiJ9",
    ".",
    "AKIAIOSFODNN7EXAMPLE",
    "-----BEGIN RSA PRIVATE KEY-----",
    "-----END RSA PRIVATE KEY-----",
    "-",
    "MIIEow",
    'File "x.py", line 3, in f',
    "Traceback (most recent call last):",
    "    at foo (x.js:1:1)",
    "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
    "code=",
    "key=",
    "ü",
    "None",
    # 0.3 (issue 21)
    "%3D",
    "%3a",
    "%22",
    "%5B",
    "%5D",
    "%20",
    "%41",
    "[]",
    "user[",
    "\\n",
    "12345",
    "sb_secret_abcdefghijklmnopqrstuvwx",
    "sb_publishable_abcdefghijklmnop",
    "https://hooks.slack.com/services/",
    "discord.com/api/webhooks/",
    ".webhook.office.com/webhookb2/",
    "\n[...]\n",
    "\n  ",
]


def test_sql_and_python_agree_on_generated_text(conn: psycopg.Connection[Any]) -> None:
    rng = random.Random(14)
    texts = ["".join(rng.choice(FRAGMENTS) for _ in range(rng.randint(1, 14))) for _ in range(1500)]
    got = sql_sanitize(conn, list(texts))
    mismatches = [
        f"{t!r}: sql {g!r} python {sanitize_error_text(t)!r}"
        for t, g in zip(texts, got, strict=True)
        if g != sanitize_error_text(t)
    ]
    assert mismatches == [], "\n".join(mismatches[:20])


def test_length_bound() -> None:
    assert MAX_LENGTH == 2000
    assert sanitize_error_text("") == ""
    assert sanitize_error_text(None) is None


# Hostile text for the rules 0.3 added (issue 21), just under the input bound so every
# rule sees all of it: both implementations must agree, and they stay linear (no timed
# assertion: a quadratic rule shows as a test that takes minutes).
HOSTILE = [
    "%41" * 10000 + "a" * 1000,
    "%41" + "a" * 31000,
    "password%3D" * 2800,
    "%22" * 10000,
    "user[" * 6000,
    "password[" + "0" * 30000,
    "password:[" + "[" * 30000,
    "password:[a]," * 2300,
    "password: [" + "],[" * 10000,
    'x: {\\"password\\": [' * 1500,
    '\\"password\\": \\"' + "\\a" * 15000,
    "password:\n" * 3000,
    "password:\n" + " " * 30000,
    "[...]\n" * 5000,
    "[...]\n" + "-a" * 15000,
    "Bearer" + "%20" * 10000,
    "Bearer%20" * 3400,
    "hooks.slack.com/services/" * 1200,
    "sb_secret_" * 3000,
]


def test_sql_and_python_agree_on_hostile_text(conn: psycopg.Connection[Any]) -> None:
    assert all(len(t) <= 32000 for t in HOSTILE)
    got = sql_sanitize(conn, list(HOSTILE))
    mismatches = [
        f"{t[:40]!r}...: sql {str(g)[:80]!r} python {str(sanitize_error_text(t))[:80]!r}"
        for t, g in zip(HOSTILE, got, strict=True)
        if g != sanitize_error_text(t)
    ]
    assert mismatches == [], "\n".join(mismatches)
