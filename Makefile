# make run    – local site with demo data on http://127.0.0.1:8000/ (web server + task worker)
# make test   – the whole suite on SQLite, then the PostgreSQL pass on a private cluster
# make messages, make clean
#
# Needs only python3 (3.11+) with venv; the PostgreSQL pass and the Redis tests use
# the Debian packages postgresql and redis-server when present (see .ci/run).

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.stamp
RUN_ADDRESS ?= 127.0.0.1:8000

.PHONY: run test messages clean

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

# Each process gets its own process group (set -m) so that stopping it also stops
# the server child that runserver's autoreloader starts. Ctrl-C, or either
# process ending, stops both; nothing outside this recipe is signalled.
run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	set -m; groups=; \
	trap 'exit 130' INT TERM; \
	trap 'kill -- $$groups 2>/dev/null; wait' EXIT; \
	$(PY) manage.py db_worker & groups="$$groups -$$!"; \
	$(PY) manage.py runserver $(RUN_ADDRESS) & groups="$$groups -$$!"; \
	wait -n

# `python -m pytest` puts the project root on sys.path, which `-p tests.servers`
# (in addopts) needs before any conftest is read. Both passes always run.
test: $(STAMP)
	status=0; \
	$(PY) -m pytest || status=$$?; \
	$(PY) -m pytest --postgres -m postgres || status=$$?; \
	exit $$status

messages: $(STAMP)
	$(PY) manage.py makemessages --locale de --locale en --ignore static_collected --ignore media --ignore tests
	$(PY) manage.py compilemessages --ignore .venv

clean:
	rm -rf $(VENV) static_collected .pytest_cache .hypothesis tests/artifacts
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
