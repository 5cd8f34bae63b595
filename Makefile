# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

WEB_CONCURRENCY ?= 2
BIND ?= 127.0.0.1:$(PORT)

.PHONY: run serve worker cluster test test-fast lint format bench python-check

python-check:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null || { \
	  echo "This project needs Python 3.12 or newer (found: $$($(PYTHON) --version 2>&1)). Install Python 3.13 (e.g. 'pyenv install 3.13') and run make again."; \
	  exit 1; }

$(VENV)/.installed: pyproject.toml | python-check
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $@

## Serve the app on http://127.0.0.1:$(PORT) with an embedded SQLite database and demo data,
## and its worker beside it (emails, reminders and digests print in this terminal).
run: export DEBUG = 1
run: $(VENV)/.installed
	@mkdir -p var
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo
	@$(PY) manage.py worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(PY) manage.py runserver 127.0.0.1:$(PORT)

## Serve the app as in production, on the configured database (README, "Deploy"):
## DEBUG off, hashed static files collected first, gunicorn with WEB_CONCURRENCY
## workers on BIND (127.0.0.1:$(PORT)). Needs SECRET_KEY; run `make worker` beside it.
serve: export DEBUG = 0
serve: $(VENV)/.installed
	@mkdir -p var
	$(PY) manage.py collectstatic --no-input -v 0
	$(VENV)/bin/gunicorn recovery.wsgi --workers $(WEB_CONCURRENCY) --bind $(BIND)

## Two app servers, one worker and HAProxy (TLS) in front, on loopback, against the
## local PostgreSQL and Redis (deploy/cluster.py); Ctrl-C stops everything.
cluster: $(VENV)/.installed
	$(PY) -m deploy.cluster

## Run background tasks (emails, reminders, digests) on the configured database.
worker: $(VENV)/.installed
	$(PY) manage.py worker

## Run the whole suite (PostgreSQL when DATABASE_URL is set, else SQLite).
test: $(VENV)/.installed-dev
	@mkdir -p var
	$(PY) -m pytest

## The edit-test loop: everything but the browser journeys and the cluster.
test-fast: $(VENV)/.installed-dev
	@mkdir -p var
	$(PY) -m pytest -m "not browser" --ignore=tests/cluster

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit -q -r recovery goals peers -c pyproject.toml

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

$(VENV)/.installed-bench: $(VENV)/.installed
	$(PY) -m pip install --quiet -e ".[bench]"
	@touch $@

## Load benchmark on PostgreSQL (not part of `make test`): builds the database
## recovery_bench once, serves the app with gunicorn, loads it with wrk, and writes
## bench/results.json. BENCH_DATABASE_URL, BENCH_DURATION, BENCH_WORKERS,
## BENCH_REBUILD=1 change it (bench/config.py).
bench: $(VENV)/.installed-bench
	@command -v wrk >/dev/null || { \
	  echo "Installing wrk (Debian package)"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq wrk; }
	$(PY) -m bench.run
