"""Classification of an integration's HTTP answer (DESIGN §11), as a pure function."""

from __future__ import annotations

import pytest

from orchestrator.sync.http_call import classify_response


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (200, b'{"records_processed": 7, "records_failed": 2}', ("completed", 7, 2, None)),
        (201, b'{"records_processed": 7}', ("completed", 7, 0, None)),
        (200, b"", ("completed", 0, 0, None)),
        (204, b"", ("completed", 0, 0, None)),
        (200, b"{}", ("completed", 0, 0, None)),
        (200, b'{"records_processed": null}', ("completed", 0, 0, None)),
        (200, b"<html>ok</html>", ("failed", 0, 0, "invalid_response")),
        (200, b"[1, 2]", ("failed", 0, 0, "invalid_response")),
        (200, b'{"records_processed": -1}', ("failed", 0, 0, "invalid_response")),
        (200, b'{"records_processed": "7"}', ("failed", 0, 0, "invalid_response")),
        (200, b'{"records_processed": 1.5}', ("failed", 0, 0, "invalid_response")),
        (200, b'{"records_failed": true}', ("failed", 0, 0, "invalid_response")),
        (200, b'{"records_processed": 99999999999}', ("failed", 0, 0, "invalid_response")),
        (500, b"boom", ("failed", 0, 0, "http_500")),
        (404, b"", ("failed", 0, 0, "http_404")),
        (302, b"", ("failed", 0, 0, "http_302")),
    ],
)
def test_classify_response(
    status: int, body: bytes, expected: tuple[str, int, int, str | None]
) -> None:
    outcome = classify_response(status, body)
    assert (
        outcome.status,
        outcome.records_processed,
        outcome.records_failed,
        outcome.error_code,
    ) == expected
    assert outcome.http_status == status
