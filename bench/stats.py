"""Percentiles and the one row type every benchmark reports."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (no interpolation), so p99 is a value that was observed."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100.0 * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Row:
    """One line of the report: a figure beside its target and its release 0.1 value."""

    name: str
    figure: str
    budget: str = ""
    comparison: str = ""
    note: str = ""
    data: dict[str, float | int | str] = field(default_factory=dict)
    previous: str = ""
