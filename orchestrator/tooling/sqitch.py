"""Sqitch through subprocess: output passed through, exit code kept.

How the CLI calls Sqitch:

- Sqitch runs in the Sqitch project folder (`orchestrator.tooling.project.locate`).
- The password never appears in sqitch's argv, where every local user can read it
  (`ps`): targets are passed without it and the password travels in the environment
  (`SQITCH_PASSWORD`; Sqitch hands it to psql as `PGPASSWORD`).
- The registry records who deployed: `SQITCH_FULLNAME`/`SQITCH_EMAIL`, the user's
  `sqitch config --user user.name`/`user.email`, or else the system account, exactly as
  Sqitch resolves them. Only when none of these exists (a container user without a
  passwd entry) does a neutral `orchestrator` name fill in, through `SQITCH_ORIG_*`,
  which ranks below all of them.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlencode, urlsplit

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from . import project

# The source checkout, for tests and benchmarks that need its other folders (tests/,
# docs/). The CLI never uses it: it asks `project.locate()`.
PROJECT_ROOT = project.CHECKOUT_ROOT


class SqitchNotFound(RuntimeError):
    pass


class TargetError(RuntimeError):
    """A target or DSN that cannot be used; the message says why."""


@dataclass(frozen=True)
class Target:
    """What sqitch gets as `--target` (never holding a password) and the password apart.

    `uri` is a `db:pg:` URI, the name of a target in sqitch.conf, or None (Sqitch's
    default: SQITCH_TARGET, then sqitch.conf's engine target).
    """

    uri: str | None
    password: str | None = None


_URI_PARTS = ("host", "port", "user", "password", "dbname")


def target_from_dsn(dsn: str) -> Target:
    """A libpq DSN (URI or key=value string) as a Sqitch target and its password."""
    try:
        params = conninfo_to_dict(dsn)
    except psycopg.ProgrammingError as exc:
        raise TargetError(f"cannot parse the DSN: {exc}") from exc
    values = {k: str(v) for k, v in params.items() if v is not None and str(v) != ""}
    host = values.get("host", "")
    port = values.get("port", "")
    extra = {k: v for k, v in values.items() if k not in _URI_PARTS}
    if "/" in host or "," in host or "," in port:
        # A socket folder or several hosts do not fit a URI's authority: libpq options.
        extra.update({k: values[k] for k in ("host", "port") if k in values})
        host, port = "", ""
    netloc = ""
    if "user" in values:
        netloc = quote(values["user"], safe="") + "@"
    netloc += host + (f":{port}" if port else "")
    uri = f"db:pg://{netloc}/{quote(values.get('dbname', ''), safe='')}"
    if extra:
        uri += "?" + urlencode(sorted(extra.items()))
    return Target(uri, values.get("password"))


def split_target(target: str) -> Target:
    """A `--target` as given: a `db:pg:` URI loses its password to the environment."""
    if not target.startswith("db:pg:"):
        return Target(target)  # a target name from sqitch.conf
    parts = urlsplit(target[len("db:") :])
    if parts.password is None:
        return Target(target)
    host = parts.netloc.rsplit("@", 1)[1]
    user = parts.netloc.rsplit("@", 1)[0].split(":", 1)[0]
    netloc = (user + "@" if user else "") + host
    rest = parts.path + (f"?{parts.query}" if parts.query else "")
    return Target(f"db:pg://{netloc}{rest}", unquote(parts.password))


def _system_user_known() -> bool:
    """Whether Sqitch can name the deployer from the system account (as it tries to)."""
    try:
        pwd.getpwuid(os.getuid())
    except KeyError:
        return bool(os.environ.get("LOGNAME") or os.environ.get("USER"))
    return True


PG_LIB_ROOT = Path("/usr/lib/postgresql")


def client_folder(path: str, lib_root: Path = PG_LIB_ROOT) -> Path | None:
    """Where `psql` on `path` is Debian's pg_wrapper, the newest installed client's own
    folder (the one the wrapper picks for a database that is not a local cluster of its
    own); else None.

    The wrapper is a Perl script that chooses a version, then starts the real psql: 35 ms
    per start, and Sqitch starts psql for every deploy, verify and revert script, twice
    per change when it verifies. Calling the client directly halves a deploy's time."""
    found = shutil.which("psql", path=path)
    if found is None or Path(os.path.realpath(found)).name != "pg_wrapper":
        return None
    versions = [
        int(psql.parent.parent.name)  # <lib_root>/<version>/bin/psql
        for psql in lib_root.glob("*/bin/psql")
        if psql.parent.parent.name.isdigit() and os.access(psql, os.X_OK)
    ]
    return lib_root / str(max(versions)) / "bin" if versions else None


def sqitch_env(password: str | None = None) -> dict[str, str]:
    """The environment Sqitch (and the psql it starts) runs in. Sqitch's own settings win:
    `engine.pg.client` in a sqitch.conf names the client; otherwise Sqitch takes the first
    `psql` on PATH, which is the installed client itself rather than Debian's wrapper
    (`client_folder`) unless PGCLUSTER asks the wrapper for a cluster. The wrapper's other
    choices (~/.postgresqlrc, user_clusters) are not consulted, as Sqitch's registry
    connection (DBD::Pg, libpq's defaults) never consulted them (docs/operations.md)."""
    env = dict(os.environ)
    folder = None if env.get("PGCLUSTER") else client_folder(env.get("PATH", os.defpath))
    if folder is not None:
        env["PATH"] = os.pathsep.join([str(folder), env.get("PATH", os.defpath)])
    if not _system_user_known():
        env.setdefault("SQITCH_ORIG_FULLNAME", "orchestrator")
        env.setdefault("SQITCH_ORIG_EMAIL", "orchestrator@localhost")
    env.setdefault("PGOPTIONS", "-c client_min_messages=warning")
    if password is not None:
        env["SQITCH_PASSWORD"] = password
    return env


def sqitch_executable() -> str:
    exe = shutil.which("sqitch")
    if exe is None:
        raise SqitchNotFound("sqitch is not installed; run `make deps` (Debian package sqitch)")
    return exe


def run_sqitch(
    command: str,
    target: str | Target | None,
    extra: Sequence[str] = (),
    *,
    capture: bool = False,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """`sqitch <command> [--target URI] <extra>` in the Sqitch project folder."""
    resolved = split_target(target) if isinstance(target, str) else target
    args = [sqitch_executable(), command]
    if resolved is not None and resolved.uri:
        args += ["--target", resolved.uri]
    args += list(extra)
    return subprocess.run(
        args,
        cwd=cwd if cwd is not None else project.locate().root,
        env=sqitch_env(resolved.password if resolved is not None else None),
        text=True,
        capture_output=capture,
        check=False,
    )


def _config_get(key: str, cwd: Path) -> str | None:
    out = subprocess.run(
        [sqitch_executable(), "config", "--get", key],
        cwd=cwd,
        env=sqitch_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    value = out.stdout.strip()
    return value or None


def target_conninfo(target: Target | None, cwd: Path) -> tuple[str, str | None]:
    """The libpq conninfo (and password) of the database Sqitch would deploy to."""
    uri = target.uri if target is not None else None
    password = target.password if target is not None else None
    if not uri:
        uri = os.environ.get("SQITCH_TARGET") or _config_get("engine.pg.target", cwd)
    if uri and not uri.startswith("db:"):
        named = _config_get(f"target.{uri}.uri", cwd)
        if named is None:
            raise TargetError(f"no target named {uri!r} in sqitch.conf")
        uri = named
        if password is None:
            named_target = split_target(uri)
            uri, password = named_target.uri, named_target.password
    if not uri or uri in ("db:pg:", "db:pg://"):
        return "", password  # libpq's defaults, as psql uses them
    if not uri.startswith("db:pg:"):
        raise TargetError(f"{uri} is not a PostgreSQL target (db:pg:…)")
    rest = uri[len("db:pg:") :]
    if not rest.startswith("//"):
        return f"dbname={rest}", password  # db:pg:widgets
    return "postgresql:" + rest, password


PG_CRON_HELP = """\
pg_cron is not installed in database {db!r}: the plan schedules its jobs (dispatch, \
reaper, cleanup, archive) with pg_cron, so nothing was deployed. Enable it, then deploy again:
  Supabase: Dashboard → Database → Extensions → search "pg_cron" → enable
            (or run `create extension pg_cron;` in the SQL editor).
  Self-managed PostgreSQL: shared_preload_libraries = 'pg_cron' and \
cron.database_name = '{db}' in postgresql.conf, restart, then `CREATE EXTENSION pg_cron;`."""


class PgCronMissing(RuntimeError):
    pass


def require_pg_cron(conninfo: str, password: str | None) -> None:
    """Raise PgCronMissing (with how to enable it) unless pg_cron is installed."""
    extra = {"connect_timeout": "10"}
    if password is not None:
        extra["password"] = password
    try:
        with psycopg.connect(make_conninfo(conninfo, **extra)) as conn:
            row = conn.execute(
                "SELECT current_database(), "
                "EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'pg_cron')"
            ).fetchone()
    except psycopg.Error as exc:
        raise TargetError(
            f"cannot connect to the target to check for pg_cron: {exc}".strip()
        ) from exc
    assert row is not None
    if not row[1]:
        raise PgCronMissing(PG_CRON_HELP.format(db=row[0]))
