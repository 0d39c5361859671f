# Codedesk: `make serve` runs the portal, `make test` runs every test. Only Python 3.11+ is needed;
# uv is installed into .uv/ and builds the locked environment in .venv/.
PYTHON ?= python3
PORT ?= 8000
UV_VERSION := 0.13.9
UV := .uv/bin/uv
VENV := .venv
STAMP := $(VENV)/.codedesk-synced
export UV_PYTHON := $(PYTHON)
export UV_PYTHON_DOWNLOADS := never

.PHONY: serve test bench package load clean

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

clean:
	rm -rf build data .pytest_cache
