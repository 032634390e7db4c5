"""Tables of cases shared by the SQL and the Python test suites (one rule, one place)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

CASES_DIR = Path(__file__).resolve().parent


def sync_response_cases() -> list[dict[str, Any]]:
    """tests/cases/sync_responses.json: every integration answer and its classification."""
    cases: list[dict[str, Any]] = json.loads((CASES_DIR / "sync_responses.json").read_text())[
        "cases"
    ]
    return cases


def url_cases() -> dict[str, Any]:
    """tests/cases/urls.json: URL rules for endpoint_url, warmup_url and health urls, and the
    worker's check of resolved addresses (DESIGN §13)."""
    doc: dict[str, Any] = json.loads((CASES_DIR / "urls.json").read_text())
    return doc


def health_probe_cases() -> list[dict[str, Any]]:
    """tests/cases/health_probes.json: every probe outcome and its health status (DESIGN §9),
    for the Python runner's classifier and the SQL one of the pg_net health checks."""
    cases: list[dict[str, Any]] = json.loads((CASES_DIR / "health_probes.json").read_text())[
        "cases"
    ]
    return cases


def worker_id_cases() -> list[tuple[str, bool]]:
    """tests/cases/worker_ids.json: (worker id, valid) for the SQL and the Python rule."""
    doc: dict[str, Any] = json.loads((CASES_DIR / "worker_ids.json").read_text())
    return [
        (c["id"] if c["id"] is not None else "a" * c["repeat"], c["valid"]) for c in doc["cases"]
    ]
