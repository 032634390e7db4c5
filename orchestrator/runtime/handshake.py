"""The version handshake (DESIGN §13): the release of the package this worker needs, and
the check of the deployed one, at start and after every reconnect, before any claim.

`integration_ops.package_version()` answers the deployed release since 0.3; a database
without it is 0.2 (it has `finish_sync_runs`) or older. A database older than
`REQUIRED_PACKAGE_VERSION` is a `VersionMismatchError`: the process exits 2 with one line
naming the fix, and /readyz is not ready. A newer database is fine (each release keeps
the worker RPCs of the one before, so workers can be rolled after the deploy).
"""

from __future__ import annotations

import re
from typing import Final

from .errors import DEPLOY_FIX, PermanentDbError

# The one place the needed release is written (bump it with the release that needs it).
REQUIRED_PACKAGE_VERSION: Final = "0.3.0"


def version_tuple(version: str) -> tuple[int, ...]:
    """'0.3.0' → (0, 3, 0); the leading numbers only ('0.4.0-rc1' → (0, 4, 0))."""
    match = re.match(r"\s*(\d+(?:\.\d+)*)", version)
    if match is None:
        return ()
    return tuple(int(part) for part in match.group(1).split("."))


def is_new_enough(deployed: str, required: str = REQUIRED_PACKAGE_VERSION) -> bool:
    have, need = version_tuple(deployed), version_tuple(required)
    width = max(len(have), len(need))
    return have + (0,) * (width - len(have)) >= need + (0,) * (width - len(need))


class VersionMismatchError(PermanentDbError):
    """The deployed package is older than this worker needs. `message` is the whole line:
    "database at 0.2.0, this worker needs 0.3.0: run orchestrator db deploy"."""

    def __init__(self, deployed: str, required: str = REQUIRED_PACKAGE_VERSION) -> None:
        super().__init__(f"database at {deployed}, this worker needs {required}", DEPLOY_FIX)
        self.deployed = deployed
        self.required = required
        self.message = (
            f"database at {deployed}, this worker needs {required}: run orchestrator db deploy"
        )
        self.args = (self.message,)


def check_deployed(version: str | None, *, has_schema: bool, has_batch_reports: bool) -> None:
    """Raise unless the deployed package is new enough. `version` is package_version()'s
    answer, None when the function does not exist."""
    if version is None:
        if not has_schema:
            return  # not deployed at all: the settings query names that (DEPLOY_FIX)
        deployed = "0.2.0" if has_batch_reports else "0.1.0"
        raise VersionMismatchError(deployed)
    if not is_new_enough(version):
        raise VersionMismatchError(version)
