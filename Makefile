# failshare: `make run` for the demo site, `make test` for the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Development and management commands run with DEBUG on (console email, local hosts).
DEV := DEBUG=true TASKS_BACKEND=django_tasks.backends.immediate.ImmediateBackend

.PHONY: run superuser test lint format bench db clean messages translations

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.local: $(BIN)/python requirements.txt requirements-local.txt
	$(BIN)/pip install --quiet -r requirements-local.txt
	touch $@

$(VENV)/.dev: $(BIN)/python requirements.txt requirements-local.txt requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.local

# The database (failshare/devdb.py): DATABASE_URL when set, else the server at 127.0.0.1:5432
# when one answers, else an embedded PostgreSQL kept in .data/postgres (FAILSHARE_EMBEDDED_DB=1
# forces it). It says which in one line, then runs the rest with DATABASE_URL set.
WITH_DB := $(BIN)/python -m failshare.devdb
MANAGE := $(BIN)/python manage.py

db: $(VENV)/.local
	@$(DEV) $(WITH_DB) $(MANAGE) ensure_database

# The Welsh catalogue, compiled: locale/cy/LC_MESSAGES/django.mo is built here, never committed.
# `make messages` gathers new strings into the .po file after a change to the interface.
COMPILE := $(MANAGE) compilemessages --ignore=.venv --ignore=.data --ignore=staticfiles
LOCALE_IGNORES := --ignore='.venv/*' --ignore='staticfiles/*' --ignore='.data/*' \
	--ignore='tests/*' --ignore='bench/*' --ignore='docs/*'

# Without GNU gettext's msgfmt (which compilemessages needs), failshare/translations.py does it.
translations: $(VENV)/.local
	@if command -v msgfmt >/dev/null; then $(DEV) $(COMPILE) --verbosity 0; \
	else $(BIN)/python -m failshare.translations; fi

messages: $(VENV)/.local
	$(DEV) $(MANAGE) makemessages -l cy --no-obsolete --no-location $(LOCALE_IGNORES)

# PORT picks the port of the development server: make run PORT=8001
PORT ?= 8000
run: translations
	@$(DEV) $(WITH_DB) sh -c '$(MANAGE) ensure_database && $(MANAGE) migrate --noinput \
		&& $(MANAGE) seed_demo && exec $(MANAGE) runserver 127.0.0.1:$(PORT)'

# A superuser with a confirmed email address, asked for on the terminal: signs in at once.
superuser: translations
	@$(DEV) $(WITH_DB) sh -c '$(MANAGE) ensure_database && $(MANAGE) migrate --noinput \
		&& $(MANAGE) create_admin'

# ARGS picks tests (the whole suite on two processes unless given): make test ARGS="tests/test_tags.py -q"
# loadgroup: tests marked with one xdist_group (the registration rushes) never run side by side.
ARGS ?= -n 2 --dist loadgroup
test: $(VENV)/.dev translations
	@$(WITH_DB) sh -c '$(DEV) $(MANAGE) ensure_database && exec $(BIN)/pytest $(ARGS)'

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The speed targets: its own database (failshare_bench, recreated), gunicorn on loopback.
# STORIES sets how many (100,000 unless given): make bench STORIES=1000000
bench: translations
	@command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install wrk"; exit 1; }
	@$(BIN)/python -c "import redis; redis.Redis(host='127.0.0.1', port=6379, socket_timeout=2).ping()" 2>/dev/null \
		|| { echo "Redis is not answering at 127.0.0.1:6379: start it (redis-server --daemonize yes --bind 127.0.0.1 --port 6379)"; exit 1; }
	STORIES=$(STORIES) $(BIN)/python bench/run.py

# Stops the embedded PostgreSQL first, then removes it with its data.
clean:
	@[ ! -x $(BIN)/python ] || $(BIN)/python -m failshare.devdb --stop
	rm -rf $(VENV) .data staticfiles .pytest_cache .ruff_cache .hypothesis
