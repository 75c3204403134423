"""Fixtures for tests that run the site under gunicorn against a PostgreSQL they can stop.

Module-scoped: each test module gets its own cluster and server. Import them by name into the
test module (``from tests.resilience.fixtures import app, postgres``).
"""

import time

import pytest

from tests.resilience.servers import AppServer, ThrowawayPostgres, manage, production_env

# Sent by every visitor of these tests, so the logs can be searched for it.
USER_AGENT = "ResilienceProbe/4.2 (agent-7c1e5b)"


@pytest.fixture(scope="module")
def postgres():
    cluster = ThrowawayPostgres()
    cluster.create()
    yield cluster
    cluster.destroy()


@pytest.fixture(scope="module")
def app_env(postgres) -> dict:
    env = production_env(
        postgres.url,
        CONFESSION_MIN_SECONDS="0",
        ACCESS_LOG="true",
        TRUSTED_PROXY_COUNT="1",
    )
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")
    return env


@pytest.fixture(scope="module")
def app(app_env):
    server = AppServer(app_env, workers=2)
    server.start()
    yield server
    server.stop()


def run_in_app(env: dict, script: str) -> str:
    """Run Python with the site's settings against the app's database; returns what it printed."""
    return manage(env, "shell", "--no-imports", "-c", script).stdout


def wait_until_healthy(app: AppServer, seconds: float) -> float:
    """Seconds until /healthz answers 200 again; fails after ``seconds``."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if app.get("/healthz")[0] == 200:
            return time.monotonic() - started
        time.sleep(0.1)
    raise AssertionError(f"/healthz not 200 within {seconds}s of the database's return")
