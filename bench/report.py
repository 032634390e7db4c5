"""Print the report as one table and write the same rows as JSON."""

from __future__ import annotations

import json
import platform
import time
from collections.abc import Mapping
from dataclasses import asdict
from pathlib import Path

import click

from .stats import Row

HEADERS = ("benchmark", "figure", "target / budget", "0.1", "comparison", "note")


def print_table(title: str, rows: list[Row], headers: tuple[str, ...] = HEADERS) -> None:
    cells = [headers] + [
        (r.name, r.figure, r.budget, r.previous, r.comparison, r.note) for r in rows
    ]
    widths = [max(len(c[i]) for c in cells) for i in range(len(headers))]
    click.echo(f"\n{title}")
    for n, line in enumerate(cells):
        click.echo("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip())
        if n == 0:
            click.echo("  ".join("-" * w for w in widths))


def write_json(results_dir: Path, name: str, meta: Mapping[str, object], rows: list[Row]) -> Path:
    results_dir.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    path = results_dir / f"{name}-{stamp}.json"
    doc = {
        "meta": {**meta, "machine": platform.platform(), "python": platform.python_version()},
        "rows": [asdict(r) for r in rows],
    }
    path.write_text(json.dumps(doc, indent=2))
    return path
