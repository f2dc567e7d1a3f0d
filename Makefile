# The two commands a user relies on: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

CHROMIUM ?= /usr/bin/chromium
AXE := tests/browser/node_modules/axe-core/axe.min.js

.PHONY: install run test lint format serve backup audit secret-key

# setuptools is upgraded too: the one a new venv brings (65.5 with Python 3.11) has known
# advisories (fixed in 78.1.1), which `make audit` would report.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip 'setuptools>=78.1.1'
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The task worker (mail, reminders) and the scheduler run beside the web server; all three stop
# together (Ctrl+C). README, "Background work".
WORKER := $(PY) manage.py db_worker --queue-name '*' --no-reload $(WORKER_OPTIONS)
SCHEDULER := $(PY) manage.py run_scheduler
define with_background_work
	@$(WORKER) & worker=$$!; $(SCHEDULER) & scheduler=$$!; \
	trap 'kill $$worker $$scheduler 2>/dev/null; wait $$worker $$scheduler' EXIT INT TERM; \
	$(1)
endef

# Development server on SQLite (or DATABASE_URL), with the plan and demo accounts loaded. Mail is
# written to files in sent-mail/ (the console stays readable), the worker says only what fails.
run: export DEBUG ?= 1
run: export EMAIL_URL ?= filemail://$(CURDIR)/sent-mail
run: WORKER_OPTIONS = --verbosity 0
run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py loaddata plan_2018_2020
	$(PY) manage.py seed_demo
	$(call with_background_work,$(PY) manage.py runserver 127.0.0.1:8000)

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

# ruff (lint and format) and mypy with django-stubs; mypy loads the settings, which want a key.
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	SECRET_KEY=lint-only $(VENV)/bin/mypy

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# A random SECRET_KEY in the git-ignored .env, unless the environment or .env has one already.
secret-key:
	@if [ -z "$$SECRET_KEY" ] && ! grep -qs '^SECRET_KEY=' .env; then \
	  umask 077; \
	  echo "SECRET_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" >> .env; \
	  echo "*** Generated a random SECRET_KEY into .env (git-ignored). Keep it: changing it"; \
	  echo "*** signs everyone out. In production set SECRET_KEY in the service's environment."; \
	fi

# Production mode on this machine: PostgreSQL, DEBUG off, gunicorn on http://127.0.0.1:8000/.
serve: export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/plan_portal
serve: export DEBUG = 0
# Plain http on localhost has no TLS to redirect to, and a browser would not send a cookie
# marked Secure over http: both are off here only. Behind nginx with TLS they stay on
# (README, "Deployment behind nginx with TLS").
serve: export SECURE_SSL_REDIRECT = 0
serve: export SESSION_COOKIE_SECURE = 0
serve: $(STAMP) secret-key
	$(PY) manage.py ensure_database
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py loaddata plan_2018_2020
	$(call with_background_work,$(VENV)/bin/gunicorn --config plan_portal/gunicorn.conf.py plan_portal.wsgi)

# A backup folder of the database and the documents (README, "Backups"): under BACKUP_DIR,
# ./backups by default.
backup: $(STAMP) secret-key
	$(PY) manage.py backup $(if $(BACKUP_DIR),--dir "$(BACKUP_DIR)")

# Known vulnerabilities of the installed packages, from PyPI's advisory data (needs the
# network). Fails on a vulnerable package. Packages whose data could not be fetched are named
# and counted; AUDIT_STRICT=1 makes that a failure too.
audit: $(STAMP)
	@$(VENV)/bin/pip-audit --skip-editable --progress-spinner off > $(VENV)/audit.log 2>&1; \
	status=$$?; cat $(VENV)/audit.log; \
	if [ $$status -ne 0 ]; then exit $$status; fi; \
	unaudited=$$(grep -c 'could not be audited' $(VENV)/audit.log); \
	if [ "$$unaudited" -gt 0 ]; then \
	  echo "*** pip-audit could not fetch the advisories of $$unaudited packages:" \
	       "those were NOT audited."; \
	  if [ -n "$(AUDIT_STRICT)" ]; then exit 1; fi; \
	fi
