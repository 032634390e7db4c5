"""Signed integration calls (DESIGN §13, https://www.standardwebhooks.com): every POST of a
run and every warm-up GET carries

    webhook-id:        the run's idempotency key (else its id); for a warm-up
                       `warmup:<org_id>:<integration_type>:<period, ISO-8601 UTC>`
    webhook-timestamp: integer seconds since the epoch, at send time
    webhook-signature: v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<body>")>

where `key` is the base64-decoded part of the secret `whsec_<base64>`
(`ORCHESTRATOR_WEBHOOK_SECRET`) and `body` the exact bytes sent (empty for a GET).

The service-role key is never sent. `Authorization: Bearer <ORCHESTRATOR_FUNCTIONS_KEY>` is
added only when that variable is set: the project's anon/publishable key, for the JWT
check of Supabase's gateway in front of Edge Functions.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Final
from uuid import UUID

SECRET_ENV: Final = "ORCHESTRATOR_WEBHOOK_SECRET"
FUNCTIONS_KEY_ENV: Final = "ORCHESTRATOR_FUNCTIONS_KEY"
SERVICE_KEY_ENV: Final = "ORCHESTRATOR_SERVICE_KEY"  # ignored since 0.3
SECRET_PREFIX: Final = "whsec_"
TOLERANCE_S: Final = 5 * 60


def parse_webhook_secret(secret: str) -> bytes:
    """The signing key of `whsec_<base64>` (padding optional, as the reference library
    reads it); ValueError (never quoting the secret) when it is missing, lacks the
    prefix, or its rest is not base64 of at least one byte."""
    secret = secret.strip()
    if not secret:
        raise ValueError(f"no webhook signing secret: set {SECRET_ENV} (whsec_<base64>)")
    if not secret.startswith(SECRET_PREFIX):
        raise ValueError(f"{SECRET_ENV} must start with {SECRET_PREFIX} (whsec_<base64>)")
    encoded = secret[len(SECRET_PREFIX) :]
    try:
        key = base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if not key:
        raise ValueError(f"{SECRET_ENV} is not whsec_ followed by base64 (whsec_<base64>)")
    return key


def new_webhook_secret() -> str:
    """A fresh `whsec_` secret (24 random bytes), as `standardwebhooks` makes them."""
    import secrets

    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def warmup_id(org_id: UUID, integration_type: str, period: datetime) -> str:
    """The webhook-id of a warm-up GET: `warmup:<org_id>:<type>:<period ISO-8601 UTC>`."""
    at = period.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"warmup:{org_id}:{integration_type}:{at}"


@dataclass(frozen=True)
class WebhookSigner:
    """Signs (and, for the demo endpoint, verifies) Standard Webhooks messages."""

    key: bytes = field(repr=False)

    @classmethod
    def from_secret(cls, secret: str) -> WebhookSigner:
        return cls(parse_webhook_secret(secret))

    def signature(self, msg_id: str, timestamp: int, body: bytes) -> str:
        signed = f"{msg_id}.{timestamp}.".encode() + body
        digest = hmac.new(self.key, signed, hashlib.sha256).digest()
        return "v1," + base64.b64encode(digest).decode()

    def headers(self, msg_id: str, body: bytes, timestamp: int | None = None) -> dict[str, str]:
        at = int(time.time()) if timestamp is None else timestamp
        return {
            "webhook-id": msg_id,
            "webhook-timestamp": str(at),
            "webhook-signature": self.signature(msg_id, at, body),
        }

    def verify(self, headers: Mapping[str, str], body: bytes, now: float | None = None) -> bool:
        """True when the headers carry a valid v1 signature of `body` whose timestamp is
        within 5 minutes of `now`."""
        lower = {k.lower(): v for k, v in headers.items()}
        msg_id = lower.get("webhook-id", "")
        stamp = lower.get("webhook-timestamp", "")
        if not msg_id or not stamp.isdigit():
            return False
        at = int(stamp)
        if abs((time.time() if now is None else now) - at) > TOLERANCE_S:
            return False
        expected = self.signature(msg_id, at, body).encode()
        return any(
            hmac.compare_digest(expected, given.encode())
            for given in lower.get("webhook-signature", "").split()
        )


@dataclass(frozen=True)
class CallAuth:
    """What authenticates an integration call: the signature, and the gateway key."""

    signer: WebhookSigner
    functions_key: str | None = field(default=None, repr=False)

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> CallAuth:
        """From ORCHESTRATOR_WEBHOOK_SECRET (required) and ORCHESTRATOR_FUNCTIONS_KEY
        (optional); ValueError with one line saying what to fix."""
        signer = WebhookSigner.from_secret(environ.get(SECRET_ENV, ""))
        return cls(signer, environ.get(FUNCTIONS_KEY_ENV, "").strip() or None)

    def headers(self, msg_id: str, body: bytes) -> dict[str, str]:
        """The signature headers (timestamp: now) and, when set, the gateway key."""
        headers = self.signer.headers(msg_id, body)
        if self.functions_key:
            headers["Authorization"] = f"Bearer {self.functions_key}"
        return headers

    def secrets(self) -> list[str]:
        """Values that must never appear in a message."""
        return [self.functions_key] if self.functions_key else []
