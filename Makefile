# Two commands do all set-up on a fresh machine:
#   make run    — create .venv, install the app, build the index on first run, serve on 127.0.0.1:7860
#   make test   — create .venv, install app + test tools (+ Debian chromium for browser tests), type-check
#                 index/ and rag/ (mypy), run every test,
#                 then the full eval (exits non-zero when a quality gate fails)
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: run test test-fast eval bench install install-dev chromium clean

$(VENV)/.app: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e .
	touch $@

# torch==2.13.0 is a local CPU build on this machine: installing it first keeps sentence-transformers
# from pulling a multi-GB CUDA build.
$(VENV)/.dev: $(VENV)/.app
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e '.[st,dev]'
	touch $@

install: $(VENV)/.app
install-dev: $(VENV)/.dev

chromium:
	@command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi wqy || (apt-get update -qq && apt-get install -y -qq chromium fonts-wqy-zenhei >/dev/null)

run: install
	$(PY) app.py

test: install-dev chromium
	$(PY) -m mypy index rag
	$(PY) -m pytest -m "slow or browser or not slow" -q
	$(PY) -m eval parse
	$(PY) -m eval run
	$(PY) -m eval real

test-fast: install-dev
	$(PY) -m mypy index rag
	$(PY) -m pytest -q

eval: install
	$(PY) -m eval parse
	$(PY) -m eval run
	$(PY) -m eval real

bench: install
	$(PY) -m eval bench

clean:
	rm -rf .store .store-real eval/reports eval/bench_results tests/artifacts .ocr-cache  # never the uploads folder (.store-uploads/): it holds notices
