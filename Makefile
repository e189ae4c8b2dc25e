# Ladder: `make demo` serves the app on SQLite with demo data; `make test` runs the tests.
PYTHON_BIN ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
DEV := DJANGO_DEBUG=1

.PHONY: demo manage test test-postgres test-external test-browser lint format serve loadtest teamtest bench clean

$(INSTALLED): pyproject.toml
	test -x $(PY) || $(PYTHON_BIN) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $(INSTALLED)

demo: $(INSTALLED)
	$(DEV) $(PY) manage.py migrate --verbosity 0
	$(DEV) $(PY) manage.py load_framework fixtures/frameworks/martech-infra.yaml
	$(DEV) $(PY) manage.py seed_demo
	@echo "Ladder demo: http://127.0.0.1:8000/ (consultants start at /reports/portfolio/)"
	$(DEV) $(PY) manage.py runserver 127.0.0.1:8000

# Any management command with the development settings `make demo` uses (DEBUG on, the
# SQLite file db.sqlite3 unless DATABASE_URL says otherwise): make manage ARGS="verify_audit".
manage: $(INSTALLED)
	@test -n "$(ARGS)" || { echo 'make manage: say which command, e.g. make manage ARGS="help"' >&2; exit 2; }
	$(DEV) $(PY) manage.py $(ARGS)

# Two worker processes (pytest-xdist), each with its own test database.
TEST_WORKERS ?= 2

test: $(INSTALLED)
	$(PY) -m pytest -n $(TEST_WORKERS)

# The same suite on PostgreSQL: DATABASE_URL names a server whose role may CREATEDB
# (pytest-django creates the test database). `.ci/postgres.sh start DIR` starts a throwaway one.
test-postgres: $(INSTALLED)
	@case "$$DATABASE_URL" in postgres://*|postgresql://*) ;; *) echo "make test-postgres: set DATABASE_URL=postgres://USER:PASS@127.0.0.1:PORT/NAME (a role with CREATEDB; '.ci/postgres.sh start DIR' starts a throwaway cluster and prints one)" >&2; exit 2;; esac
	$(PY) -m pytest -n $(TEST_WORKERS)

# The tests that start a program of the machine (tests/conftest.py, PROGRAMS): chart images
# drawn by kaleido in Chromium, the deck and workbook converted to PDF by LibreOffice.
# A missing program fails.
test-external: $(INSTALLED)
	$(PY) -m pytest -m external

# End-to-end tests in Debian's Chromium (/usr/bin/chromium); screenshots of every step in
# artifacts/browser/<test>/, and of the page a test failed on in artifacts/browser/failures/.
test-browser: $(INSTALLED)
	$(PY) -m pytest tests/browser --screenshot only-on-failure --output artifacts/browser/failures

# Production server: gunicorn (config/gunicorn.py) with static files by whitenoise, on DATABASE_URL.
serve: $(INSTALLED)
	@test -n "$$DJANGO_SECRET_KEY" || { echo "make serve: set DJANGO_SECRET_KEY to at least 50 random characters, e.g. export DJANGO_SECRET_KEY=\$$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')" >&2; exit 2; }
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(VENV)/bin/gunicorn --config config/gunicorn.py

# N respondents saving at once against gunicorn on PostgreSQL (DATABASE_URL), on 127.0.0.1 only.
# LOADTEST_ARGS="--clients 50 --duration 30" (the stress run), "--shape day" (1,000
# respondents of 20 organisations with think time), "--servers 2" (two app servers);
# see tests/load/loadtest.py and docs/performance.md.
loadtest: $(INSTALLED)
	$(PY) tests/load/loadtest.py $(LOADTEST_ARGS)

# A unit's team (three respondents and a lead) saving one assessment while the lead signs off
# and reopens it, and 12 wrong-password logins at once, against gunicorn on 127.0.0.1:
# TEAMTEST_ARGS="--database sqlite" (a throwaway file) or "--database postgres" (beside
# DATABASE_URL's database, never it); "--duration 20" seconds (see tests/load/teamtest.py).
teamtest: $(INSTALLED)
	$(PY) tests/load/teamtest.py $(or $(TEAMTEST_ARGS),--database sqlite)

# Speed at portfolio scale (docs/performance.md), in a throwaway database: never DATABASE_URL's
# data. BENCH_ARGS="--units 500 --respondents 3 --repeat 5"; exit status 1 when a goal is missed.
bench: $(INSTALLED)
	$(DEV) $(PY) manage.py bench $(BENCH_ARGS)

# Style, the layering contracts of pyproject.toml, the types of the pure modules, migrations.
lint: $(INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy
	$(DEV) $(PY) manage.py makemigrations --check --dry-run

format: $(INSTALLED)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
