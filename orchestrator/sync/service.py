"""Wiring for the CLI: a real pool, HTTP client, LISTEN connection and signal handlers."""

from __future__ import annotations

import json
import os
import socket
from typing import Any

import psycopg

from . import queries
from .http_call import HttpIntegrationCaller, new_http_client
from .runner import RunnerConfig, RunSummary, SyncRunner, stop_on_signals
from .store import PgRunStore, PgWakeupListener, new_pool

APPLICATION_NAME = "orchestrator-sync-worker"


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


async def run_worker(
    dsn: str,
    config: RunnerConfig,
    service_key: str,
    call_timeout: float,
    poll_only: bool,
    connect_timeout: float = 30.0,
) -> RunSummary:
    pool = new_pool(dsn, config.concurrency, APPLICATION_NAME)
    await pool.open(wait=True, timeout=connect_timeout)
    try:
        async with new_http_client(config.concurrency) as client:
            listener = (
                None
                if poll_only or config.once
                else PgWakeupListener(dsn, APPLICATION_NAME + "-listen", config.poll_interval)
            )
            runner = SyncRunner(
                PgRunStore(pool),
                HttpIntegrationCaller(client, service_key, call_timeout),
                config,
                listener,
            )
            with stop_on_signals(runner):
                return await runner.run()
    finally:
        await pool.close()


def dispatch_once(dsn: str) -> dict[str, Any]:
    """integration_ops.dispatch_due_syncs() once; its jsonb as a dict."""
    with psycopg.connect(dsn, autocommit=True, application_name=APPLICATION_NAME) as conn:
        row = conn.execute(queries.DISPATCH_DUE_SYNCS).fetchone()
    if row is None or not isinstance(row[0], dict):
        raise RuntimeError(f"dispatch_due_syncs() returned {row!r}")
    return row[0]


def to_json(value: dict[str, Any]) -> str:
    return json.dumps(value, sort_keys=True, default=str)
