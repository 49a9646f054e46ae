# Two commands for a fresh machine:  make demo  (the main job end to end)  and  make test.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STORE  ?= out/demo-store

.PHONY: setup system-deps demo test lint clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

setup: $(VENV)/.installed

# Debian's chromium for the browser tests (Playwright drives it; it never downloads a browser).
system-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is missing: run 'sudo apt-get install chromium'"; exit 1; fi; }

demo: setup
	@rm -rf $(STORE) && mkdir -p out
	$(VENV)/bin/kommunegraf --store $(STORE) demo --out out/graph.html

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: setup system-deps lint
	$(VENV)/bin/pytest -q -n 2 --dist loadfile

clean:
	rm -rf $(VENV) out kommunegraf-store .pytest_cache .ruff_cache .hypothesis
