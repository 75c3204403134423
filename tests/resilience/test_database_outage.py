"""The site answers a plain 503 while PostgreSQL is down and recovers by itself when it returns."""

import time

import pytest

from tests.resilience.servers import (
    AppServer,
    ThrowawayPostgres,
    manage,
    postgres_bindir,
    production_env,
)

pytestmark = pytest.mark.skipif(
    postgres_bindir() is None, reason="PostgreSQL server binaries not found"
)


@pytest.fixture(scope="module")
def postgres():
    cluster = ThrowawayPostgres()
    cluster.create()
    yield cluster
    cluster.destroy()


@pytest.fixture(scope="module")
def app(postgres):
    env = production_env(postgres.url)
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")
    server = AppServer(env)
    server.start()
    yield server
    server.stop()


def wait_until_healthy(app, seconds: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if app.get("/healthz")[0] == 200:
            return time.monotonic() - started
        time.sleep(0.25)
    raise AssertionError(f"/healthz not 200 within {seconds}s of the database's return")


@pytest.mark.parametrize("mode", ["fast", "immediate"])
def test_it_says_briefly_unavailable_during_an_outage_and_recovers_without_restart(
    postgres, app, mode
):
    assert app.get("/healthz") == (200, "ok\n")
    assert app.get("/")[0] == 200

    postgres.stop(mode)
    try:
        status, body = app.get("/healthz")
        assert status == 503
        # Pages that need the database; cached and static pages may still be served.
        for path in ["/tags/budgets/"]:
            status, body = app.get(path)
            assert status == 503, path
            assert "briefly unavailable" in body
            assert "Traceback" not in body
    finally:
        postgres.start()

    assert wait_until_healthy(app, 10) < 10
    assert app.get("/")[0] == 200
    assert app.process.poll() is None, "the app server must not have restarted"
