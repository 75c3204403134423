# failshare: `make run` for the demo site, `make test` for the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Development and management commands run with DEBUG on (console email, local hosts).
DEV := DEBUG=true TASKS_BACKEND=django_tasks.backends.immediate.ImmediateBackend

.PHONY: run test lint format bench db clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: $(BIN)/python requirements.txt
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: $(BIN)/python requirements.txt requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

db: $(VENV)/.runtime
	@$(DEV) $(BIN)/python manage.py ensure_database

run: db
	$(DEV) $(BIN)/python manage.py migrate --noinput
	$(DEV) $(BIN)/python manage.py seed_demo
	$(DEV) $(BIN)/python manage.py runserver 127.0.0.1:8000

test: $(VENV)/.dev db
	$(BIN)/pytest

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The speed targets: its own database (failshare_bench, recreated), gunicorn on loopback.
# STORIES sets how many (100,000 unless given): make bench STORIES=1000000
bench: $(VENV)/.runtime
	@command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install wrk"; exit 1; }
	@$(BIN)/python -c "import redis; redis.Redis(host='127.0.0.1', port=6379, socket_timeout=2).ping()" 2>/dev/null \
		|| { echo "Redis is not answering at 127.0.0.1:6379: start it (redis-server --daemonize yes --bind 127.0.0.1 --port 6379)"; exit 1; }
	STORIES=$(STORIES) $(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .hypothesis
