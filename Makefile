# Two commands for a fresh machine:  make demo  (the main job end to end)  and  make test.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STORE  ?= out/demo-store

.PHONY: setup system-deps demo test lint clean notebooks

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

setup: $(VENV)/.installed

# Debian's chromium for the browser tests (Playwright drives it; it never downloads a browser),
# and Tesseract with its Danish model for scanned PDFs (OCR).
DEBIAN_DEPS := chromium tesseract-ocr tesseract-ocr-dan
system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v tesseract >/dev/null 2>&1 || missing="$$missing tesseract-ocr"; \
	[ -f /usr/share/tesseract-ocr/5/tessdata/dan.traineddata ] || \
	  ls /usr/share/tesseract-ocr/*/tessdata/dan.traineddata >/dev/null 2>&1 || \
	  missing="$$missing tesseract-ocr-dan"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq $(DEBIAN_DEPS) >/dev/null; \
	  else echo "missing Debian packages:$$missing — run 'sudo apt-get install$$missing'"; exit 1; fi; \
	fi

demo: setup
	@rm -rf $(STORE) && mkdir -p out
	$(VENV)/bin/kommunegraf --store $(STORE) demo --out out/graph.html

# JupyterLab on the notebooks (the `notebooks` extra: jupyterlab, ipykernel, pandas, matplotlib).
$(VENV)/.notebooks: $(VENV)/.installed
	$(PY) -m pip install -q -e '.[notebooks]'
	touch $@

notebooks: $(VENV)/.notebooks
	$(VENV)/bin/jupyter lab notebooks/

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: setup system-deps lint
	$(VENV)/bin/pytest -q -n 2 --dist loadfile

clean:
	rm -rf $(VENV) out kommunegraf-store .pytest_cache .ruff_cache .hypothesis
