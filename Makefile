# dvscraper: `make demo` (the main job) and `make test`. Both set up .venv first (idempotent).
VENV := .venv
PYTEST_ARGS ?=
RUFF_ARGS ?=

.PHONY: setup demo test lint bench

setup:
	bash scripts/setup.sh

demo: setup
	$(VENV)/bin/dvscraper demo

# The linter and the import contracts (pyproject.toml) first, then pytest.
# pytest's exit codes all fail the target, 5 ("no tests collected") included.
test: setup lint
	bash scripts/setup-redis.sh
	$(VENV)/bin/python -m pytest $(PYTEST_ARGS)

# ruff (rules in [tool.ruff]) and lint-imports (the layer contracts in [tool.importlinter]).
lint: setup
	$(VENV)/bin/ruff check $(RUFF_ARGS) .
	$(VENV)/bin/lint-imports --no-cache

bench: setup
	EXTRAS=test,bench bash scripts/setup.sh
	$(VENV)/bin/python scripts/bench_parse.py
