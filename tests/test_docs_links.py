"""The docs stand on their own: every relative link in README.md and docs/ points at a file
of this repository (and at a heading that exists), and the contract they cite is
docs/contract.md, not a file outside the repository."""

from __future__ import annotations

import re
from pathlib import Path

from orchestrator.tooling.sqitch import PROJECT_ROOT

DOCS = [PROJECT_ROOT / "README.md", *sorted((PROJECT_ROOT / "docs").rglob("*.md"))]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)


def anchors(path: Path) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens."""
    found: set[str] = set()
    for line in FENCE.sub("", path.read_text()).splitlines():
        heading = re.match(r"#{1,6}\s+(.*)", line)
        if heading is None:
            continue
        slug = re.sub(r"[^\w\- ]", "", heading.group(1).strip().lower()).replace(" ", "-")
        candidate, n = slug, 0
        while candidate in found:
            n += 1
            candidate = f"{slug}-{n}"
        found.add(candidate)
    return found


def test_every_relative_link_resolves_inside_the_repository() -> None:
    broken: list[str] = []
    for doc in DOCS:
        for target in LINK.findall(FENCE.sub("", doc.read_text())):
            if re.match(r"[a-z]+:", target):
                continue  # https:, mailto:
            file_part, _, anchor = target.partition("#")
            resolved = (doc.parent / file_part).resolve() if file_part else doc
            where = f"{doc.relative_to(PROJECT_ROOT)}: {target}"
            if not resolved.is_relative_to(PROJECT_ROOT) or not resolved.exists():
                broken.append(f"{where} (no such file in the repository)")
            elif anchor and resolved.suffix == ".md" and anchor not in anchors(resolved):
                broken.append(f"{where} (no such heading)")
    assert broken == []


def test_the_docs_cite_the_contract_in_the_repository() -> None:
    assert (PROJECT_ROOT / "docs" / "contract.md").is_file()
    readme = (PROJECT_ROOT / "README.md").read_text()
    assert "](docs/contract.md)" in readme
    for doc in DOCS:
        text = doc.read_text()
        assert "shared/DESIGN.md" not in text, doc
        assert not re.search(r"DESIGN \(?§\s*\d", text), doc
