# The two commands a newcomer needs: `make run` (demo portal) and `make test` (lint + whole suite).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run test lint format check-migrations pytest bench screenshots lighthouse demo-data clean editor lock

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-base: requirements/base.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/base.txt
	touch $@

$(VENV)/.installed-test: requirements/base.txt requirements/test.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/test.txt
	touch $@

demo-data: $(VENV)/.installed-base
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo_data
	$(BIN)/python manage.py create_demo_accounts

run: demo-data
	@echo "Portal: http://127.0.0.1:$(PORT)/  (admin: http://127.0.0.1:$(PORT)/admin/)"
	GUNICORN_BIND=127.0.0.1:$(PORT) $(BIN)/gunicorn --config portal/gunicorn.conf.py

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check-migrations: $(VENV)/.installed-test
	DJANGO_SETTINGS_MODULE=portal.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

# axe-core for the browser tests' accessibility checks, exactly as package-lock.json pins it.
# Without npm (a machine with only Python) those tests skip; under CI=true they fail instead.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund && touch $@; \
	else echo "npm not found: the browser tests will be skipped (install npm and chromium to run them)"; fi

# One worker per core; tests that restart a server the others use (marker "exclusive") run
# alone afterwards. Exit status 5 is "none selected", for PYTEST_ARGS naming other tests.
# MARKERS narrows both runs to a marker expression (e.g. MARKERS='not slow').
TEST_WORKERS ?= 2
MARKERS ?=
only = $(if $(MARKERS), and ($(MARKERS)))
pytest: $(VENV)/.installed-test node_modules/.installed
	$(BIN)/pytest -n $(TEST_WORKERS) -m "not exclusive and not screenshots$(only)" $(PYTEST_ARGS)
	$(BIN)/pytest -m "exclusive$(only)" $(PYTEST_ARGS) || [ $$? -eq 5 ]

test: lint check-migrations pytest

# SCALE=10: 24,000 reports instead of 2,400 (generated once, then cached like the smaller set).
SCALE ?= 1
bench: $(VENV)/.installed-test
	$(BIN)/python bench/run.py --scale $(SCALE)

# Pictures of the public pages in var/screenshots/, for people reviewing the design (not a test of looks).
screenshots: $(VENV)/.installed-test node_modules/.installed
	$(BIN)/pytest -m screenshots $(PYTEST_ARGS)

# Lighthouse (mobile) on the article in each reader mode; installs lighthouse into var/ the first time.
lighthouse: $(VENV)/.installed-test
	$(BIN)/python bench/lighthouse.py

clean:
	rm -rf $(VENV) staticfiles

# The rich-text editor (TipTap) is built once and committed to static/vendor/tiptap/, so that
# `make run` needs no JavaScript toolchain; rebuild it after changing vendor/tiptap/ (needs npm).
editor:
	cd vendor/tiptap && npm ci --no-audit --no-fund && npm run build

# Exact versions from pyproject.toml's ranges, with pip-tools; commit the result.
lock: | $(BIN)/python
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --strip-extras --no-header --no-emit-index-url --no-emit-find-links --output-file requirements/base.txt pyproject.toml
	$(BIN)/pip-compile --quiet --strip-extras --no-header --no-emit-index-url --no-emit-find-links --extra test --constraint requirements/base.txt \
		--output-file requirements/test.txt pyproject.toml
