"""The operators' kit (issue 23): examples/observability/prometheus-alerts.yml and
grafana-dashboard.json, checked against a real worker's /metrics.

A real `orchestrator serve --metrics-port` runs against the session's Postgres (a run
completes, one fails, a health check is recorded, the engine's figures are read) and is
scraped once for the module. Then:

- every metric the rules and the dashboard name is in that scrape;
- `promtool check rules` passes the rule file, and the dashboard's expressions as rules;
- `promtool test rules` runs unit tests written here, whose input series carry the names
  and labels of that scrape (a renamed metric or label breaks them): each alert fires on
  its condition, and none fires for a healthy worker;
- the engine's gauges carry what `integration_ops.get_engine_metrics()` answers.

promtool comes from Debian's `prometheus` package (`make deps`); without it these tests
FAIL, they never skip.
"""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import httpx
import psycopg
import pytest
import yaml
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.samples import Sample

from orchestrator.tooling import localdb
from tests.health_pairs import isolated_pairs
from tests.http_fixtures import RecordingServer
from tests.sync_db import add_pair, add_pending_run, clear_active_runs, forget
from tests.worker_procs import ROOT, finish, orchestrator, start, worker_env

KIT = ROOT / "examples" / "observability"
RULES = KIT / "prometheus-alerts.yml"
DASHBOARD = KIT / "grafana-dashboard.json"
OPERATIONS = ROOT / "docs" / "operations.md"
JOB = "orchestrator"
METRIC = re.compile(r"\borchestrator_[A-Za-z0-9_]+")
# What the kit must show (issue 23): runs by outcome and type, call latency, in flight,
# retries, retries exhausted, cold starts, last poll age, database errors, reports retried.
KIT_METRICS = {
    "orchestrator_sync_runs_total",
    "orchestrator_sync_call_seconds_bucket",
    "orchestrator_sync_in_flight",
    "orchestrator_engine_retries_24h",
    "orchestrator_engine_retries_exhausted_24h",
    "orchestrator_engine_cold_starts_24h",
    "orchestrator_last_poll_timestamp_seconds",
    "orchestrator_db_errors_total",
    "orchestrator_reports_retried_total",
}


def promtool() -> str:
    path = shutil.which("promtool")
    if path is None:
        pytest.fail("promtool not found: `make deps` installs it (Debian package prometheus)")
    return path


def run_promtool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [promtool(), *args], capture_output=True, text=True, timeout=120, check=False
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str) -> httpx.Response | None:
    try:
        return httpx.get(url, timeout=5)
    except httpx.TransportError:
        return None


def wait_until(predicate: Callable[[], bool], timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.2)


def parse(text: str) -> tuple[Sample, ...]:
    return tuple(s for family in text_string_to_metric_families(text) for s in family.samples)


@dataclass(frozen=True)
class Scrape:
    """One /metrics answer of a real worker, and the instance Prometheus would label it."""

    samples: tuple[Sample, ...]
    instance: str

    @property
    def names(self) -> frozenset[str]:
        return frozenset(s.name for s in self.samples)

    def value(self, name: str, **labels: str) -> float:
        found = [s.value for s in self.samples if s.name == name and s.labels == labels]
        assert found, f"no sample {name}{labels}"
        return found[0]

    def series(self, name: str, instance: str | None = None, **labels: str) -> Series:
        """The scraped series `name` whose labels include `labels`, labelled as Prometheus
        stores it (job, instance added); a missing one fails the test."""
        for s in self.samples:
            if s.name == name and all(s.labels.get(k) == v for k, v in labels.items()):
                stored = {k: v for k, v in s.labels.items() if v != ""}  # "" is no label
                stored |= {"job": JOB, "instance": instance or self.instance}
                return Series(name, stored)
        pytest.fail(f"the worker's /metrics has no series {name}{labels}")


