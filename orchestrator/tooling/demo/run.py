"""`make run`: deploy, seed a demo, run dispatch, the sync worker and the health runner
for real against a DEMO STAND-IN endpoint, and show the status.

Every step is the real system: Sqitch deploys the plan to the embedded Postgres as the
non-superuser `postgres`; the worker and the health runner are the `orchestrator`
commands, run as subprocesses with a login that holds only `integration_worker`.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import click
import psycopg

from ...sync.signing import SECRET_ENV, new_webhook_secret, parse_webhook_secret
from .. import localdb
from ..project import SqitchProject
from ..sqitch import run_sqitch
from .endpoint import start_demo_endpoint

DEMO_WORKER_LOGIN = "demo_worker"
ORG_A = "0a000000-0000-4000-8000-00000000000a"
ORG_B = "0b000000-0000-4000-8000-00000000000b"
COORDINATOR_B = "d0000000-0000-4000-8000-000000000004"
DISPATCH_EVERY_S = 60.0


@contextmanager
def step(title: str) -> Iterator[None]:
    click.secho(f"==> {title} ...", fg="cyan", err=True)
    start = time.monotonic()
    yield
    click.secho(f"    done in {time.monotonic() - start:.1f}s", fg="cyan", err=True)


def _orchestrator(dsn: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "orchestrator", "--dsn", dsn, *args]


def _run(cmd: Sequence[str], env: dict[str, str]) -> None:
    result = subprocess.run(list(cmd), env=env, check=False)
    if result.returncode != 0:
        raise click.ClickException(f"`{' '.join(cmd[2:])}` exited with {result.returncode}")


def prepare_database(datadir: Path, project: SqitchProject) -> tuple[localdb.LocalCluster, bool]:
    with step(f"starting the embedded Postgres in {datadir}"):
        was_running = localdb.running_cluster(datadir) is not None
        try:
            cluster, created = localdb.ensure_cluster(datadir, compat_script=project.compat_script)
        except localdb.LocalDbError as exc:
            raise click.ClickException(
                f"{exc}\n(to start from scratch: remove {datadir}; `make clean` in a checkout)"
            ) from exc
        how = "created" if created else ("reusing" if was_running else "started")
        click.echo(f"    {how} {cluster.uri()}", err=True)
    with step("deploying the Sqitch plan as the non-superuser `postgres`"):
        result = run_sqitch("deploy", cluster.sqitch_target(), capture=True, cwd=project.root)
        if result.returncode != 0:
            raise click.ClickException(f"sqitch deploy failed:\n{result.stdout}{result.stderr}")
    return cluster, created


def seed_demo(cluster: localdb.LocalCluster, base_url: str, seed_script: Path) -> None:
    with (
        step("seeding the demo (2 orgs, a user per role, 5 integrations)"),
        psycopg.connect(cluster.dsn(user=localdb.SUPERUSER), autocommit=True) as conn,
    ):
        conn.execute(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = "
            f"'{DEMO_WORKER_LOGIN}') THEN CREATE ROLE {DEMO_WORKER_LOGIN} LOGIN; END IF; END $$"
        )
        conn.execute(f"GRANT integration_worker TO {DEMO_WORKER_LOGIN}")
        # Start from a clean slate for the demo orgs' runs and health rows.
        for table in ("public.sync_run_log", "public.integration_health_status"):
            conn.execute(
                f"DELETE FROM {table} WHERE org_id = ANY(%s::uuid[])",
                ([ORG_A, ORG_B],),
            )
        conn.execute("SELECT set_config('demo.base_url', %s, false)", (base_url,))
        conn.execute(seed_script.read_text().encode())


def trigger_manual_sync(cluster: localdb.LocalCluster) -> None:
    """What the app does: supabase.rpc('trigger_integration_sync', …) as a coordinator."""
    with (
        step("the app triggers a manual sync (org B admin, dynamics) through the RPC"),
        psycopg.connect(cluster.dsn(user=localdb.SUPERUSER)) as conn,
    ):
        claims = f'{{"sub":"{COORDINATOR_B}","role":"authenticated","org_id":"{ORG_B}"}}'
        conn.execute("SELECT set_config('request.jwt.claims', %s, true)", (claims,))
        conn.execute("SET LOCAL ROLE authenticated")
        row = conn.execute(
            "SELECT public.trigger_integration_sync(org_id => %s, integration_type => 'dynamics')",
            (ORG_B,),
        ).fetchone()
        conn.commit()
        click.echo(f"    run id {row[0] if row else '?'}", err=True)


def run_demo(datadir: Path, once: bool, project: SqitchProject) -> None:
    env = dict(os.environ)
    # The worker signs every call with this secret; the stand-in verifies it (DESIGN §13).
    env.setdefault(SECRET_ENV, new_webhook_secret())
    env.setdefault("ORCHESTRATOR_SECRET_XLEDGER_DEMO", "demo-xledger-token")
    try:
        parse_webhook_secret(env[SECRET_ENV])
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    reused = localdb.running_cluster(datadir) is not None
    cluster, _created = prepare_database(datadir, project)
    endpoint = start_demo_endpoint(env[SECRET_ENV])
    click.secho(
        f"==> DEMO STAND-IN endpoint for vendors and integration functions: {endpoint.base_url}",
        fg="yellow",
        err=True,
    )
    worker_dsn = cluster.dsn(user=DEMO_WORKER_LOGIN)
    service_dsn = cluster.dsn(user=localdb.DEPLOY_USER)
    try:
        seed_demo(cluster, endpoint.base_url, project.demo_seed)
        with step("dispatching due syncs (integration_ops.dispatch_due_syncs)"):
            _run(_orchestrator(worker_dsn, "dispatch"), env)
        trigger_manual_sync(cluster)
        if once:
            with step("sync worker: running every pending run (concurrency 5)"):
                _run(_orchestrator(worker_dsn, "worker", "--once", "--concurrency", "5"), env)
            with step("health runner: probing every due integration"):
                _run(_orchestrator(worker_dsn, "health", "--once"), env)
            show_status(service_dsn, env)
        else:
            run_forever(worker_dsn, service_dsn, env)
    finally:
        if endpoint.rejected:
            click.secho(
                f"==> the stand-in refused {endpoint.rejected} call(s) without a valid "
                f"signature (is {SECRET_ENV} the same for the worker?)",
                fg="red",
                err=True,
            )
        endpoint.stop()
        if reused:
            click.echo(
                "==> leaving the embedded Postgres running (it was running before)", err=True
            )
        else:
            with step(f"stopping the embedded Postgres (data kept in {cluster.datadir})"):
                localdb.stop_cluster(datadir)


def show_status(service_dsn: str, env: dict[str, str]) -> None:
    for org, name in ((ORG_A, "Fjordvik Kommune"), (ORG_B, "Nordlys Barnevern")):
        click.secho(f"\n=== {name} ({org}) ===", bold=True)
        _run(_orchestrator(service_dsn, "status", "--org", org), env)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def run_forever(worker_dsn: str, service_dsn: str, env: dict[str, str]) -> None:
    click.secho("==> running the worker and the health runner; Ctrl-C to stop", fg="cyan", err=True)
    # Ctrl-C, or SIGTERM from a service manager: the same clean shutdown.
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, _interrupt)
    # Own sessions: a terminal's Ctrl-C reaches only this process, which then stops the
    # worker and the health runner with exactly one SIGTERM (a second would end their
    # grace period at once).
    procs = [
        subprocess.Popen(
            _orchestrator(worker_dsn, "worker", "--concurrency", "5"),
            env=env,
            start_new_session=True,
        ),
        subprocess.Popen(_orchestrator(worker_dsn, "health"), env=env, start_new_session=True),
    ]
    try:
        next_dispatch = time.monotonic() + DISPATCH_EVERY_S
        next_status = time.monotonic() + 5
        while all(p.poll() is None for p in procs):
            time.sleep(0.5)
            now = time.monotonic()
            if now >= next_status:
                show_status(service_dsn, env)
                next_status = now + DISPATCH_EVERY_S
            if now >= next_dispatch:
                _run(_orchestrator(worker_dsn, "dispatch"), env)
                next_dispatch = now + DISPATCH_EVERY_S
    except KeyboardInterrupt:
        click.secho("\n==> stopping (waiting for in-flight calls)", fg="cyan", err=True)
    finally:
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
