# depositctl: everything needs only python3 and make.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test quick lint imports typecheck pytest i18n rules-json record-code workdays-json bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[test]'
	touch $@

demo: $(STAMP)
	$(BIN)/depositctl demo

# Everything, as CI runs it: lint, types, the import contracts, every test (`pytest`).
test: $(STAMP) lint typecheck imports pytest

# The edit-test loop: the tests not marked slow (pyproject.toml says which), on every core,
# with a quarter of the Hypothesis examples (tests/conftest.py `examples`; CI runs them all),
# work-stealing so no worker idles behind a long test, and the tests' folders in RAM where
# there is a tmpfs (/dev/shm): every commit fsyncs, which costs ~7 ms on a disk.
QUICK_TMP := $(shell test -d /dev/shm -a -w /dev/shm && echo /dev/shm)
quick: $(STAMP)
	$(if $(QUICK_TMP),TMPDIR=$(QUICK_TMP)) $(BIN)/pytest -q -m "not slow" -n auto --dist worksteal \
		--hypothesis-profile=quick

lint: $(STAMP)
	$(BIN)/ruff check src tests $(wildcard benchmarks)
	$(BIN)/ruff format --check src tests $(wildcard benchmarks)

typecheck: $(STAMP)
	$(BIN)/mypy src

# The layers (cli -> ops -> render | store -> i18n -> data -> core): [tool.importlinter].
imports: $(STAMP)
	$(BIN)/lint-imports

# Every test, with every Hypothesis example: on every core, work-stealing, all but the
# tests that race processes against each other under timeouts (marked `alone` in
# pyproject.toml); those then run by themselves, with no other test loading the machine.
# In one process the whole suite took 13 of CI's 15 minutes on a slow machine.
pytest: $(STAMP)
	$(BIN)/pytest -q -n auto --dist worksteal -m "not alone"
	$(BIN)/pytest -q -m alone

# The rule table as JSON (src/depositctl/data/rules.json), which `status` reads instead of
# parsing the TOML; run after editing data/rules.toml (tests/test_rules.py checks it).
rules-json: $(STAMP)
	$(BIN)/python -c "from depositctl import data; \
		data.path(data.PREBUILT).write_text(data.prebuilt_text(), encoding='utf-8')"

# The `chinesecalendar` package's working days as a table (src/depositctl/data/workdays.json),
# which `status` reads instead of importing the package; run after upgrading the package
# (tests/test_workdays.py checks it is fresh; a stale one is ignored, never wrong).
workdays-json: $(STAMP)
	$(BIN)/python -c "from depositctl import data; from depositctl.store import calendar; \
		open(data.file(data.WORKDAYS), 'w', encoding='utf-8').write(calendar.prebuilt_workdays_text())"

# The compiled __init__ of every record (core/_recordcode.py): after changing a record's fields.
record-code: $(STAMP)
	$(BIN)/python -m tests.fixtures.record_code

# Refresh the message template and the Chinese catalog, then compile it.
# Translate new entries in src/depositctl/locale/zh/LC_MESSAGES/depositctl.po, run again.
LOCALE := src/depositctl/locale
i18n: $(STAMP)
	$(BIN)/pybabel extract --no-location --sort-output -k _ -k N_ -k ngettext:1,2 \
		-o $(LOCALE)/depositctl.pot src/depositctl
	$(BIN)/pybabel update --no-wrap --no-fuzzy-matching -i $(LOCALE)/depositctl.pot -d $(LOCALE) -D depositctl -l zh
	$(BIN)/pybabel compile -d $(LOCALE) -D depositctl

# The benchmark (benchmarks/README.md): its own non-editable install in benchmarks/.venv,
# hyperfine, taskwarrior, GNU time and the sqlite3 shell from Debian's packages if missing,
# then the run. Without PYTHONDONTWRITEBYTECODE (or a pycache prefix), so the install's
# bytecode is what every measured run reads.
BENCH_VENV := benchmarks/.venv
BENCH_ENV := env -u PYTHONDONTWRITEBYTECODE -u PYTHONPYCACHEPREFIX -u PYTHONPATH
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
bench:
	@command -v hyperfine >/dev/null && command -v task >/dev/null && \
		command -v sqlite3 >/dev/null && test -x /usr/bin/time || \
		{ $(SUDO) apt-get update && \
		  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y hyperfine taskwarrior time sqlite3; }
	test -x $(BENCH_VENV)/bin/python || $(BENCH_ENV) $(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_ENV) $(BENCH_VENV)/bin/python -m pip install -qq --upgrade pip
	$(BENCH_ENV) $(BENCH_VENV)/bin/python -m pip install -qq -c constraints.txt .
	$(BENCH_ENV) $(BENCH_VENV)/bin/python benchmarks/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
