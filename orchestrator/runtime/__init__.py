"""The worker runtime shell shared by `orchestrator worker` and `orchestrator health`.

- `db`: the one database boundary (a pool within the process's connection ceiling,
  connection settings, error mapping, the reconnect after a lost connection, outage
  logging, LISTEN with a self-test); the only place SQL is sent from.
- `handshake`: the release of the package this worker needs, checked at start and after
  every reconnect, before any claim.
- `queries` + `store`: every statement, and the typed worker RPCs on top of `db`
  (procrastinate's connector/manager split).
- `loop`: one claim → perform → report loop with bounded concurrency, heartbeats,
  batched reports and their retries, and the signal / grace / force-stop lifecycle.
- `errors`: transient vs permanent database errors and the one-line causes and fixes.
- `events`: the observer hook (no-op by default; metrics plug in here).
- `identity`, `logs`, `secrets`: one worker id, one logging setup, one secret lookup.
- `sanitize`: the error-text sanitiser (the twin of the SQL rules) the log filter uses.
- `metrics`: the process's Prometheus registry, the engine figures and /metrics, /healthz.

`orchestrator.sync` and `orchestrator.health` hold only their HTTP call and its
classification, as a `Work` the loop runs. None of these three imports
`orchestrator.tooling` (tests/test_layers.py).
"""
