# The two commands: `make run` (the demo on an embedded Postgres) and `make test`.
# Each installs what it needs first (`make deps`).

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# make test: test files spread over this many pytest-xdist workers (4 on 2 cores), each with
# its own throwaway cluster (most tests wait on subprocesses, HTTP and Postgres, not a core),
# handed out in the order tests/conftest.py sorts them (--no-loadscope-reorder: xdist would
# otherwise start the files with the most tests first, and leave the long few-test ones last)
TEST_WORKERS ?= 4
# prometheus: for its promtool, which checks and unit-tests examples/observability/
# prometheus-alerts.yml (tests/test_observability.py fails without it, never skips). Only
# promtool is used; on a systemd machine Debian also starts the server (port 9090):
# `systemctl disable --now prometheus` if you do not want it.
APT_PACKAGES := postgresql-15 postgresql-15-cron postgresql-15-pgtap postgresql-15-plpgsql-check \
	sqitch libdbd-pg-perl libtap-parser-sourcehandler-pgtap-perl pgbouncer prometheus
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BENCH_ORGS ?= 2000
ONCE ?=
# Python checked by ruff and mypy (mypy's list is [tool.mypy] packages in pyproject.toml).
PY_PATHS := orchestrator bench tests

.PHONY: deps apt-deps venv deno test test-deep lint squawk objects run bench-deps bench-peers bench bench-e2e bench-scale bench-soak clean

# Migration linter over the deploy scripts of the changes after @v0.1.0 (released scripts
# cannot be edited; docs/conventions.md says why, and which rules are off and why).
SQUAWK_SCRIPTS = $(shell awk 'f && /^[a-z]/ {print "deploy/" $$1 ".sql"} /^@v0\.1\.0 / {f=1}' sqitch.plan | sort -u)
SQUAWK := $(BIN)/squawk --pg-version=15.0 --exclude=require-statement-timeout,prefer-bigint-over-int

