"""No secret in a log line (issue 21): every record the worker's logging emits goes through
the Python sanitiser (orchestrator/runtime/sanitize.py), in both formats, message and args alike."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from uuid import UUID, uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orchestrator.runtime.logs import SanitizingFilter, configure_logging
from orchestrator.runtime.sanitize import sanitize_error_text
from tests.cases import CASES_DIR

SECRETS = ("hunter2", "abc", "s3cr3t-token")


@pytest.fixture()
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def emit(log_format: str, capsys: pytest.CaptureFixture[str]) -> str:
    configure_logging("INFO", log_format)
    log = logging.getLogger("orchestrator.test")
    url = "https://user:hunter2@host/x?token=abc"
    log.warning("report of run refused; endpoint_url=%s", url)
    log.warning("call failed: %s", "connection refused (password=hunter2)")
    log.info("plain %s", "text", extra={"sync_run": {"error": "api_key=s3cr3t-token", "n": 1}})
    try:
        raise RuntimeError("could not connect to postgresql://app:hunter2@db/x")
    except RuntimeError:
        log.exception("database trouble")
    return capsys.readouterr().err


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_no_secret_leaves_in_a_log_line(
    log_format: str, capsys: pytest.CaptureFixture[str], restore_logging: None
) -> None:
    out = emit(log_format, capsys)
    for secret in SECRETS:
        assert secret not in out, out
    assert "report of run refused" in out and "call failed" in out  # the lines are there
    assert "host/x" in out and "database trouble" in out
    assert "[redacted]" in out
    if log_format == "json":
        lines = [json.loads(line) for line in out.splitlines()]
        assert [e["logger"] for e in lines] == ["orchestrator.test"] * 4
        assert lines[2]["n"] == 1  # the extra fields stay fields
        assert "RuntimeError" in lines[3]["exception"]  # the traceback keeps its exception


def test_the_sanitiser_is_a_filter_of_the_handler_so_every_logger_is_covered(
    capsys: pytest.CaptureFixture[str], restore_logging: None
) -> None:
    configure_logging("INFO", "text")
    logging.getLogger("aiohttp.client").warning("GET %s", "https://u:hunter2@h/")
    logging.getLogger("psycopg.pool").error("conninfo password=hunter2 host=db")
    out = capsys.readouterr().err
    assert "hunter2" not in out and "aiohttp.client" in out and "psycopg.pool" in out


def run_line(fields: dict[str, object], prefix: str = "") -> logging.LogRecord:
    """A record as the loops make one per run / probe: the fields rendered after a prefix."""
    message = prefix + " ".join(f"{k}={v if v is not None else '-'}" for k, v in fields.items())
    record = logging.LogRecord("orchestrator.sync.run", logging.INFO, "p", 1, message, None, None)
    record.sync_run = dict(fields)
    return record


def case_inputs() -> list[str]:
    doc = json.loads((CASES_DIR / "sanitize.json").read_text())
    inputs = [c["input"] for c in doc["cases"]]
    return [i for i in inputs if isinstance(i, str) and "\n" not in i and len(i) < 300]


@pytest.mark.parametrize("value", case_inputs())
def test_a_run_line_is_sanitised_field_by_field(value: str) -> None:
    """The per-run line (one per run, the hot path) is rebuilt from its cleaned fields: each
    field value comes out exactly as the sanitiser makes it, in the message and the fields
    alike — every form of tests/cases/sanitize.json as a worker id."""
    run_id = str(uuid4())
    record = run_line({"run_id": run_id, "worker_id": value, "http_status": 500, "x": None})
    assert SanitizingFilter().filter(record)
    clean = sanitize_error_text(value) or ""
    assert record.getMessage() == f"run_id={run_id} worker_id={clean} http_status=500 x=-"
    assert record.sync_run == {"run_id": run_id, "worker_id": clean, "http_status": 500, "x": None}


def test_a_line_that_is_not_its_fields_is_sanitised_whole() -> None:
    record = run_line({"worker_id": "w"}, prefix="token=abc ")
    record.msg = "login failed password=hunter2 " + record.msg
    SanitizingFilter().filter(record)
    assert "hunter2" not in record.getMessage() and "abc" not in record.getMessage()


@settings(max_examples=300, deadline=None)
@given(st.uuids(), st.integers(min_value=0, max_value=10**18 - 1))
def test_uuids_and_integers_are_inert_under_the_rules(value: UUID, number: int) -> None:
    """The filter skips these (the rules cost ~1 µs a character): the rules leave them be."""
    for text in (str(value), str(number)):
        assert sanitize_error_text(text) == text
