"""procrastinate as a Python team would run it: one worker process, `concurrency` async
jobs at once, LISTEN/NOTIFY for new jobs, a pool of concurrency + 2 connections. The
task makes the same HTTP call as our worker (one POST, JSON body, the same headers,
the JSON answer read) through one shared httpx.AsyncClient whose pool holds a
connection per concurrent job (what our 0.2 worker did).

`python -m bench.peers.procrastinate_worker '{"dsn": …, "concurrency": N, "url": …}'`
prints READY when the worker starts and ends on SIGTERM.
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

import httpx
import procrastinate

TASK = "bench_call"


def build(dsn: str, concurrency: int, url: str) -> tuple[Any, dict[str, httpx.AsyncClient]]:
    app = procrastinate.App(
        connector=procrastinate.PsycopgConnector(conninfo=dsn, min_size=1, max_size=concurrency + 2)
    )
    clients: dict[str, httpx.AsyncClient] = {}

    @app.task(name=TASK, pass_context=True)
    async def bench_call(context: procrastinate.JobContext, /, **payload: Any) -> None:
        job_id = str(context.job.id)
        response = await clients["http"].post(
            url,
            json={**payload, "job_id": job_id},
            headers={"Authorization": "Bearer bench-key", "Idempotency-Key": job_id},
        )
        response.raise_for_status()
        response.json()

    return app, clients


async def main(args: dict[str, Any]) -> None:
    concurrency = int(args["concurrency"])
    app, clients = build(str(args["dsn"]), concurrency, str(args["url"]))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits) as client, app.open_async():
        clients["http"] = client
        print("READY", flush=True)
        await app.run_worker_async(concurrency=concurrency, install_signal_handlers=True)


if __name__ == "__main__":
    asyncio.run(main(json.loads(sys.argv[1])))
