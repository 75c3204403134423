"""The database `make run` and `make test` choose (failshare/devdb.py): a named server, the one at
the default address, or an embedded PostgreSQL kept in a folder of the checkout."""

import os
import socket
import subprocess
import sys

import psycopg
import pytest

from failshare import devdb
from tests.resilience.servers import free_port


def connect(url: str, name: str = "postgres") -> psycopg.Connection:
    """A connection to the database ``name`` of the server ``url`` names."""
    server = url.rsplit("/", 1)[0].replace("postgres://", "postgresql://", 1)
    return psycopg.connect(f"{server}/{name}", autocommit=True, connect_timeout=5)


@pytest.fixture
def listening_port():
    """A loopback port where something answers, as a server would."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


@pytest.fixture
def embedded():
    """Release every embedded cluster a test started, so none outlives it."""
    started = []
    yield started
    for choice in started:
        choice.server.cleanup()


@pytest.fixture(scope="module")
def shared_dir(tmp_path_factory):
    """One embedded cluster's folder for the tests that only start or join it (each start
    costs seconds); stopped at the end."""
    data_dir = tmp_path_factory.mktemp("embedded") / "pg"
    yield data_dir
    devdb.embedded_stop(data_dir)


def test_it_uses_database_url_when_it_is_set(tmp_path, listening_port):
    url = "postgres://site@db.example.org:6432/failshare"
    choice = devdb.choose({"DATABASE_URL": url}, tmp_path / "pg", port=listening_port)
    assert choice.url == url
    assert choice.line == "Database: db.example.org:6432/failshare, from DATABASE_URL."
    assert choice.server is None
    assert not (tmp_path / "pg").exists()


def test_it_uses_the_server_that_answers_at_the_default_address(tmp_path, listening_port):
    choice = devdb.choose({}, tmp_path / "pg", port=listening_port)
    assert choice.url == f"postgres://postgres@127.0.0.1:{listening_port}/failshare"
    assert choice.line == (
        f"Database: the PostgreSQL server at 127.0.0.1:{listening_port}, database failshare."
    )
    assert choice.server is None
    assert not (tmp_path / "pg").exists()


def test_it_starts_an_embedded_cluster_when_no_server_answers(shared_dir):
    port = free_port()
    choice = devdb.choose({}, shared_dir, port=port)
    assert choice.line == (
        f"Database: embedded PostgreSQL 18.6, data in {shared_dir} "
        f"(no server answered at 127.0.0.1:{port})."
    )
    assert choice.url.endswith("/failshare")
    with connect(choice.url) as db:
        assert db.execute("SHOW server_version").fetchone()[0].startswith("18.")


def test_it_forces_the_embedded_cluster_even_when_a_server_answers(shared_dir, listening_port):
    environ = {"FAILSHARE_EMBEDDED_DB": "1", "DATABASE_URL": "postgres://x@127.0.0.1:1/x"}
    choice = devdb.choose(environ, shared_dir, port=listening_port)
    assert choice.line.endswith("(FAILSHARE_EMBEDDED_DB is on).")
    with connect(choice.url) as db:
        assert db.execute("SELECT 1").fetchone() == (1,)


def test_it_refuses_a_force_setting_it_cannot_read(tmp_path):
    with pytest.raises(SystemExit, match="FAILSHARE_EMBEDDED_DB must be true or false"):
        devdb.choose({"FAILSHARE_EMBEDDED_DB": "sometimes"}, tmp_path / "pg")


def test_the_embedded_cluster_keeps_its_data_when_stopped_and_started_again(tmp_path, embedded):
    data_dir = tmp_path / "pg"
    first = devdb.choose({"FAILSHARE_EMBEDDED_DB": "1"}, data_dir)
    with connect(first.url) as db:
        db.execute("CREATE DATABASE failshare")
    with connect(first.url, "failshare") as db:
        db.execute("CREATE TABLE demo (story text)")
        db.execute("INSERT INTO demo VALUES ('kept')")
    first.server.cleanup()
    assert not (data_dir / "postmaster.pid").exists(), "released by its last user, it stops"

    again = devdb.choose({"FAILSHARE_EMBEDDED_DB": "1"}, data_dir)
    embedded.append(again)
    with connect(again.url, "failshare") as db:
        assert db.execute("SELECT story FROM demo").fetchall() == [("kept",)]


def test_the_embedded_cluster_has_the_extensions_the_migrations_create(shared_dir):
    choice = devdb.choose({"FAILSHARE_EMBEDDED_DB": "1"}, shared_dir)
    with connect(choice.url) as db:
        db.execute("CREATE EXTENSION btree_gin")
        db.execute("CREATE EXTENSION pg_trgm")
        assert db.execute("SELECT similarity('budget', 'budgets') > 0.5").fetchone() == (True,)


def test_it_runs_the_command_with_database_url_and_says_which_in_one_line():
    url = "postgres://site@db.example.org:6432/failshare"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "failshare.devdb",
            sys.executable,
            "-c",
            "import os, sys; print(os.environ['DATABASE_URL']); sys.exit(3)",
        ],
        env={**os.environ, "DATABASE_URL": url, "FAILSHARE_EMBEDDED_DB": "0"},
        cwd=devdb.ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.splitlines() == [
        "Database: db.example.org:6432/failshare, from DATABASE_URL.",
        url,
    ]
    assert result.returncode == 3


def test_a_socket_directory_is_written_into_the_url_as_libpq_reads_it():
    url = devdb.database_url(user="postgres", host="/srv/app/.data/postgres", port=5432, name="x")
    assert url == "postgres://postgres@%2Fsrv%2Fapp%2F.data%2Fpostgres:5432/x"
