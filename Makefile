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
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy

format: $(INSTALLED)
	$(BIN)/ruff format src tests
	$(BIN)/ruff check --fix src tests

clean:
	rm -rf $(VENV) $(SDK_DIR)/node_modules $(EP_SDK_DIR)/node_modules .mypy_cache .ruff_cache .pytest_cache