@dataclass(frozen=True)
class Series:
    name: str
    labels: dict[str, str]

    def notation(self) -> str:
        inner = ",".join(f'{k}="{v}"' for k, v in sorted(self.labels.items()))
        return f"{self.name}{{{inner}}}"

    def values(self, values: str) -> dict[str, str]:
        return {"series": self.notation(), "values": values}


def up(instance: str) -> Series:
    """Prometheus's own `up` series of a scrape target (not a worker metric)."""
    return Series("up", {"job": JOB, "instance": instance})


@pytest.fixture(scope="module")
def scrape(cluster: localdb.LocalCluster) -> Iterator[Scrape]:
    """`orchestrator serve --metrics-port` with both loops until a run has completed, one
    has failed (both xledger), a health check is recorded and the engine's figures are
    read; its /metrics, then SIGTERM."""
    with (
        psycopg.connect(cluster.dsn(user=localdb.SUPERUSER), autocommit=True) as admin,
        RecordingServer() as server,
    ):
        clear_active_runs(admin)
        orgs = [
            add_pair(admin, server.route("/ok", json={"records_processed": 3})),
            add_pair(admin, server.route("/bad", status=500)),
        ]
        for org in orgs:
            add_pending_run(admin, org)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        needed = {
            ("orchestrator_sync_runs_total", "completed"),
            ("orchestrator_sync_runs_total", "failed"),
        }

        def complete() -> bool:
            answer = get(f"{base}/metrics")
            if answer is None or answer.status_code != 200:
                return False
            samples = parse(answer.text)
            seen = {(s.name, s.labels.get("outcome")) for s in samples}
            names = {s.name for s in samples}
            return (
                needed <= seen
                and {
                    "orchestrator_health_checks_total",
                    "orchestrator_engine_read_timestamp_seconds",
                }
                <= names
            )

        try:
            with isolated_pairs(admin) as pairs:
                pairs.add("bufdir", {"url": server.route("/probe")})
                proc = start(
                    orchestrator(
                        cluster.dsn(user="worker_login"),
                        "serve",
                        "--metrics-port",
                        str(port),
                        "--poll-interval",
                        "0.5",
                        "--health-poll-interval",
                        "0.5",
                    ),
                    worker_env(),
                )
                try:
                    wait_until(complete)
                    answer = get(f"{base}/metrics")
                    assert answer is not None and answer.status_code == 200
                finally:
                    proc.send_signal(signal.SIGTERM)
                    code, _, err = finish(proc, timeout=60)
                assert code == 0, err
        finally:
            forget(admin, orgs)
    yield Scrape(parse(answer.text), f"127.0.0.1:{port}")


def rules() -> dict[str, dict[str, Any]]:
    doc = yaml.safe_load(RULES.read_text())
    return {r["alert"]: r for group in doc["groups"] for r in group["rules"] if "alert" in r}


def dashboard() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(DASHBOARD.read_text())
    return doc


