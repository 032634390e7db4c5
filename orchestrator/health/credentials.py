"""Credentials for probes: `secret_ref` (a name stored in the database) resolved from
the worker's environment as `ORCHESTRATOR_SECRET_<REF upper-cased>`. The value is
never read from the database, never logged and never put in an error message."""

from __future__ import annotations

from collections.abc import Mapping

SECRET_ENV_PREFIX = "ORCHESTRATOR_SECRET_"


class MissingSecretError(LookupError):
    """The pair names a secret the worker's environment does not hold."""


def secret_env_var(secret_ref: str) -> str:
    return SECRET_ENV_PREFIX + secret_ref.upper()


def resolve_secret(secret_ref: str | None, environ: Mapping[str, str]) -> str | None:
    """The secret named by `secret_ref`, None when the pair has no `secret_ref`."""
    if not secret_ref:
        return None
    name = secret_env_var(secret_ref)
    value = environ.get(name)
    if not value:
        raise MissingSecretError(
            f"secret_ref {secret_ref!r}: environment variable {name} is not set"
        )
    return value
