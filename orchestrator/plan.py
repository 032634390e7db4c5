"""The Sqitch plan as Sqitch runs it: every occurrence of a change, with its script's name.

Used by the bundle and the migration tests.

A change reworked after a tag occurs twice; its earlier occurrence runs the scripts Sqitch
saved under ``<change>@<tag>.sql`` (the first tag after it), the later one ``<change>.sql``.
"""

from __future__ import annotations

from pathlib import Path

from orchestrator.sqitch import PROJECT_ROOT


def plan_steps(plan_file: Path = PROJECT_ROOT / "sqitch.plan") -> list[tuple[str, str]]:
    """(change, script stem) in deploy order."""
    entries: list[tuple[str, str | None]] = []  # (change, tag that follows it)
    pending: list[int] = []
    for raw in plan_file.read_text().splitlines():
        line = raw.strip()
        if not line or line[0] in "%#":
            continue
        if line[0] == "@":
            tag = line.split()[0]
            for i in pending:
                entries[i] = (entries[i][0], tag)  # the first tag after the change
            pending = []
            continue
        entries.append((line.split()[0], None))
        pending.append(len(entries) - 1)
    steps: list[tuple[str, str]] = []
    for i, (name, after) in enumerate(entries):
        reworked_later = any(n == name for n, _ in entries[i + 1 :])
        steps.append((name, f"{name}{after}" if reworked_later and after else name))
    return steps
