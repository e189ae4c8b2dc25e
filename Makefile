# Ladder: `make demo` serves the app on SQLite with demo data; `make test` runs the tests.
PYTHON_BIN ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
DEV := DJANGO_DEBUG=1

.PHONY: demo test lint format serve clean

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

test: $(INSTALLED)
	$(PY) -m pytest

lint: $(INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(DEV) $(PY) manage.py makemigrations --check --dry-run

format: $(INSTALLED)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
