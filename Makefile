# The README's commands. Needs only Python 3.11+, make and git; everything else is installed here.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint browsers clean translations loadtest roundtrip

run: $(STAMP)  ## set up, load the seeds, serve at http://127.0.0.1:8000
	$(BIN)/basewatch db upgrade
	$(BIN)/basewatch load seeds/actors.json seeds/articles
	$(BIN)/basewatch serve

test: $(STAMP) browsers  ## set up and run every check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/mypy && $(BIN)/lint-imports

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Browser tests drive Debian's Chromium (Playwright cannot download its own browser here).
browsers:
	@scripts/install-test-tools

# Extract the interface's strings and merge them into each language's .po (then translate them).
translations: $(STAMP)
	$(BIN)/pybabel extract -F translations/babel.cfg -k N_ --no-location --sort-output --project basewatch -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --ignore-obsolete --no-fuzzy-matching

clean:
	rm -rf $(VENV) var

# Issue 8's long checks, kept out of `make test`: figures in docs/security.md and docs/backup.md.
loadtest: $(STAMP)  ## 50 analysts and 5 editors for two minutes on loopback, then nothing lost
	$(BIN)/python -m bench.load_test

roundtrip: $(STAMP)  ## export --all and load 100,000 claims with editors' work, checksums equal
	$(BIN)/python -m bench.roundtrip --claims 100000
