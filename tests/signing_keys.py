"""The signing secret and gateway key the tests' workers use (DESIGN §13), and the
reference verifier (`standardwebhooks` from PyPI) their signatures are checked with."""

from __future__ import annotations

from typing import Any

from standardwebhooks import Webhook

from orchestrator.sync.service import SyncOptions
from orchestrator.sync.signing import CallAuth

WEBHOOK_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
FUNCTIONS_KEY = "anon-key-for-the-gateway-0123"
AUTH = CallAuth.from_environ({"ORCHESTRATOR_WEBHOOK_SECRET": WEBHOOK_SECRET})


def sync_options(call_timeout: float = 10.0, **over: Any) -> SyncOptions:
    fields: dict[str, Any] = {"call_timeout": call_timeout, "poll_only": True}
    fields.update(over)
    return SyncOptions(AUTH, **fields)


def verify(body: bytes, headers: dict[str, str]) -> None:
    """Raises standardwebhooks.WebhookVerificationError unless the headers carry a valid,
    fresh signature of `body` with WEBHOOK_SECRET."""
    Webhook(WEBHOOK_SECRET).verify(body, headers, json_parse=False)
