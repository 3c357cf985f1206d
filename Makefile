# The workflow the README shows. `make run` and `make test` set everything up on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint format bench catalogs compile-catalogs clean

# Compiled catalogs (not in git): read in milliseconds, where a .po takes tens to parse.
# The bot reads a .po itself when its .mo is missing or older.
MO := $(patsubst %.po,%.mo,$(wildcard locales/*/LC_MESSAGES/messages.po))

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP) $(MO)  ## run the bot: Telegram and/or WhatsApp when their tokens are set, else the offline console
	$(BIN)/python -m bot

test: $(STAMP) $(MO)  ## lint, type-check, validate content and run the test suite
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m bot content check
	$(BIN)/python -m pytest

$(MO): %.mo: %.po $(STAMP)
	$(BIN)/pybabel -q compile -i $< -o $@

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python bench/updates.py

catalogs: $(STAMP)  ## extract messages and update every language's catalog
	$(BIN)/pybabel extract -F locales/babel.cfg -k N_ -k ngettext:1,2 -o locales/messages.pot --no-location --sort-output .
	$(BIN)/pybabel update -i locales/messages.pot -d locales -D messages --no-fuzzy-matching --ignore-obsolete

compile-catalogs: $(STAMP)
	$(BIN)/pybabel compile -d locales -D messages --statistics

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
