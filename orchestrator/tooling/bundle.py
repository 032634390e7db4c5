"""Bundle the Sqitch plan's deploy scripts into one migration file for the Supabase CLI.

Each deploy script is its own transaction (`BEGIN; … COMMIT;`); the bundle runs as one,
so the scripts' own top-level `BEGIN`/`COMMIT` statements are dropped. Only top-level
statements: a `COMMIT;` inside a function or procedure body (dollar-quoted), a string
or a comment is part of that text and is kept — the history cleanup procedure commits
between its batches, and must go on doing so when deployed from the bundle.
"""

from __future__ import annotations

import re
from pathlib import Path

from . import project
from .plan import plan_steps

_DOLLAR_TAG = re.compile(r"\$(?:[A-Za-z_\x80-\uffff][A-Za-z0-9_\x80-\uffff]*)?\$")
_TXN_STATEMENT = re.compile(
    r"(?:BEGIN|START\s+TRANSACTION|COMMIT|END)(?:\s+(?:WORK|TRANSACTION))?", re.IGNORECASE
)


def top_level_statements(script: str) -> list[tuple[int, int]]:
    """(start, end) of each top-level statement, `end` just past its `;` (or the end).

    Skips over comments (`--`, nested `/* */`), quoted strings and identifiers
    (`'…'` with `''`, `E'…'` with backslash escapes, `"…"`) and dollar-quoted text.
    """
    spans: list[tuple[int, int]] = []
    i, start, n = 0, 0, len(script)
    while i < n:
        c = script[i]
        if script.startswith("--", i):
            newline = script.find("\n", i)
            i = n if newline < 0 else newline + 1
        elif script.startswith("/*", i):
            depth, i = 1, i + 2
            while i < n and depth:
                if script.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif script.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    i += 1
        elif c == "'":
            escapes = i > 0 and script[i - 1] in "eE" and not _ident_char(script, i - 2)
            i += 1
            while i < n:
                if escapes and script[i] == "\\":
                    i += 2
                elif script[i] == "'":
                    if script.startswith("''", i):
                        i += 2
                    else:
                        i += 1
                        break
                else:
                    i += 1
        elif c == '"':
            close = script.find('"', i + 1)
            while close >= 0 and script.startswith('""', close):
                close = script.find('"', close + 2)
            i = n if close < 0 else close + 1
        elif c == "$" and not _ident_char(script, i - 1):
            tag = _DOLLAR_TAG.match(script, i)
            if tag is None:
                i += 1  # $1: a parameter
            else:
                close = script.find(tag.group(), tag.end())
                i = n if close < 0 else close + len(tag.group())
        elif c == ";":
            spans.append((start, i + 1))
            i += 1
            start = i
        else:
            i += 1
    if script[start:].strip():
        spans.append((start, n))
    return spans


def _ident_char(script: str, index: int) -> bool:
    return index >= 0 and (script[index].isalnum() or script[index] in "_$")


def _code_start(script: str, i: int) -> int:
    """Index of the first character at or after `i` that is neither space nor comment."""
    while i < len(script):
        if script[i].isspace():
            i += 1
        elif script.startswith("--", i):
            newline = script.find("\n", i)
            i = len(script) if newline < 0 else newline + 1
        elif script.startswith("/*", i):
            close = script.find("*/", i + 2)
            i = len(script) if close < 0 else close + 2
        else:
            break
    return i


def _code(statement: str) -> str:
    """A statement without its comments, trailing `;` and surrounding space."""
    text = re.sub(r"--[^\n]*", " ", statement)
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.DOTALL)
    return text.strip().rstrip(";").strip()


def strip_transaction_control(script: str) -> str:
    """`script` without its top-level BEGIN/COMMIT statements; everything else verbatim."""
    out: list[str] = []
    last = 0
    for start, end in top_level_statements(script):
        if _TXN_STATEMENT.fullmatch(_code(script[start:end])):
            # Keep the comments and blank lines before the statement, drop the statement.
            out.append(script[last : _code_start(script, start)].rstrip(" \t"))
            rest_of_line = re.match(r"[ \t]*\n?", script[end:])
            last = end + (rest_of_line.end() if rest_of_line else 0)
    out.append(script[last:])
    return "".join(out)


def plan_changes(plan_file: Path | None = None) -> list[str]:
    """Change names in plan order (reworked changes appear once, at their latest place)."""
    if plan_file is None:
        plan_file = project.locate().plan_file
    changes: list[str] = []
    for raw in plan_file.read_text().splitlines():
        line = raw.strip()
        if not line or line[0] in "%#@":
            continue
        name = line.split()[0]
        if name in changes:
            changes.remove(name)
        changes.append(name)
    return changes


def bundle(root: Path | None = None) -> str:
    """The deploy scripts in plan order, as one script without per-change transactions.

    The Supabase CLI runs a migration file in one transaction; run it yourself with
    `psql -1 -v ON_ERROR_STOP=1 -f bundle.sql` for the same guarantee.
    """
    if root is None:
        root = project.locate().root
    parts = [
        "-- Integration sync & health: every deploy script of sqitch.plan, in plan order.",
        "-- Generated by `orchestrator db bundle`; do not edit. Apply in ONE transaction",
        "-- (the Supabase CLI does; by hand: psql -1 -v ON_ERROR_STOP=1 -f <this file>).",
        "",
    ]
    for _change, stem in plan_steps(root / "sqitch.plan"):
        script = (root / "deploy" / f"{stem}.sql").read_text()
        parts.append(f"-- ==== change: {stem} ====")
        parts.append(strip_transaction_control(script).strip())
        parts.append("")
    return "\n".join(parts)
