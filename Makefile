# The two commands: `make run` (the demo on an embedded Postgres) and `make test`.
# Each installs what it needs first (`make deps`).

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
APT_PACKAGES := postgresql-15 postgresql-15-cron postgresql-15-pgtap postgresql-15-plpgsql-check \
	sqitch libdbd-pg-perl libtap-parser-sourcehandler-pgtap-perl
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BENCH_ORGS ?= 2000
ONCE ?=

.PHONY: deps apt-deps venv test lint squawk run bench bench-scale clean

# Migration linter over the deploy scripts of the changes after @v0.1.0 (released scripts
# cannot be edited; docs/conventions.md says why, and which rules are off and why).
SQUAWK_SCRIPTS = $(shell awk 'f && /^[a-z]/ {print "deploy/" $$1 ".sql"} /^@v0\.1\.0 / {f=1}' sqitch.plan | sort -u)
SQUAWK := $(BIN)/squawk --pg-version=15.0 --exclude=require-statement-timeout,prefer-bigint-over-int

deps: apt-deps venv

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
	$(BIN)/ruff check orchestrator tests
	$(BIN)/mypy
	$(SQUAWK) $(SQUAWK_SCRIPTS)
	$(BIN)/coverage erase
	$(BIN)/coverage run -m pytest $(PYTEST_ARGS)
	$(BIN)/coverage report --include='orchestrator/health/*' --fail-under=85
	$(BIN)/coverage report --include='orchestrator/sync/*' --fail-under=85

lint: deps
	$(BIN)/ruff check orchestrator tests
	$(BIN)/ruff format --check orchestrator tests
	$(BIN)/mypy
	$(SQUAWK) $(SQUAWK_SCRIPTS)

squawk: deps
	$(SQUAWK) $(SQUAWK_SCRIPTS)

run: deps
	$(BIN)/orchestrator demo $(if $(ONCE),--once,)

bench: deps
	$(BIN)/pip install -q -e '.[dev,bench]'
	$(BIN)/python -m orchestrator.bench --orgs $(BENCH_ORGS)

bench-scale: deps
	$(BIN)/pip install -q -e '.[dev,bench]'
	$(BIN)/python -m orchestrator.bench --scale 200,2000,20000

clean:
	-$(BIN)/orchestrator localdb stop 2>/dev/null
	rm -rf .localdb $(VENV)
