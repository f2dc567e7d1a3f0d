# The two commands a user relies on: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

CHROMIUM ?= /usr/bin/chromium
AXE := tests/browser/node_modules/axe-core/axe.min.js

.PHONY: install run test lint format

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Development server on SQLite (or DATABASE_URL), with the plan and demo accounts loaded.
run: export DEBUG ?= 1
run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py loaddata plan_2018_2020
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:8000

# axe-core, which the browser tests inject into pages, from the npm registry.
$(AXE): tests/browser/package.json tests/browser/package-lock.json
	npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
	touch $(AXE)

# The whole suite, on the database DATABASE_URL names (SQLite when it is unset). The browser
# tests run in Debian's Chromium when it is installed, and are reported as skipped otherwise.
test: $(STAMP)
	@if [ -x "$(CHROMIUM)" ]; then $(MAKE) --no-print-directory $(AXE); \
	else echo "*** No Chromium at $(CHROMIUM): the browser tests will be SKIPPED" \
	     "(apt-get install chromium to run them)."; fi
	$(VENV)/bin/pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
