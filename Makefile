# make run    – local site with demo data on http://127.0.0.1:8000/ (web server + task worker);
#               RUN_ADDRESS=127.0.0.1:8080 serves it elsewhere, and the links in mails follow
# make test   – lint (ruff, mypy, migrations, import contract), then the whole suite on SQLite,
#               then the PostgreSQL pass on a private cluster
# make test-fast – the developer's loop: the tests not marked slow, on SQLite (< 2 min)
# make lint   – ruff (lint + format check), mypy on the seams, migrations check, import contract
# make bench  – measures the platform beside Spirit, machina and django-newsletter (bench/README.md)
# make messages, make clean
#
# Needs only python3 (3.11+) with venv; the PostgreSQL pass and the Redis tests use
# the Debian packages postgresql and redis-server when present, the accessibility
# tests axe-core from npm (node and npm; see .ci/run).

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.stamp
AXE := node_modules/axe-core/axe.min.js
RUN_ADDRESS ?= 127.0.0.1:8000
# Mails link to the address the site runs under (`make run RUN_ADDRESS=127.0.0.1:8080` → links on 8080).
# The task worker and the newsletter sender write those mails, so every process of `make run` gets it.
SITE_URL ?= http://$(RUN_ADDRESS)

.PHONY: run test test-fast lint lint-imports bench messages clean

$(PY):
	$(PYTHON) -m venv $(VENV)

# The project is no installable package (packages = []): installing the pinned
# dependency list straight from pyproject.toml avoids a build step and an
# egg-info directory in the work tree, and a changed pyproject.toml re-installs.
$(STAMP): pyproject.toml | $(PY)
	$(PY) -c 'import tomllib; project = tomllib.load(open("pyproject.toml", "rb"))["project"]; \
		print("\n".join(project["dependencies"] + project["optional-dependencies"]["test"]))' \
		> $(VENV)/requirements.txt
	$(PY) -m pip install --quiet --requirement $(VENV)/requirements.txt
	touch $@

# The web server, the task worker and the newsletter sender (which also starts planned
# sends when due). Each process gets its own process group (set -m) so that stopping it
# also stops the server child that runserver's autoreloader starts. Ctrl-C, or any
# process ending, stops all three; nothing outside this recipe is signalled.
run: export SITE_URL := $(SITE_URL)
run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	set -m; groups=; \
	trap 'exit 130' INT TERM; \
	trap 'kill -- $$groups 2>/dev/null; wait' EXIT; \
	$(PY) manage.py db_worker & groups="$$groups -$$!"; \
	$(PY) manage.py deliver_newsletters --forever & groups="$$groups -$$!"; \
	$(PY) manage.py runserver $(RUN_ADDRESS) & groups="$$groups -$$!"; \
	wait -n

# axe-core checks the pages in Chromium (tests/site/test_accessibility.py); the version is
# pinned in package.json and package-lock.json, and a changed lock file re-installs.
# Without npm those tests are skipped (and fail under CI=true, like missing servers).
$(AXE): package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund && touch $@; 	else echo "npm is missing: the accessibility tests will be skipped (apt-get install npm)"; fi

# The seams (services, selectors, permissions, core) are type-checked; the rest of the code
# is checked by the tests.
SEAMS = core network/access.py $(filter-out core/%,$(wildcard */services.py */selectors.py */permissions.py))

# Apps import only the apps below them (ARCHITECTURE.md; contract in pyproject.toml).
lint-imports: $(STAMP)
	$(VENV)/bin/lint-imports

lint: $(STAMP) lint-imports
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy $(SEAMS)
	$(PY) manage.py makemigrations --check --dry-run

# `python -m pytest` puts the project root on sys.path, which `-p tests.servers`
# (in addopts) needs before any conftest is read. Both passes always run; the SQLite pass
# spreads over two processes (pytest-xdist), each with its own test database.
test: $(STAMP) $(AXE) lint
	status=0; \
	$(PY) -m pytest -n 2 || status=$$?; \
	$(PY) -m pytest --postgres -m "postgres or both_databases" || status=$$?; \
	exit $$status

test-fast: $(STAMP)
	$(PY) -m pytest -m "not slow" -q -n 2

# The peers install into bench/.peers/ on first use; results go to bench/results/.
bench: $(STAMP)
	$(PY) bench/run.py

# makemessages turns the formal allauth overrides into obsolete entries (it doesn't see
# allauth's templates); they are dropped and merged back from their own source file.
messages: $(STAMP)
	$(PY) manage.py makemessages --locale de --locale en --ignore static_collected --ignore media --ignore tests --ignore bench --ignore node_modules
	msgattrib --no-obsolete -o locale/de/LC_MESSAGES/django.po locale/de/LC_MESSAGES/django.po
	msgcat --use-first -o locale/de/LC_MESSAGES/django.po locale/de/allauth_formal.po locale/de/LC_MESSAGES/django.po
	$(PY) manage.py compilemessages --ignore .venv --ignore bench

clean:
	rm -rf $(VENV) node_modules static_collected .pytest_cache .hypothesis tests/artifacts
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