DENO_VERSION := 2.9.6
TOOLS := .tools
DENO := $(TOOLS)/node_modules/.bin/deno
# The Edge Function template (shipped in the package) and the npm packages it imports,
# pinned in its `npm:` specifiers, cached in $(TOOLS)/deno-cache (DENO_DIR) so that its
# tests run with --cached-only, never reaching the network.
EDGE_TEMPLATE := orchestrator/templates/edge_function
EDGE_TEMPLATE_TS := $(wildcard $(EDGE_TEMPLATE)/*.ts)
DENO_CACHED := $(TOOLS)/deno-cache/.edge-function-cached
# The Node.js peers of `make bench` (bench.e2e), pinned; the newest releases that run on
# the machine's Node.js 20 (graphile-worker 0.18 and pg-boss 11+ need Node.js 22).
GRAPHILE_WORKER_VERSION := 0.17.3
PG_BOSS_VERSION := 10.4.2
PG_VERSION := 8.23.1
BENCH_NODE := $(TOOLS)/bench
BENCH_PEERS := $(BENCH_NODE)/.installed-gw$(GRAPHILE_WORKER_VERSION)-pgboss$(PG_BOSS_VERSION)-pg$(PG_VERSION)

deps: apt-deps venv deno

# Deno for the Edge Function template's tests: the npm package `deno` ships the binary;
# installed project-locally into .tools/ (never globally). The machine's Node.js/npm is
# used; where there is none, Debian's npm (with its Node.js) is installed first. A missing
# deno FAILS the template tests (tests/test_edge_function_template.py), it never skips them.
deno: $(DENO) $(DENO_CACHED)

$(DENO_CACHED): $(DENO) $(EDGE_TEMPLATE_TS)
	@echo "==> caching the Edge Function template's npm packages into $(TOOLS)/deno-cache/"; \
	DENO_DIR=$(TOOLS)/deno-cache NO_COLOR=1 $(DENO) cache --quiet $(EDGE_TEMPLATE_TS) && touch $@

$(DENO):
	@command -v npm >/dev/null || { \
		echo "==> npm not found: installing Debian's npm (needed for deno)"; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm >/dev/null || \
		{ echo "!! apt-get failed: install Node.js and npm by hand, then run make again"; exit 1; }; }
	@echo "==> installing deno $(DENO_VERSION) into $(TOOLS)/"; mkdir -p $(TOOLS) && \
	npm install --prefix $(TOOLS) --no-audit --no-fund --loglevel=error deno@$(DENO_VERSION) >/dev/null && \
	$(DENO) --version | head -1

apt-deps:
	@missing=""; for p in $(APT_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "==> installing Debian packages:$$missing"; start=$$(date +%s); \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null || \
		{ echo "!! apt-get failed: install$$missing by hand, then run make again"; exit 1; }; \
		echo "==> Debian packages installed in $$(( $$(date +%s) - start ))s"; \
	fi

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@echo "==> creating Python venv in $(VENV)"; start=$$(date +%s); \
	$(PYTHON) -m venv $(VENV) && \
	$(BIN)/pip install -q --upgrade pip >/dev/null && \
	$(BIN)/pip install -q -e '.[dev]' && touch $@ && \
	echo "==> venv ready in $$(( $$(date +%s) - start ))s"

test: deps
	$(BIN)/ruff check $(PY_PATHS)
	$(BIN)/mypy
	@echo "$(SQUAWK) <the $(words $(SQUAWK_SCRIPTS)) deploy scripts after @v0.1.0>"
	@$(SQUAWK) $(SQUAWK_SCRIPTS)
	$(BIN)/coverage erase
	@# the tests start the CLI a few hundred times; where PYTHONDONTWRITEBYTECODE is set each
	@# start would compile the package again (a quarter second): compile it once
	$(BIN)/python -m compileall -q orchestrator tests
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder --cov --cov-report= $(PYTEST_ARGS)
	$(BIN)/coverage report --include='orchestrator/health/*' --fail-under=85
	$(BIN)/coverage report --include='orchestrator/sync/*' --fail-under=85
	$(BIN)/coverage report --include='orchestrator/runtime/*' --fail-under=85

# The engine's stateful property test with many more examples (make test runs 20).
test-deep: deps
	ENGINE_PROPERTY_EXAMPLES=$${ENGINE_PROPERTY_EXAMPLES:-400} ENGINE_PROPERTY_STEPS=$${ENGINE_PROPERTY_STEPS:-60} \
		$(BIN)/pytest tests/test_engine_properties.py -q

lint: deps
	$(BIN)/ruff check $(PY_PATHS)
	$(BIN)/ruff format --check $(PY_PATHS)
	$(BIN)/mypy
	@echo "$(SQUAWK) <the $(words $(SQUAWK_SCRIPTS)) deploy scripts after @v0.1.0>"
	@$(SQUAWK) $(SQUAWK_SCRIPTS)

squawk: deps
	@echo "$(SQUAWK) <the $(words $(SQUAWK_SCRIPTS)) deploy scripts after @v0.1.0>"
	@$(SQUAWK) $(SQUAWK_SCRIPTS)

# docs/objects.md, the index of objects -> changes -> deploy files, regenerated from the
# catalog of a throwaway database where the plan is deployed (tests/test_objects_index.py
# fails when it is stale).
objects: deps
	$(BIN)/python -m orchestrator.tooling.objects

run: deps
	$(BIN)/orchestrator demo $(if $(ONCE),--once,)

# Benchmarks live in the top-level package `bench/` (never installed, never in make test):
# `python -m bench` from the project root. One target per report; each installs the bench extra.
bench-deps: deps bench-peers
	$(BIN)/pip install -q -e '.[dev,bench]'

# graphile-worker and pg-boss from npm (pinned, with their driver pg) into .tools/bench,
# project-local like deno; run with the machine's node (Debian's npm first if there is none).
# procrastinate comes from PyPI with the bench extra. Never part of `make test`.
bench-peers: $(BENCH_PEERS)

$(BENCH_PEERS):
	@command -v npm >/dev/null || { \
		echo "==> npm not found: installing Debian's npm (needed for the bench peers)"; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm >/dev/null || \
		{ echo "!! apt-get failed: install Node.js and npm by hand, then run make again"; exit 1; }; }
	@echo "==> installing graphile-worker $(GRAPHILE_WORKER_VERSION), pg-boss $(PG_BOSS_VERSION) into $(BENCH_NODE)/"; \
	rm -rf $(BENCH_NODE) && mkdir -p $(BENCH_NODE) && \
	npm install --prefix $(BENCH_NODE) --no-audit --no-fund --loglevel=error --save-exact \
		graphile-worker@$(GRAPHILE_WORKER_VERSION) pg-boss@$(PG_BOSS_VERSION) pg@$(PG_VERSION) >/dev/null && \
	touch $@ && node --version

# Every report, one after the other: RPCs and idle cost, the dispatch herd, the herd with a
# cap on one type (bench.herd_cap), the engine status, then end to end beside
# graphile-worker, pg-boss and procrastinate (bench.e2e).
bench: bench-deps
	$(BIN)/python -m bench --orgs $(BENCH_ORGS)
	$(BIN)/python -m bench.herd
	$(BIN)/python -m bench.herd_cap
	$(BIN)/python -m bench.engine_status --orgs $(BENCH_ORGS)
	$(BIN)/python -m bench.http_clients
	$(BIN)/python -m bench.pickup
	$(BIN)/python -m bench.e2e

# The end-to-end report alone (throughput, pick-up latency, herd drain beside the peers).
bench-e2e: bench-deps
	$(BIN)/python -m bench.e2e $(E2E_ARGS)

bench-scale: bench-deps
	$(BIN)/python -m bench --scale 200,2000,20000

# The worker under faults (issue 15): 10,000 runs with endpoint 5xx and hangs, a Postgres
# restart and a worker SIGKILL; then RSS with 20 concurrent 200 MB answers. Figures, no gates.
bench-soak: deps
	$(BIN)/python -m bench.soak

clean:
	-$(BIN)/orchestrator localdb stop 2>/dev/null
	rm -rf .localdb $(VENV) $(TOOLS)
