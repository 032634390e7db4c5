"""`python -m bench.markdown RESULTS.json`: a report's rows as a Markdown table, for the
README (every figure beside its target, the previous release's figure and what bounds it).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def cell(text: str) -> str:
    return text.replace("|", "\\|").strip() or "-"


def table(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| figure | measured | target | 0.2 | comparison / what bounds it | note |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            "| "
            + " | ".join(
                cell(str(r.get(k, "")))
                for k in ("name", "figure", "budget", "previous", "comparison", "note")
            )
            + " |"
        )
    return "\n".join(lines)


def main() -> None:
    doc = json.loads(Path(sys.argv[1]).read_text())
    print(table(doc["rows"]))
    meta = doc.get("meta", {})
    print(
        f"\nmeta: load at start {meta.get('load_start')}, at end {meta.get('load_end')}, "
        f"total {meta.get('total_s')} s"
    )


if __name__ == "__main__":
    main()
