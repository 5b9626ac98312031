# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

CORPUS ?= ../shared/corpus

.PHONY: run test install install-dev assets messages lint format clean corpus search-eval bench-search bench-http bench-scale check-interfaces nginx stack stack-down reliability

run: install assets messages
	$(PY) manage.py migrate --noinput
	LOG_LEVEL=WARNING $(PY) manage.py load_seed
	$(PY) manage.py load_glossary
	$(PY) manage.py rebuild_search_index --if-empty
	$(PY) manage.py ensure_admin
	$(PY) manage.py collectstatic --noinput -v0
	@echo "Serving on http://127.0.0.1:$(PORT)/ (admin: http://127.0.0.1:$(PORT)/admin/)"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install-dev assets messages
	@$(PY) -m pytest --ds=portal.settings.test $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; \
	exit $$status

# The evaluation corpus: import it into the running site's database, measure the search.
corpus: install assets messages
	$(PY) manage.py migrate --noinput
	LOG_LEVEL=WARNING $(PY) manage.py load_seed
	$(PY) manage.py load_glossary
	LOG_LEVEL=WARNING $(PY) manage.py import_corpus $(CORPUS)/documents.jsonl

search-eval: corpus
	$(PY) manage.py search_eval $(CORPUS)/queries_dev.jsonl --baseline

bench-search: install
	$(PY) bench/search_latency.py
	$(PY) bench/search_latency.py --postgres $${BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}

# Pages over HTTP: gunicorn (page cache off and on), nginx, against a bare Django view and
# a static file; writes docs/benchmarks.md. Installs wrk and nginx when missing (Debian).
bench-http: install assets messages
	@command -v wrk >/dev/null && command -v nginx >/dev/null || { \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx-light >/dev/null; }
	$(PY) bench/http_bench.py $(BENCH_ARGS)

# nginx for the stack and the fault tests (Debian), installed when missing.
nginx:
	@command -v nginx >/dev/null || test -x /usr/sbin/nginx || { \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null; }

# Two app servers behind nginx on this machine's PostgreSQL and Redis (docs/operations.md).
stack: install assets messages nginx
	$(PY) deploy/stack.py up $(STACK_ARGS)

stack-down:
	$(PY) deploy/stack.py down

# Soak, PostgreSQL restart, Redis stop, server kill under load; writes docs/reliability.md.
reliability: install assets messages nginx
	$(PY) bench/reliability.py all $(RELIABILITY_ARGS)

# Import, search latency and memory at SIZES synthetic documents, SQLite and PostgreSQL.
SIZES ?= 1000
bench-scale: install
	$(PY) bench/scale.py --sizes $(SIZES) --postgres $${BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}

# Read a running site (`make run` in another terminal) through its open interfaces with
# real clients: Schemathesis, Sickle, feedparser.
BASE ?= http://127.0.0.1:$(PORT)
check-interfaces: install-dev
	$(PY) bench/check_interfaces.py --base $(BASE)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.lock | $(VENV)/bin/python
	$(VENV)/bin/pip install --quiet --require-hashes -r requirements.lock
	touch $@

$(VENV)/.installed-dev: requirements-dev.lock | $(VENV)/bin/python
	$(VENV)/bin/pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

assets: node_modules/.package-lock.json

messages: install
	$(PY) manage.py compile_translations -v0

# Regenerate the lock files after changing pyproject.toml.
lock: install-dev
	$(VENV)/bin/pip-compile --quiet --strip-extras --generate-hashes --no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml
	$(VENV)/bin/pip-compile --quiet --strip-extras --generate-hashes --no-emit-index-url --no-emit-find-links --allow-unsafe --extra dev -c requirements.lock -o requirements-dev.lock pyproject.toml

lint: install-dev
	$(VENV)/bin/ruff check portal tests manage.py
	$(VENV)/bin/ruff format --check portal tests manage.py

format: install-dev
	$(VENV)/bin/ruff format portal tests manage.py
	$(VENV)/bin/ruff check --fix portal tests manage.py

clean:
	rm -rf $(VENV) node_modules var
