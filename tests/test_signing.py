"""Units of orchestrator/sync/signing.py against the reference library `standardwebhooks`
(PyPI): our signatures verify there, theirs verify here (the demo endpoint's check), and a
malformed secret is refused without being echoed. The signed calls themselves are checked
over real loopback servers in test_sync_http_call, test_sync_warmup_units, test_cold_starts
and test_sync_worker_cli."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from uuid import UUID

import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from orchestrator.sync.signing import (
    CallAuth,
    WebhookSigner,
    new_webhook_secret,
    parse_webhook_secret,
    warmup_id,
)
from tests.signing_keys import WEBHOOK_SECRET

BODY = b'{"run_id": "r", "org_id": "o"}'


def test_our_signature_verifies_with_the_reference_library() -> None:
    signer = WebhookSigner.from_secret(WEBHOOK_SECRET)
    headers = signer.headers("org:xledger:2026-01-01T12:00:00Z", BODY)
    Webhook(WEBHOOK_SECRET).verify(BODY, headers, json_parse=False)
    with pytest.raises(WebhookVerificationError):
        Webhook(WEBHOOK_SECRET).verify(BODY + b" ", headers, json_parse=False)
    with pytest.raises(WebhookVerificationError):
        Webhook(new_webhook_secret()).verify(BODY, headers, json_parse=False)


def test_the_reference_librarys_signature_verifies_here_and_stale_ones_do_not() -> None:
    signer = WebhookSigner.from_secret(WEBHOOK_SECRET)
    now = datetime.now(UTC)
    signature = Webhook(WEBHOOK_SECRET).sign("msg-1", now, BODY)
    headers = {
        "Webhook-Id": "msg-1",
        "Webhook-Timestamp": str(int(now.timestamp())),
        "Webhook-Signature": f"v1,bogus= {signature}",  # several signatures, one matches
    }
    assert signer.verify(headers, BODY)
    assert not signer.verify(headers, BODY + b"x")
    assert not signer.verify({**headers, "Webhook-Id": "msg-2"}, BODY)
    assert not signer.verify(headers, BODY, now=time.time() + 301)  # older than 5 minutes
    assert not signer.verify({**headers, "Webhook-Timestamp": "soon"}, BODY)
    assert not signer.verify({}, BODY)


@pytest.mark.parametrize(
    ("secret", "says"),
    [
        ("", "no webhook signing secret"),
        ("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "must start with whsec_"),
        ("whsec_", "not whsec_ followed by base64"),
        ("whsec_%%%notbase64", "not whsec_ followed by base64"),
    ],
)
def test_a_malformed_secret_is_refused_without_echoing_it(secret: str, says: str) -> None:
    with pytest.raises(ValueError, match=says) as caught:
        parse_webhook_secret(secret)
    assert "ORCHESTRATOR_WEBHOOK_SECRET" in str(caught.value)
    if len(secret) > 6:
        assert secret not in str(caught.value)


def test_secrets_with_or_without_padding_decode_as_the_reference_library_does() -> None:
    unpadded = "whsec_dGVzdC1zZWNyZXQ"  # "test-secret"
    assert parse_webhook_secret(unpadded) == b"test-secret"
    assert parse_webhook_secret(new_webhook_secret()) != parse_webhook_secret(new_webhook_secret())
    headers = WebhookSigner.from_secret(unpadded).headers("id", b"")
    Webhook(unpadded).verify(b"", headers, json_parse=False)


def test_call_auth_from_the_environment() -> None:
    auth = CallAuth.from_environ(
        {"ORCHESTRATOR_WEBHOOK_SECRET": WEBHOOK_SECRET, "ORCHESTRATOR_FUNCTIONS_KEY": " anon "}
    )
    headers = auth.headers("id-1", BODY)
    assert headers["Authorization"] == "Bearer anon"
    assert set(headers) == {"webhook-id", "webhook-timestamp", "webhook-signature", "Authorization"}
    assert auth.secrets() == ["anon"]
    bare = CallAuth.from_environ(
        {"ORCHESTRATOR_WEBHOOK_SECRET": WEBHOOK_SECRET, "ORCHESTRATOR_SERVICE_KEY": "svc"}
    )
    assert "Authorization" not in bare.headers("id-1", BODY)  # the service key is never used
    assert bare.secrets() == []
    assert repr(auth) == "CallAuth(signer=WebhookSigner())"  # keys are never printed
    with pytest.raises(ValueError, match="ORCHESTRATOR_WEBHOOK_SECRET"):
        CallAuth.from_environ({})


def test_the_warm_up_id_names_the_pair_and_the_period_in_utc() -> None:
    org = UUID("0a000000-0000-4000-8000-00000000000a")
    period = datetime.fromisoformat("2026-11-23T13:00:00+01:00")
    assert warmup_id(org, "xledger", period) == f"warmup:{org}:xledger:2026-11-23T12:00:00Z"
