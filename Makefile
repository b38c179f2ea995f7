# dvscraper: `make demo` (the main job) and `make test`. Both set up .venv first (idempotent).
VENV := .venv
PYTEST_ARGS ?=

.PHONY: setup demo test bench

setup:
	bash scripts/setup.sh

demo: setup
	$(VENV)/bin/dvscraper demo

# pytest's exit codes all fail the target, 5 ("no tests collected") included.
test: setup
	bash scripts/setup-redis.sh
	$(VENV)/bin/python -m pytest $(PYTEST_ARGS)

bench: setup
	EXTRAS=test,bench bash scripts/setup.sh
	$(VENV)/bin/python scripts/bench_parse.py
