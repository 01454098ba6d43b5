# Ticklist: `make` lists the targets. `make run` and `make test` work from a fresh clone.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
# The first Python >= 3.12 on PATH (pyenv picks 3.13 from .python-version).
PYTHON ?= $(shell for p in python3.13 python3.12 python3 python; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	&& { echo $$p; break; }; done)
PYTEST_ARGS ?=

.PHONY: help run worker manage test lint format serve migrate collectstatic assets screenshot load bench bench-quick lighthouse clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-14s %s\n", $$1, $$2}'

$(PY):
	@if [ -z "$(PYTHON)" ]; then \
		echo "Ticklist needs Python 3.12 or newer, and none was found on PATH." >&2; \
		echo "Install Python 3.13 (for example 'pyenv install 3.13') and try again." >&2; exit 1; fi
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.installed

# --ignore-scripts: vnu-jar's install script would fetch a Java runtime from the
# internet; the system's Java runs the validator instead.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	@touch $@

# A development .env (DEBUG on, a fresh SECRET_KEY), so `.venv/bin/python manage.py ...`
# works after `make run` too. Only `make run` writes one, and never over an existing
# file: on a server a stray DEBUG=true would be read by every process.
.env: | $(PY)
	@umask 077 && key="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
		&& sed -e 's/^DEBUG=.*/DEBUG=true/' -e "s/^SECRET_KEY=.*/SECRET_KEY=$$key/" .env.example > $@.tmp \
		&& mv $@.tmp $@
	@echo "Created .env for development from .env.example (DEBUG=true and a new SECRET_KEY)," \
		"so .venv/bin/python manage.py ... works; edit it, or delete it to start over."

# The worker starts in a process group of its own (setsid), so that stopping the
# server stops it together with its reloader; without setsid it does not reload.
run: $(VENV)/.installed node_modules/.package-lock.json | .env ## Start the development server on http://127.0.0.1:8000 and a background worker (SQLite, DEBUG on, demo account)
	DEBUG=true $(PY) manage.py migrate --no-input
	DEBUG=true $(PY) manage.py seed_demo --if-empty
	@if command -v setsid >/dev/null; then \
		DEBUG=true setsid $(PY) manage.py worker --reload & \
	else \
		DEBUG=true $(PY) manage.py worker & \
	fi; \
	worker=$$!; \
	trap 'kill -TERM -- -$$worker 2>/dev/null || kill -TERM $$worker 2>/dev/null' INT TERM EXIT; \
	DEBUG=true $(PY) manage.py runserver 127.0.0.1:8000

worker: $(VENV)/.installed ## Run a background worker in the foreground: reminders, digests, email, push (WORKER_ARGS="--help")
	$(PY) manage.py worker $(WORKER_ARGS)

test: $(VENV)/.installed-dev node_modules/.package-lock.json ## Run the whole test suite (browser tests included)
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev ## Check the code with ruff (lint and format)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed-dev ## Format the code and apply safe ruff fixes
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

manage: $(VENV)/.installed ## Run any manage.py command in the virtual environment: make manage ARGS="createsuperuser"
	$(PY) manage.py $(ARGS)

# Collected files are for DEBUG off (hashed names and a manifest), whatever .env says.
collectstatic serve: export DEBUG = false
collectstatic: $(VENV)/.installed node_modules/.package-lock.json ## Collect static files into staticfiles/
	$(PY) manage.py collectstatic --no-input

# TLS ends at the reverse proxy in front, which also redirects plain HTTP, so the
# app's own redirect is off here unless SECURE_SSL_REDIRECT says otherwise.
serve: collectstatic ## Run production-style: DEBUG off, gunicorn on 127.0.0.1:8000 (needs SECRET_KEY)
	$(PY) manage.py migrate --no-input
	DEBUG=false SECURE_SSL_REDIRECT=$${SECURE_SSL_REDIRECT:-false} $(VENV)/bin/gunicorn -c gunicorn.conf.py

migrate: $(VENV)/.installed ## Apply database migrations
	$(PY) manage.py migrate --no-input

# The built files are committed (a test fails when they are stale), so only a change to
# templates, scripts, static/css or the npm packages needs this; it reads crispy-bootstrap5's
# templates from the virtual environment.
assets: $(VENV)/.installed node_modules/.package-lock.json ## Rebuild static/dist/app.css and static/img/icons.svg from Bootstrap, the icons and static/css
	PYTHON=$(PY) node bin/build-assets.mjs

screenshot: $(VENV)/.installed-dev node_modules/.package-lock.json ## Refresh the README's pictures (docs/*.png) from the browser tests
	SCREENSHOT_DIR=docs $(VENV)/bin/pytest tests/e2e -k screenshot

load: $(VENV)/.installed-dev ## Load-test two app servers on PostgreSQL and Redis for lost writes (bench/load.py)
	$(PY) bench/load.py $(LOAD_ARGS)

bench: $(VENV)/.installed node_modules/.package-lock.json ## Benchmark the app served the production way (wrk) against bare views, anonymous and signed in (DATABASE_URL, REDIS_URL); writes bench/results/latest.json
	$(PY) bench/bench.py $(BENCH_ARGS)

bench-quick: $(VENV)/.installed node_modules/.package-lock.json ## The benchmark on less data and shorter rounds (growth up to 10,000 tasks, not 100,000)
	$(PY) bench/bench.py --quick $(BENCH_ARGS)

lighthouse: $(VENV)/.installed node_modules/.package-lock.json ## Lighthouse scores of the signed-in pages served as make serve does (LIGHTHOUSE_ARGS=--report-only); bench/results/lighthouse.json
	$(PY) bench/lighthouse.py $(LIGHTHOUSE_ARGS)

clean: ## Remove the virtual environment, node_modules and collected static files
	rm -rf $(VENV) node_modules staticfiles .pytest_cache
