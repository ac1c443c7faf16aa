# groupkg: the two quick-start commands and the checks.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
OUT ?= out

.PHONY: demo test check install install-test browser virtuoso bench fuzz screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

install: $(BIN)/python
	$(BIN)/pip install -q -e .

install-test: $(BIN)/python browser virtuoso
	$(BIN)/pip install -q -e '.[test]'

# The browser tests drive Debian's Chromium through Playwright; nothing downloads a browser.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# The tests of sparql:URL run Debian's Virtuoso on a throwaway database of their own.
virtuoso:
	@command -v virtuoso-t >/dev/null 2>&1 || { \
	  echo "installing Debian's Virtuoso for the tests of sparql:URL"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends virtuoso-opensource-7-bin >/dev/null; }

## demo: install, then ownership lookups and consolidation paths on the IIJ group
demo: install
	@mkdir -p $(OUT)
	PATH="$(BIN):$$PATH" sh scripts/demo.sh $(OUT)

## test: install what the tests need, check the layers of the code, then run every test
test: install-test
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

## bench: the benchmark harness at 10k, 100k and 1M entities (big files under /tmp)
SIZES ?= 10k,100k,1M
bench: install-test
	$(BIN)/python -m benchmarks.run --sizes $(SIZES)

## fuzz: the whole fuzz suite (over 10,000 cases; the normal test run takes a sample)
fuzz: install-test
	GROUPKG_FUZZ=full $(BIN)/python -m pytest tests/fuzz -q

## screenshots: the pictures of docs/pictures.md, drawn by headless Chromium
screenshots: install-test
	$(BIN)/python scripts/screenshots.py docs/pictures

## check: the linters and formatter, the type checker, then everything `make test` runs
check: install-test
	$(BIN)/ruff check graph viz tests benchmarks scripts
	$(BIN)/ruff format --check graph viz tests benchmarks scripts
	$(BIN)/mypy graph viz
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .hypothesis
