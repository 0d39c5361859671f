# Codedesk: `make serve` runs the portal, `make test` runs every test, `make lint` the linters (ruff,
# ruff format --check, mypy, import-linter's layering contracts). Only Python 3.11+ is needed;
# uv is installed into .uv/ and builds the locked environment in .venv/.
PYTHON ?= python3
PORT ?= 8000
UV_VERSION := 0.13.9
UV := .uv/bin/uv
VENV := .venv
STAMP := $(VENV)/.codedesk-synced
export UV_PYTHON := $(PYTHON)
export UV_PYTHON_DOWNLOADS := never

.PHONY: serve test lint bench package load clean

$(UV):
	$(PYTHON) -m venv .uv
	.uv/bin/pip install --quiet "uv==$(UV_VERSION)"

$(STAMP): pyproject.toml uv.lock | $(UV)
	$(UV) sync --locked --all-extras --all-groups
	touch $(STAMP)

serve: $(STAMP)
	PORT=$(PORT) $(VENV)/bin/codedesk serve

test: $(STAMP)
	$(VENV)/bin/pytest

# Each step runs even when one before it fails, so one run lists every problem; the exit status is
# that of the first failing step.
lint: $(STAMP)
	@status=0; \
	$(VENV)/bin/ruff check functions tests infra || status=$$((status ? status : $$?)); \
	$(VENV)/bin/ruff format --check functions tests infra || status=$$((status ? status : $$?)); \
	$(VENV)/bin/mypy functions/ || status=$$((status ? status : $$?)); \
	$(VENV)/bin/lint-imports || status=$$((status ? status : $$?)); \
	exit $$status

clean:
	rm -rf build data .pytest_cache

# ---- Lambda artifact and benchmarks (infra/package.py, tests/benchmarks/) -------------------------
# `make package` builds build/lambda.zip, the artifact infra/template.yaml deploys, and prints its
# size and contents. `make bench` runs every tests/benchmarks/bench_*.py in turn.
package: $(STAMP)
	UV=$(abspath $(UV)) $(VENV)/bin/python infra/package.py

bench: $(STAMP)
	@for script in tests/benchmarks/bench_*.py; do \
		echo "== $$script"; $(VENV)/bin/python $$script || exit 1; \
	done

# ---- Load and soak (tests/load/) -----------------------------------------------------------------
# `make load` runs locust against `codedesk serve` on this machine (8 users, 60 s), then a 10-minute
# soak that reports the server's memory growth. LOAD_SECONDS / SOAK_SECONDS / LOAD_USERS override.
load: $(STAMP)
	$(VENV)/bin/python tests/load/run_load.py
