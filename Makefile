# Two commands on a fresh machine: `make run` and `make test`.
# Each installs uv if missing and syncs the locked environment (with bytecode,
# without which every start-up is 2-3 times slower).
SHELL := /bin/bash
UV := $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
export UV_COMPILE_BYTECODE := 1

.PHONY: run test bench lint setup test-deps

$(UV):
	@command -v uv >/dev/null 2>&1 || python3 -m pip install --quiet uv || \
		(curl -LsSf https://astral.sh/uv/install.sh | sh)

setup: $(UV)
	@"$(UV)" sync --locked --compile-bytecode --quiet

run: setup
	"$(UV)" run --locked kratom today

# System packages the tests need (a PostgreSQL server); installed only when
# missing and only where we are root.
test-deps:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
		else echo "PostgreSQL binaries missing: PostgreSQL tests will be skipped"; fi; \
	fi

test: setup test-deps
	"$(UV)" run --locked pytest -q

bench: setup
	"$(UV)" run --locked python bench/cli_bench.py

lint: setup
	"$(UV)" run --locked ruff check src tests bench
	"$(UV)" run --locked ruff format --check src tests bench
	"$(UV)" run --locked mypy
