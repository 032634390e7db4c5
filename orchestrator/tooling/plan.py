"""The Sqitch plan as Sqitch runs it: every occurrence of a change, with its script's name.

Used by the bundle and the migration tests.

A change reworked after a tag occurs twice; its earlier occurrence runs the scripts Sqitch
saved under ``<change>@<tag>.sql`` (the first tag after it), the later one ``<change>.sql``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .sqitch import PROJECT_ROOT


def plan_steps(plan_file: Path = PROJECT_ROOT / "sqitch.plan") -> list[tuple[str, str]]:
    """(change, script stem) in deploy order.

    As Sqitch names them: an occurrence that is reworked later runs ``<change>@<tag>.sql``
    for the first of the tags between it and its next occurrence whose deploy script
    exists (``sqitch rework`` names the copy after the newest tag, so a change first
    reworked two releases later has its copy under the later tag).
    """
    deploy_dir = plan_file.parent / "deploy"
    return steps_of_plan(plan_file.read_text(), lambda stem: (deploy_dir / f"{stem}.sql").exists())


def steps_of_plan(
    plan_text: str, has_deploy_script: Callable[[str], bool]
) -> list[tuple[str, str]]:
    """`plan_steps` for a plan's text and a test of which deploy scripts exist (by stem), so
    a plan of another commit can be read with that commit's files."""
    entries: list[tuple[str, list[str]]] = []  # (change, tags that follow it, in order)
    for raw in plan_text.splitlines():
        line = raw.strip()
        if not line or line[0] in "%#":
            continue
        if line[0] == "@":
            tag = line.split()[0]
            for _, tags in entries:
                tags.append(tag)
            continue
        entries.append((line.split()[0], []))
    steps: list[tuple[str, str]] = []
    for i, (name, tags) in enumerate(entries):
        later = next((t for n, t in entries[i + 1 :] if n == name), None)
        if later is None:
            steps.append((name, name))
            continue
        between = tags[: len(tags) - len(later)]
        stems = [f"{name}{tag}" for tag in between]
        found = next((s for s in stems if has_deploy_script(s)), None)
        steps.append((name, found or (stems[0] if stems else name)))
    return steps


def tagged_steps(plan_text: str) -> dict[str, int]:
    """For each tag of the plan, how many change occurrences precede it (its release)."""
    counts: dict[str, int] = {}
    n = 0
    for raw in plan_text.splitlines():
        line = raw.strip()
        if not line or line[0] in "%#":
            continue
        if line[0] == "@":
            counts[line.split()[0]] = n
        else:
            n += 1
    return counts
