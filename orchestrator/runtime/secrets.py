"""Secrets named by `secret_ref` (a name stored in the database, never a secret):
resolved from the worker's environment as `ORCHESTRATOR_SECRET_<REF upper-cased>`.
Values are never read from the database, never logged, never put in a message."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

SECRET_ENV_PREFIX: Final = "ORCHESTRATOR_SECRET_"


class MissingSecretError(LookupError):
    """The pair names a secret the worker's environment does not hold."""


def secret_env_name(secret_ref: str) -> str:
    return SECRET_ENV_PREFIX + secret_ref.upper()


def resolve_secret(secret_ref: str | None, environ: Mapping[str, str]) -> str | None:
    """The secret named by `secret_ref`; None when there is no `secret_ref`."""
    if not secret_ref:
        return None
    name = secret_env_name(secret_ref)
    value = environ.get(name)
    if not value:
        raise MissingSecretError(
            f"secret_ref {secret_ref!r}: environment variable {name} is not set"
        )
    return value
