# Two commands on a fresh machine: `make run` and `make test`.
# Each installs uv if missing and syncs the locked environment (with bytecode,
# without which every start-up is 2-3 times slower).
SHELL := /bin/bash
# uv from PATH, else the copy pip installs (runnable as `python3 -m uv`).
UV := $(shell command -v uv 2>/dev/null || echo python3 -m uv)
export UV_COMPILE_BYTECODE := 1

.PHONY: run test bench lint setup test-deps bench-deps

setup:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || \
		python3 -m pip install --quiet uv
	@$(UV) sync --locked --compile-bytecode --quiet

# The web app on an embedded SQLite database, opened in a browser where there is one.
run: setup
	$(UV) run --locked kratom serve --open

# System packages the tests need (a PostgreSQL server, Chromium for the browser
# tests, poppler's pdftoppm for the report); installed only when missing and only
# where we are root.
test-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else echo "Chromium missing: browser tests will be skipped"; fi; \
	fi
	@if ! command -v pdftoppm >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null; \
		else echo "pdftoppm missing: report page images will be skipped"; fi; \
	fi
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
		else echo "PostgreSQL binaries missing: PostgreSQL tests will be skipped"; fi; \
	fi

test: setup test-deps
	$(UV) run --locked pytest -q

# wrk loads the web app in the web bench; installed only when missing and only
# where we are root (otherwise the web bench says it is skipped).
bench-deps:
	@if ! command -v wrk >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
		else echo "wrk missing: the web bench will be skipped"; fi; \
	fi

bench: setup bench-deps
	$(UV) run --locked python bench/cli_bench.py
	$(UV) run --locked python bench/web_bench.py

lint: setup
	$(UV) run --locked ruff check src tests bench
	$(UV) run --locked ruff format --check src tests bench
	$(UV) run --locked mypy
