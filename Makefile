# Two commands: `make run` serves the portal with demo data; `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install test-tools lint format migrate demo benchmark clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall whenever pyproject.toml changes.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Browser-test tools from the npm registry (axe-core); reinstalled when the lock file changes.
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

install: $(STAMP)

# Debian's chromium drives the browser tests (Playwright's own browser download is not used).
# Installed when missing and this user may; otherwise the browser tests say what is missing.
CHROMIUM_PATH ?= /usr/bin/chromium
$(CHROMIUM_PATH):
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    chromium fonts-dejavu-core >/dev/null; \
	else \
	  echo "No browser at $(CHROMIUM_PATH): install Debian's chromium or set CHROMIUM_PATH"; \
	fi

test-tools: $(NODE_STAMP) $(CHROMIUM_PATH)

# The queue's worker runs beside the web server; Ctrl-C (or the server stopping) stops both.
# Links in e-mails point at the address served (PORT=8080 make run: port 8080).
run: export DEBUG ?= 1
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: install
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py build_data_package
	$(BIN)/python manage.py run_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install test-tools
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Extract new messages into locale/<lang>/LC_MESSAGES/django.po and compile the .mo files
# (Babel only: no GNU gettext needed). Translate what it reports, then run it again.
messages: export DEBUG ?= 1
messages: install
	$(BIN)/python manage.py extract_messages --todo
	$(BIN)/python manage.py compile_translations

# Both need DATABASE_URL pointing at a PostgreSQL database they may fill.
benchmark: install
	$(BIN)/python benchmarks/library.py
	$(BIN)/python benchmarks/ranking.py

# gunicorn (production settings) and wrk on loopback; installs both if missing.
throughput: install
	benchmarks/throughput.sh

clean:
	rm -rf $(VENV) node_modules var .pytest_cache .ruff_cache
