# ЕКМ platform — the commands a person types. `make help` lists them.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
EKM := $(VENV)/bin/ekm
PYTEST := $(PY) -m pytest -p no:cacheprovider
# pytest-xdist worker processes for make test. --dist loadfile: a test file runs whole on one worker,
# so that a module-scoped platform is stopped before the next file starts on the session vhost.
TEST_WORKERS ?= 2
export EKM_HOME := $(CURDIR)
export PYTHONWARNINGS := ignore::DeprecationWarning

.DEFAULT_GOAL := help

help: ## list the targets
	@grep -hE '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

setup: ## install what is missing (apt: RabbitMQ; .venv with pinned deps) and start the broker
	@scripts/setup.sh

setup-postgres: ## the same, plus PostgreSQL
	@scripts/setup.sh --with-postgres

setup-browser: ## the same, plus Debian's chromium (the web workplace's browser tests)
	@scripts/setup.sh --with-browser

migrate: setup ## apply migrations and declare event queues for every service
	@$(EKM) migrate

run: migrate ## set up, migrate, start every service + registry simulators, load demo data
	@$(EKM) run

SCALED_DB ?= postgresql+psycopg://postgres:postgres@127.0.0.1:5432/ekm
SCALED ?= cases=3,notifications=3

run-scaled: setup-postgres ## `make run` with 3 instances of cases and of notifications sharing the load (PostgreSQL)
	@EKM_DATABASE_URL=$(SCALED_DB) $(EKM) migrate
	@EKM_DATABASE_URL=$(SCALED_DB) EKM_INSTANCES=$(SCALED) EKM_DB_POOL_SIZE=$(or $(EKM_DB_POOL_SIZE),6) \
	  EKM_DB_MAX_OVERFLOW=$(or $(EKM_DB_MAX_OVERFLOW),0) $(EKM) run

bench-scale-out: setup-postgres ## 1 against 3 instances of cases and of notifications in the same run (PostgreSQL)
	@$(PY) -m bench.scale_out

test: setup-postgres setup-browser ## run every test: lint first, then unit, integration (RabbitMQ + SQLite + PostgreSQL), end-to-end
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory proto-check
	@$(PYTEST) -q --durations=15 -n $(TEST_WORKERS) --dist loadfile -m "not chaos" libs services tests web/tests
	@$(PYTEST) -q -m chaos tests

test-unit: setup ## unit tests only (no broker)
	@$(PYTEST) -q -m "not integration and not e2e" libs services web/tests

test-integration: setup-postgres ## integration tests (real RabbitMQ, SQLite and PostgreSQL)
	@$(PYTEST) -q -m integration libs services tests

test-e2e: setup setup-browser ## end-to-end: real processes driven over gRPC
	@$(PYTEST) -q -m e2e tests web/tests

test-security: setup ## roles × gRPC methods (docs/roles.md), partner mTLS, secrets in the source, PII scrubbing
	@$(PYTEST) -q tests/test_secrets.py tests/test_partner_mtls.py tests/test_partner_feed_mtls.py tests/e2e/test_role_matrix.py tests/e2e/test_pii_scrubbing.py

proto: ## regenerate Python code from proto/ into libs/ekm-protos (pinned grpcio-tools)
	@$(PY) scripts/gen_protos.py

lint: setup ## ruff (lint + format check), mypy (domain, service layers, ekm_platform), buf lint (proto/)
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .
	@$(VENV)/bin/mypy
	@node_modules/.bin/buf lint
	@echo "lint: ruff, ruff format, mypy and buf lint are clean"

proto-check: ## fail when regenerating the protobuf code would change the tree
	@tmp=$$(mktemp -d) && $(PY) scripts/gen_protos.py --out $$tmp && \
	  diff -r -x __pycache__ $$tmp/ekm libs/ekm-protos/ekm > /dev/null && rm -rf $$tmp && echo "proto-check: generated code is up to date" || \
	  { rm -rf $$tmp; echo "proto-check: generated code is stale: run 'make proto' and commit" >&2; exit 1; }

deploy-check: setup ## render the Kubernetes overlays (kustomize) and validate them offline: schemas + policy
	@$(PY) deploy/validate.py
	@$(PYTEST) -q tests/test_deploy_manifests.py

fuzz: setup ## the fuzz suite with the thorough hypothesis profile (many more examples; tests/fuzz/)
	@HYPOTHESIS_PROFILE=thorough $(PYTEST) -q --durations=10 tests/fuzz

bench: setup ## benchmarks against raw baselines measured in the same run
	@$(PY) -m bench.appeals

bench-notifications: setup ## 10,000 queued events to a real SMTP server, beside raw pika consume
	@$(PY) -m bench.notifications --n 10000

chaos: setup-postgres ## 10,000 appeals and partner feeds under kill -9 of every service and a RabbitMQ restart; prints the counts
	@$(PY) -m bench.chaos --appeals 10000

SCALE_DB ?= postgresql+psycopg://postgres:postgres@127.0.0.1:5432/ekmscale

scale-data: setup-postgres ## generate 1M cases, 3M persons, 20M history entries into $(SCALE_DB)_cases
	@$(VENV)/bin/ekm-cases-generate --database-url $(SCALE_DB)_cases

bench-scale: setup-postgres ## GetCase and worklist p50/p99 on the generated database, 8 callers
	@$(PY) -m bench.cases_at_scale --database-url $(SCALE_DB)

token: setup ## a development token: make token ROLE=case_manager USER=cm-1
	@$(EKM) token --role $(or $(ROLE),case_manager) --user $(or $(USER_ID),cm-1)

trace: setup ## print a trace: make trace ID=<tracking number | trace id>
	@$(EKM) trace $(ID)

status: setup ## every service's health, queues and dead letters (exit 1 when something is wrong)
	@$(EKM) status

clean: ## remove local state (databases, logs, traces, keys) — not the virtualenv
	rm -rf var

.PHONY: help setup setup-postgres setup-browser migrate run run-scaled bench-scale-out test lint test-unit test-integration test-e2e test-security proto proto-check deploy-check fuzz bench bench-notifications chaos scale-data bench-scale token trace status clean
