# One `make check` runs everything CI runs on SQLite. Use the project venv: `make check PY=.venv/bin/python`.
PY ?= .venv/bin/python

.PHONY: check lint types layers test messages bench

check: lint types layers test

lint:
	$(PY) -m ruff check src tests bench
	$(PY) -m ruff format --check src tests bench

types:
	$(PY) -m mypy

layers:
	$(dir $(PY))lint-imports

test:
	$(PY) -m pytest

# Extract new strings into each app's zh-hans catalogue (<app>/locale), then (after translating)
# compile them. A new app starts its catalogue with: mkdir -p <app>/locale && make messages
messages:
	for d in $$(find src/jiliang -type d -name locale -not -path "*/__pycache__/*"); do \
	  (cd $$d/.. && $(abspath $(PY)) -P -m django makemessages -l zh_Hans --no-obsolete --settings=jiliang.platform.settings -i "*/migrations/*" && \
	   $(abspath $(PY)) -P -m django compilemessages --settings=jiliang.platform.settings) || exit 1; \
	done

bench:
	$(PY) bench/run.py
