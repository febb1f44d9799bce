# Every target sets itself up on a fresh machine: `make test` on a new clone installs what it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
SDK_DIR := tests/sdk/js
SDK_INSTALLED := $(SDK_DIR)/node_modules/.installed
EP_SDK_DIR := tests/sdk/ep
EP_SDK_INSTALLED := $(EP_SDK_DIR)/node_modules/.installed

.PHONY: install run test lint format clean

install: $(INSTALLED) $(SDK_INSTALLED) $(EP_SDK_INSTALLED)

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# The official npm SDK for the client tests; skipped (with a warning) where npm is absent.
$(SDK_INSTALLED): $(SDK_DIR)/package.json $(SDK_DIR)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		cd $(SDK_DIR) && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.installed; \
	else \
		echo "warning: npm not found; the npm SDK tests will be skipped" >&2; \
	fi

# The official Elastic Path SDK (@elasticpath/js-sdk) for its client tests; the same rule.
$(EP_SDK_INSTALLED): $(EP_SDK_DIR)/package.json $(EP_SDK_DIR)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		cd $(EP_SDK_DIR) && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.installed; \
	else \
		echo "warning: npm not found; the Elastic Path SDK tests will be skipped" >&2; \
	fi

run: $(INSTALLED)
	$(BIN)/ordergate serve --demo

test: install
	$(BIN)/pytest

lint: $(INSTALLED)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src tests bench --exclude "^bench/data/"

format: $(INSTALLED)
	$(BIN)/ruff format src tests
	$(BIN)/ruff check --fix src tests

# Benchmarks (BENCHMARKS.md), never part of `make test`. The set-up (the `bench` extras, wrk, Prism in npx's
# cache) happens once, outside the timed run; the run itself installs wrk with apt-get if it can.
BENCH_INSTALLED := $(VENV)/.bench-installed
PRISM := @stoplight/prism-cli@5.14.2

.PHONY: bench bench-quick

$(BENCH_INSTALLED): pyproject.toml $(INSTALLED)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	@if command -v npx >/dev/null 2>&1; then \
		npx --yes $(PRISM) --version >/dev/null || echo "warning: Prism could not be fetched; it will be skipped" >&2; \
	else \
		echo "warning: npx not found; the Prism comparison will be skipped" >&2; \
	fi
	touch $@

bench: $(BENCH_INSTALLED)
	$(BIN)/python -m bench.run

bench-quick: $(BENCH_INSTALLED)
	$(BIN)/python -m bench.run --quick

clean:
	rm -rf $(VENV) $(SDK_DIR)/node_modules $(EP_SDK_DIR)/node_modules .mypy_cache .ruff_cache .pytest_cache
