# The two set-up commands are `make generate` and `make test`; each bootstraps .venv/ from the lock first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: generate update test check fuzz bench bench-quick corpus corpus-reuse parity golden readme-diff lock clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --quiet --disable-pip-version-check --no-deps --no-build-isolation --editable .
	touch $(STAMP)

# Re-ingests the vendor pages into specs/workflows.yaml, then regenerates generated/ from specs/.
generate: $(STAMP)
	$(BIN)/nexthink-codegen ingest
	$(BIN)/nexthink-codegen generate

# Takes a vendor update: re-ingests the pages, prints the classified diff against the committed spec (overlay,
# Python API, suggested bump), then regenerates generated/; a stale overlay action stops it before anything is written.
update: $(STAMP)
	$(BIN)/nexthink-codegen update

check: $(STAMP)
	$(BIN)/nexthink-codegen check

test: $(STAMP)
	$(BIN)/python -m pytest

# The property-based tests with many more examples than `make test` runs.
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest tests/test_properties.py

# Benchmarks against raw datamodel-codegen and a profile by stage (not part of make test); writes benchmarks/README.md.
BENCH_STAMP := $(VENV)/.installed-bench
$(BENCH_STAMP): $(STAMP) requirements-bench.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements-bench.lock
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	$(BIN)/python benchmarks/run.py

bench-quick: $(BENCH_STAMP)
	$(BIN)/python benchmarks/run.py --quick

# The real-world corpus (pinned npm specs, fetched into .corpus-cache/, and every Nexthink API) through the quality
# bar, for this project and raw datamodel-codegen; prints the table, writes benchmarks/corpus.md, and fails when a
# result disagrees with tests/corpus/known_failures.toml. Not part of `make test` (its fast subset is).
corpus: $(STAMP)
	$(BIN)/python -m tests.corpus.fetch
	$(BIN)/python benchmarks/corpus.py

# On every corpus document: one schema changed, `generate` into the last output (modules kept) equals a full
# generation byte for byte (not in make test; make test checks the same on every golden fixture).
corpus-reuse: $(STAMP)
	$(BIN)/python -m tests.corpus.fetch
	$(BIN)/python -m tests.corpus.reuse --record benchmarks/corpus-reuse.md

# Every constraint raw datamodel-codegen's models state, ours state too, on every corpus document (not in make test).
parity: $(STAMP)
	$(BIN)/python -m tests.corpus.fetch
	$(BIN)/python -m tests.parity

# Rewrites tests/golden/ from the generator; review the diff like any code change.
golden: $(STAMP)
	$(BIN)/python -m tests.golden_cases --rewrite

# Rewrites the README's examples (the diff report, the update loop) from the tool's own output.
readme-diff: $(STAMP)
	$(BIN)/python -m tests.readme_diff
	$(BIN)/python -m tests.vendor_update

# Re-resolves requirements.in into requirements.lock (needs network access to the package index).
lock:
	$(PYTHON) -m venv .lock-venv && .lock-venv/bin/python -m pip install --quiet uv
	.lock-venv/bin/uv pip compile --python-version 3.11 --generate-hashes --quiet requirements.in -o requirements.lock
	.lock-venv/bin/uv pip compile --python-version 3.11 --generate-hashes --quiet requirements-bench.in \
		-c requirements.lock -o requirements-bench.lock
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
