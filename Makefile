# The commands people run. `make run` starts the whole system; `make test` runs every test
# against a real broker and a real database.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | sha1sum | cut -c1-12)

.PHONY: run test test-unit test-reliability screenshots lint format docs install clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e ".[dev]"
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

run: install
	$(PY) -m ops.local_run

test: install
	$(PY) -m pytest

test-unit: install
	$(PY) -m pytest tests/unit

# The full fault run: 10,000 complaints while services, the broker and the database restart
# (`make test` runs the same test with 300). Prints its counts.
test-reliability: install
	SIGAP_RELIABILITY_COMPLAINTS=10000 $(PY) -m pytest -m reliability -s tests/reliability

# The README's screenshots, taken anew by the browser tests.
screenshots: install
	SIGAP_SCREENSHOTS_DIR=$(CURDIR)/docs/screenshots $(PY) -m pytest tests/browser

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# The benchmark (docs/benchmarks.md): `make bench`, or `make bench BENCH_ARGS=--quick`.
.PHONY: bench
bench: install
	$(PY) -m bench.run $(BENCH_ARGS)

docs: install
	mkdir -p docs/asyncapi
	for service in intake triage notify reporting; do \
		$(PY) -m ops.asyncapi $$service > docs/asyncapi/$$service.json || exit 1; \
	done
	$(PY) -m ops.event_docs > docs/events.md

clean:
	rm -rf $(VENV) .sigap .pytest_cache .mypy_cache .ruff_cache
