# Two commands matter: `make run` (set up and serve with demo data) and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# The public base address of the site: every link in an email and every absolute link.
SITE_URL ?= http://$(HOST):$(PORT)
export SITE_URL

.PHONY: run test lint worker bench install lock migrate seed clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed: set PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	@touch $(STAMP)

install: $(STAMP)

var:
	@mkdir -p var/media

migrate: install var
	$(BIN)/python manage.py migrate --noinput -v 0
	@echo "Database ready: var/db.sqlite3 (or DATABASE_URL)"

seed: migrate
	$(BIN)/python manage.py seed_demo

# Beside the web server, a sweep sends the notification digests that are due (Celery beat
# does it when a broker is set); it stops with the server.
run: seed
	@echo "Serving on $(SITE_URL)/  (Ctrl+C stops it)"
	@$(BIN)/python manage.py send_digests --every 60 & sweep=$$!; \
		trap 'kill $$sweep 2>/dev/null' EXIT INT TERM; \
		$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install var
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .

# Restarted if it dies (crash, kill -9, lost Redis); Ctrl-C stops it for good. In
# production a process supervisor does this (README "Workers and Redis").
worker: install var
	@until $(BIN)/celery -A portfolio worker --beat --loglevel=info \
		--schedule var/celerybeat-schedule; do \
		echo "worker exited ($$?); restarting in 2 s (Ctrl-C to stop)"; sleep 2; done

# wrk is the load generator of the share page benchmarks (bench/load.py); Debian has it.
bench: install var
	@command -v wrk >/dev/null 2>&1 || (apt-get install -y -qq wrk >/dev/null 2>&1 \
		|| echo "wrk not installed (needs root and Debian): the Python load generator runs instead")
	$(BIN)/python -m bench

# Regenerate requirements.lock after changing pyproject.toml's dependencies.
lock: install
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --group dev --python-version 3.11 \
		--no-header --no-annotate -o requirements.lock

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