def dashboard_panels() -> list[dict[str, Any]]:
    def walk(panels: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for panel in panels:
            yield panel
            yield from walk(panel.get("panels") or [])

    return list(walk(dashboard()["panels"]))


def dashboard_exprs() -> list[tuple[str, str]]:
    """(where, PromQL) of every panel target and every templating query."""
    found = [
        (panel["title"], target["expr"])
        for panel in dashboard_panels()
        for target in panel.get("targets") or []
    ]
    for variable in dashboard()["templating"]["list"]:
        query = variable["query"]
        found.append((f"${variable['name']}", query["query"] if isinstance(query, dict) else query))
    return found


def label_values_metric(query: str) -> str:
    """`label_values(metric, label)` → metric: Grafana's function, not PromQL."""
    match = re.fullmatch(r"label_values\((\w+),\s*\w+\)", query)
    return match.group(1) if match else query


# --- the rule file --------------------------------------------------------------------------


def test_promtool_checks_the_rules() -> None:
    result = run_promtool("check", "rules", str(RULES))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"SUCCESS: {len(rules())} rules found" in result.stdout


def test_rules_name_only_metrics_the_worker_exports(scrape: Scrape) -> None:
    used = {name for rule in rules().values() for name in METRIC.findall(rule["expr"])}
    assert used, "the rules name no worker metric"
    assert used - scrape.names == set(), f"not in the worker's /metrics: {used - scrape.names}"


def github_anchor(heading: str) -> str:
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def test_every_alert_has_a_summary_a_description_and_a_runbook() -> None:
    anchors = {
        github_anchor(line.lstrip("#"))
        for line in OPERATIONS.read_text().splitlines()
        if line.startswith("#")
    }
    for name, rule in rules().items():
        notes = rule.get("annotations") or {}
        assert notes.get("summary") and notes.get("description"), name
        assert notes.get("runbook_url") == f"docs/operations.md#{name.lower()}", name
        assert name.lower() in anchors, f"docs/operations.md has no section {name}"
        assert rule.get("labels", {}).get("severity") in ("warning", "critical"), name


def render(template: str, labels: dict[str, str]) -> str:
    """The annotation as Prometheus renders it; only `{{ $labels.x }}` is used."""
    text = re.sub(r"\{\{\s*\$labels\.(\w+)\s*\}\}", lambda m: labels.get(m.group(1), ""), template)
    assert "{{" not in text, f"a template this test does not render: {template}"
    return text


def expected(alert: str, labels: dict[str, str]) -> dict[str, Any]:
    rule = rules()[alert]
    all_labels = {**labels, **rule.get("labels", {})}
    return {
        "exp_labels": all_labels,
        "exp_annotations": {k: render(v, all_labels) for k, v in rule["annotations"].items()},
    }


def unit_tests(s: Scrape) -> list[dict[str, Any]]:
    """promtool test groups: the series are the scrape's, the values are written here."""
    other = "127.0.0.1:1"  # a second worker (the engine's figures come from every one)
    poll = "orchestrator_last_poll_timestamp_seconds"
    runs = "orchestrator_sync_runs_total"
    completed = s.series(runs, outcome="completed", integration_type="xledger")
    failed = s.series(runs, outcome="failed", integration_type="xledger", error_code="http_500")
    open_alerts = "orchestrator_engine_open_alerts"
    kinds = sorted(x.labels["kind"] for x in s.samples if x.name == open_alerts)
    assert {"drift", "lagging", "retries_exhausted"} <= set(kinds)
    job = {"job": JOB}
    tests: list[dict[str, Any]] = [
        {
            "name": "a worker that stops answering",
            "input_series": [up(s.instance).values("1 1 0 0 0 0 0 0")],
            "alert_rule_test": [
                {"alertname": "OrchestratorWorkerDown", "eval_time": "3m"},
                {
                    "alertname": "OrchestratorWorkerDown",
                    "eval_time": "5m",
                    "exp_alerts": [
                        expected("OrchestratorWorkerDown", {**job, "instance": s.instance})
                    ],
                },
            ],
        },
        {
            "name": "no worker scraped at all",
            "input_series": [s.series("orchestrator_db_errors_total").values("0x10")],
            "alert_rule_test": [
                {"alertname": "OrchestratorWorkerAbsent", "eval_time": "3m"},
                {
                    "alertname": "OrchestratorWorkerAbsent",
                    "eval_time": "6m",
                    "exp_alerts": [expected("OrchestratorWorkerAbsent", job)],
                },
            ],
        },
        {
            "name": "the sync loop stops claiming, the health loop goes on",
            "input_series": [
                s.series(poll, loop="sync").values("0+60x5 300x25"),
                s.series(poll, loop="health").values("0+60x30"),
            ],
            "alert_rule_test": [
                {"alertname": "OrchestratorNoPoll", "eval_time": "14m"},
                {
                    "alertname": "OrchestratorNoPoll",
                    "eval_time": "17m",
                    "exp_alerts": [
                        expected("OrchestratorNoPoll", s.series(poll, loop="sync").labels)
                    ],
                },
            ],
        },
        {
            "name": "three of four xledger runs fail",
            "input_series": [completed.values("0+1x60"), failed.values("0+3x60")],
            "alert_rule_test": [
                {"alertname": "OrchestratorSyncFailureRatio", "eval_time": "5m"},
                {
                    "alertname": "OrchestratorSyncFailureRatio",
                    "eval_time": "15m",
                    "exp_alerts": [
                        expected(
                            "OrchestratorSyncFailureRatio", {**job, "integration_type": "xledger"}
                        )
                    ],
                },
            ],
        },
        {
            "name": "one of four xledger runs fails",
            "input_series": [completed.values("0+3x60"), failed.values("0+1x60")],
            "alert_rule_test": [{"alertname": "OrchestratorSyncFailureRatio", "eval_time": "20m"}],
        },
        {
            "name": "every run fails, but fewer than four in 30 minutes",
            "input_series": [completed.values("0x60"), failed.values("0+0.05x60")],
            "alert_rule_test": [{"alertname": "OrchestratorSyncFailureRatio", "eval_time": "40m"}],
        },
        {
            "name": "database errors, one every two seconds",
            "input_series": [s.series("orchestrator_db_errors_total").values("0+30x20")],
            "alert_rule_test": [
                {"alertname": "OrchestratorDatabaseErrors", "eval_time": "5m"},
                {
                    "alertname": "OrchestratorDatabaseErrors",
                    "eval_time": "15m",
                    "exp_alerts": [
                        expected("OrchestratorDatabaseErrors", {**job, "instance": s.instance})
                    ],
                },
            ],
        },
        {
            "name": "two workers report an open retries_exhausted alert: one alert",
            "input_series": [
                s.series(open_alerts, kind="retries_exhausted").values("0 0 1x10"),
                s.series(open_alerts, other, kind="retries_exhausted").values("0 0 1x10"),
                s.series(open_alerts, kind="drift").values("0x12"),
            ],
            "alert_rule_test": [
                {"alertname": "OrchestratorRetriesExhausted", "eval_time": "2m"},
                {
                    "alertname": "OrchestratorRetriesExhausted",
                    "eval_time": "4m",
                    "exp_alerts": [expected("OrchestratorRetriesExhausted", job)],
                },
                {"alertname": "OrchestratorDrift", "eval_time": "10m"},
            ],
        },
        {
            "name": "open drift and lagging alerts",
            "input_series": [
                s.series(open_alerts, kind="drift").values("0 1x12"),
                s.series(open_alerts, kind="lagging").values("0 0 0 1x12"),
            ],
            "alert_rule_test": [
                {"alertname": "OrchestratorDrift", "eval_time": "3m"},
                {
                    "alertname": "OrchestratorDrift",
                    "eval_time": "7m",
                    "exp_alerts": [expected("OrchestratorDrift", job)],
                },
                {"alertname": "OrchestratorLagging", "eval_time": "7m"},
                {
                    "alertname": "OrchestratorLagging",
                    "eval_time": "9m",
                    "exp_alerts": [expected("OrchestratorLagging", job)],
                },
            ],
        },
        {
            "name": "pg_cron stops storing the snapshot; then no worker reads the figures",
            "input_series": [
                s.series("orchestrator_engine_snapshot_timestamp_seconds").values("0+60x5 300x30"),
                s.series("orchestrator_engine_read_timestamp_seconds").values("0+60x5 300x30"),
            ],
            "alert_rule_test": [
                {"alertname": "OrchestratorPgCronStalled", "eval_time": "14m"},
                {
                    "alertname": "OrchestratorPgCronStalled",
                    "eval_time": "22m",
                    "exp_alerts": [expected("OrchestratorPgCronStalled", job)],
                },
                {"alertname": "OrchestratorEngineFiguresStale", "eval_time": "9m"},
                {
                    "alertname": "OrchestratorEngineFiguresStale",
                    "eval_time": "17m",
                    "exp_alerts": [expected("OrchestratorEngineFiguresStale", job)],
                },
            ],
        },
    ]
    healthy = [
        up(s.instance).values("1x30"),
        s.series(poll, loop="sync").values("0+60x30"),
        s.series(poll, loop="health").values("0+60x30"),
        completed.values("0+2x30"),
        failed.values("0x30"),
        s.series("orchestrator_db_errors_total").values("0x30"),
        s.series("orchestrator_engine_snapshot_timestamp_seconds").values("0+60x30"),
        s.series("orchestrator_engine_read_timestamp_seconds").values("0+60x30"),
        *(s.series(open_alerts, kind=kind).values("0x30") for kind in kinds),
    ]
    tests.append(
        {
            "name": "a healthy worker: no alert",
            "input_series": healthy,
            "alert_rule_test": [
                {"alertname": name, "eval_time": at} for name in rules() for at in ("10m", "30m")
            ],
        }
    )
    for test in tests:
        test["interval"] = "1m"
    return tests


def test_promtool_unit_tests_over_the_workers_series(scrape: Scrape, tmp_path: Path) -> None:
    tests = unit_tests(scrape)
    fired = {
        case["alertname"]
        for test in tests
        for case in test["alert_rule_test"]
        if case.get("exp_alerts")
    }
    assert fired == set(rules()), f"alerts no unit test makes fire: {set(rules()) - fired}"
    doc = {"rule_files": [str(RULES)], "evaluation_interval": "1m", "tests": tests}
    path = tmp_path / "prometheus-alerts.test.yml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    result = run_promtool("test", "rules", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout


def test_unit_tests_break_when_a_metric_is_renamed(scrape: Scrape, tmp_path: Path) -> None:
    """The unit tests can fail: rules over a name the worker does not export miss alerts."""
    renamed = tmp_path / "renamed.yml"
    renamed.write_text(
        RULES.read_text().replace("orchestrator_engine_open_alerts", "orchestrator_open_alerts")
    )
    doc = {"rule_files": [str(renamed)], "evaluation_interval": "1m", "tests": unit_tests(scrape)}
    path = tmp_path / "renamed.test.yml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    result = run_promtool("test", "rules", str(path))
    assert result.returncode != 0
    assert "OrchestratorRetriesExhausted" in result.stdout + result.stderr


# --- the dashboard ----------------------------------------------------------------------------


def test_dashboard_imports_with_a_prometheus_datasource_input() -> None:
    doc = dashboard()
    assert {"name": "DS_PROMETHEUS", "pluginId": "prometheus", "type": "datasource"}.items() <= (
        doc["__inputs"][0].items()
    )
    source = {"type": "prometheus", "uid": "${DS_PROMETHEUS}"}
    for panel in dashboard_panels():
        if panel["type"] == "row":
            continue
        assert panel["datasource"] == source, panel["title"]
        assert panel["targets"], panel["title"]
        for target in panel["targets"]:
            assert target["datasource"] == source, panel["title"]
    variables = doc["templating"]["list"]
    assert variables, "the dashboard has no templating variable (the job)"
    for variable in variables:
        assert variable["datasource"] == source
    ids = [p["id"] for p in dashboard_panels()]
    assert len(ids) == len(set(ids)), "panel ids repeat"


def test_dashboard_names_only_metrics_the_worker_exports(scrape: Scrape) -> None:
    missing = {
        (where, name)
        for where, expr in dashboard_exprs()
        for name in METRIC.findall(expr)
        if name not in scrape.names
    }
    assert not missing, f"panels name metrics the worker does not export: {sorted(missing)}"
    for where, expr in dashboard_exprs():
        assert METRIC.search(expr) or re.search(r"\bup\{", expr), f"{where}: no metric"
    used = {name for _, expr in dashboard_exprs() for name in METRIC.findall(expr)}
    assert used >= KIT_METRICS, f"the dashboard does not show {KIT_METRICS - used}"


def test_dashboard_check_fails_on_a_metric_the_worker_does_not_export(scrape: Scrape) -> None:
    """The check above can fail: a panel naming a made-up metric is caught."""
    exprs = [*dashboard_exprs(), ("made up", "rate(orchestrator_sync_runs_retryable[5m])")]
    missing = [n for _, e in exprs for n in METRIC.findall(e) if n not in scrape.names]
    assert missing == ["orchestrator_sync_runs_retryable"]


def test_dashboard_expressions_are_promql(tmp_path: Path) -> None:
    """promtool parses every panel's expression (Grafana's variables replaced)."""
    grafana = {"$__rate_interval": "5m", "$__interval": "1m", "$__range": "1h", "$job": ".+"}
    recording = []
    for i, (_, expr) in enumerate(dashboard_exprs()):
        for variable, value in grafana.items():
            expr = expr.replace(variable, value)
        recording.append({"record": f"dashboard:expr_{i}", "expr": label_values_metric(expr)})
    path = tmp_path / "dashboard-exprs.yml"
    path.write_text(yaml.safe_dump({"groups": [{"name": "dashboard", "rules": recording}]}))
    result = run_promtool("check", "rules", str(path))
    assert result.returncode == 0, result.stdout + result.stderr


# --- the engine's figures ---------------------------------------------------------------------

PROBE_TYPE = "opskit_probe"


@pytest.fixture()
def exhausted_chain(admin_conn: psycopg.Connection[Any]) -> Iterator[UUID]:
    """A type of its own whose one period used up its attempts: attempt 1 met a cold
    endpoint and failed, attempt 5 of 5 failed with a timeout; alerts and snapshot
    refreshed."""
    org = uuid4()
    admin_conn.execute(
        "INSERT INTO public.integration_types (integration_type, display_name) "
        "VALUES (%s, 'Operators kit probe')",
        (PROBE_TYPE,),
    )
    admin_conn.execute(
        "INSERT INTO public.organization_integrations (org_id, integration_type, endpoint_url, "
        "health_mode) VALUES (%s, %s, 'http://127.0.0.1:9/x', 'disabled')",
        (org, PROBE_TYPE),
    )
    first = uuid4()
    admin_conn.execute(
        "INSERT INTO public.sync_run_log (id, org_id, integration_type, status, triggered_by, "
        "created_at, started_at, ended_at, error_code, attempt, retry_of, idempotency_key, "
        "cold_start) VALUES "
        "(%(first)s, %(org)s, %(type)s, 'failed', 'manual', now() - interval '40 minutes', "
        " now() - interval '40 minutes', now() - interval '39 minutes', 'timeout', 1, NULL, "
        " 'opskit:1', true), "
        "(gen_random_uuid(), %(org)s, %(type)s, 'failed', 'manual', now() - interval '9 minutes',"
        " now() - interval '9 minutes', now() - interval '8 minutes', 'timeout', 5, %(first)s, "
        " 'opskit:1', false)",
        {"first": first, "org": org, "type": PROBE_TYPE},
    )
    admin_conn.execute("SELECT integration_ops.refresh_alerts()")
    admin_conn.execute("SELECT integration_ops.refresh_engine_stats()")
    try:
        yield org
    finally:
        admin_conn.execute("DELETE FROM integration_ops.alerts WHERE org_id = %s", (org,))
        admin_conn.execute("DELETE FROM public.sync_run_log WHERE org_id = %s", (org,))
        admin_conn.execute("DELETE FROM public.organization_integrations WHERE org_id = %s", (org,))
        admin_conn.execute(
            "DELETE FROM public.integration_types WHERE integration_type = %s", (PROBE_TYPE,)
        )
        admin_conn.execute("SELECT integration_ops.refresh_engine_stats()")


def test_engine_gauges_carry_the_databases_figures(
    admin_conn: psycopg.Connection[Any], worker_dsn: str, exhausted_chain: UUID
) -> None:
    """`health --metrics-port` (any process with a metrics port) exports what
    get_engine_metrics() answers: retries, exhausted chains and cold starts per type, the
    open alerts per kind, the snapshot's time."""
    row = admin_conn.execute(
        "SELECT extract(epoch FROM computed_at)::float8 FROM integration_ops.engine_stats"
    ).fetchone()
    assert row is not None
    snapshot_at = float(row[0])
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with isolated_pairs(admin_conn):  # the health loop has nothing to probe
        proc = start(orchestrator(worker_dsn, "health", "--metrics-port", str(port)), worker_env())
        try:
            wait_until(
                lambda: (
                    (r := get(f"{base}/metrics")) is not None
                    and "orchestrator_engine_read_timestamp_seconds" in r.text
                )
            )
            answer = get(f"{base}/metrics")
            assert answer is not None
        finally:
            proc.send_signal(signal.SIGTERM)
            code, _, err = finish(proc, timeout=60)
    assert code == 0, err
    got = Scrape(parse(answer.text), "")
    probe = {"integration_type": PROBE_TYPE}
    assert got.value("orchestrator_engine_runs_24h", **probe, outcome="failed") == 2
    assert got.value("orchestrator_engine_runs_24h", **probe, outcome="completed") == 0
    assert got.value("orchestrator_engine_retries_24h", **probe) == 1
    assert got.value("orchestrator_engine_retries_exhausted_24h", **probe) == 1
    assert got.value("orchestrator_engine_cold_starts_24h", **probe) == 1
    assert got.value("orchestrator_engine_cold_starts_failed_24h", **probe) == 1
    assert got.value("orchestrator_engine_open_alerts", kind="retries_exhausted") >= 1
    kinds = {s.labels["kind"] for s in got.samples if s.name == "orchestrator_engine_open_alerts"}
    assert kinds == {
        "drift",
        "worker_lost",
        "stale_pending",
        "repeated_failures",
        "cold_start_failed",
        "retries_exhausted",
        "lagging",
    }
    quantiles = {
        s.labels["quantile"]
        for s in got.samples
        if s.name == "orchestrator_engine_drift_24h_seconds"
    }
    assert quantiles == {"0.5", "0.95", "1"}
    assert got.value("orchestrator_engine_snapshot_timestamp_seconds") >= snapshot_at
    assert abs(got.value("orchestrator_engine_read_timestamp_seconds") - time.time()) < 120
    for name in ("runs_pending", "runs_running", "retries_waiting", "drift_alert_seconds"):
        assert f"orchestrator_engine_{name}" in got.names


async def test_a_failed_read_keeps_the_last_figures_and_the_reader_goes_on() -> None:
    """A pure unit of `read_engine_figures`: one answer, then a transient error, a refusal,
    a bug and a transient error again: the reader goes on through each, and the figures
    (and their read time) stay those of the one answer."""
    from orchestrator.runtime.errors import RefusedError, TransientDbError
    from orchestrator.runtime.metrics import EngineFigures, read_engine_figures

    doc = {"queue": {"pending": 4, "waiting_retries": 1, "running": 2}, "open_alerts": {}}
    answers: list[object] = [
        doc,
        TransientDbError("server closed the connection"),
        RefusedError("permission denied", "42501"),
        ValueError("a bug"),
        TransientDbError("server closed the connection"),
    ]
    stop = asyncio.Event()
    called_at: list[float] = []

    async def fetch() -> dict[str, Any]:
        called_at.append(time.time())
        answer = answers.pop(0)
        if not answers:
            stop.set()  # the last call: then the reader ends
        if isinstance(answer, Exception):
            raise answer
        return dict(doc)

    figures = EngineFigures()
    assert list(figures.collect()) == [], "nothing before the first read"
    await asyncio.wait_for(read_engine_figures(fetch, figures, stop, interval_s=0.01), 10)
    assert len(called_at) == 5
    by_name = {family.name: family for family in figures.collect()}
    assert by_name["orchestrator_engine_runs_pending"].samples[0].value == 4
    assert by_name["orchestrator_engine_retries_waiting"].samples[0].value == 1
    read_at = by_name["orchestrator_engine_read_timestamp_seconds"].samples[0].value
    assert called_at[0] <= read_at <= called_at[1]
    assert by_name["orchestrator_engine_snapshot_timestamp_seconds"].samples[0].value == 0
