"""What DBAs and developers run, never a deployed worker's loop.

- `project`: where the Sqitch project is (a checkout, ``--project-dir``, or the copy a
  wheel ships); `sqitch`: the Sqitch wrapper (``orchestrator db …``); `plan`: the plan
  read as steps; `bundle`: one SQL file per release for the Supabase SQL editor;
  `objects`: the generated index ``docs/objects.md``.
- `localdb`, `localpool`: a throwaway local Postgres and PgBouncer (demo, tests, bench).
- `status`, `integrations`: the read and admin commands (``orchestrator status``,
  ``orchestrator integrations …``) over the engine's SQL API.
- `demo/`: ``make run``, the whole system against a stand-in endpoint.

Tooling may import `orchestrator.runtime`; nothing in `runtime/`, `sync/` or `health/`
imports tooling (tests/test_layers.py checks it).
"""
