# The README's two commands: `make run` and `make test`. Everything they need, they install.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/test
REDIS_TEST_URL ?= redis://127.0.0.1:6379/0

.PHONY: install frontend http-audit node-clients migrate migration seed run test test-sqlite test-postgres lint schema clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The dashboard is built when Node.js is present; without it the API serves a placeholder page.
frontend:
	@if [ -f frontend/package.json ] && command -v npm >/dev/null; then \
		cd frontend && { [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund; } \
			&& npm run build; \
	elif [ "$$CI" = "true" ]; then echo "frontend: npm is required on CI" >&2; exit 1; \
	else echo "frontend: skipped (no npm); the API serves a placeholder page"; fi

# graphql-http's server audit (tests/test_http_audit.py) runs from its own npm package.
http-audit:
	@if command -v npm >/dev/null; then \
		cd tests/http_audit && { [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund; }; \
	elif [ "$$CI" = "true" ]; then echo "http-audit: npm is required on CI" >&2; exit 1; \
	else echo "http-audit: skipped (no npm); the audit test will be skipped"; fi

# urql, graphcache and graphql-ws for the real-client test (tests/realtime/test_real_clients.py).
node-clients:
	@if command -v npm >/dev/null; then \
		cd tests/clients && { [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund; }; \
	elif [ "$$CI" = "true" ]; then echo "node-clients: npm is required on CI" >&2; exit 1; \
	else echo "node-clients: skipped (no npm); the real-client test will be skipped"; fi

migrate: install
	$(PY) -m app.cli migrate

# A new migration from the models' changes: make migration NAME=what_it_does
migration: install
	@test -n "$(NAME)" || { echo "usage: make migration NAME=what_it_does" >&2; exit 2; }
	$(VENV)/bin/tortoise makemigrations --name $(NAME)

seed: migrate
	$(PY) -m app.cli seed

run: install frontend seed
	$(PY) -m app.cli serve

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
	$(VENV)/bin/lint-imports --no-cache
	$(PY) -m app.migration_check

schema: install
	$(PY) -m app.export_schema

test-sqlite: install frontend http-audit node-clients
	$(PY) -m pytest -q

# On PostgreSQL and Redis when reachable; CI (CI=true) requires them.
test-postgres: install http-audit node-clients
	@if $(PY) -m app.probe postgres redis; then \
		TEST_DATABASE_URL=$(PG_TEST_URL) TEST_BROADCAST_URL=$(REDIS_TEST_URL) $(PY) -m pytest -q -m "not browser"; \
	elif [ "$$CI" = "true" ]; then echo "PostgreSQL/Redis are required on CI but not reachable" >&2; exit 1; \
	else echo "PostgreSQL or Redis not reachable: PostgreSQL run skipped"; fi

test: lint test-sqlite test-postgres

# One test, or one file, on SQLite (default) or PostgreSQL + Redis: make test-one T=tests/x.py::test_y DB=postgres
.PHONY: test-one
DB ?= sqlite
test-one: install
	@test -n "$(T)" || { echo "usage: make test-one T=tests/x.py::test_y [DB=sqlite|postgres]" >&2; exit 2; }
	@case "$(DB)" in \
		sqlite) $(PY) -m pytest -q "$(T)" ;; \
		postgres) TEST_DATABASE_URL=$(PG_TEST_URL) TEST_BROADCAST_URL=$(REDIS_TEST_URL) $(PY) -m pytest -q "$(T)" ;; \
		*) echo "DB must be sqlite or postgres, not $(DB)" >&2; exit 2 ;; \
	esac

clean:
	rm -rf $(VENV) data frontend/dist tests/http_audit/node_modules tests/clients/node_modules
