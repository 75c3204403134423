"""Tests that need a PostgreSQL cluster of their own can make one from the embedded package's
binaries, so the suite runs on a machine with no system PostgreSQL."""

import os

from failshare import devdb
from tests.resilience.servers import ThrowawayPostgres, postgres_bindir


def test_it_runs_a_throwaway_cluster_and_a_base_backup_from_the_embedded_binaries():
    bindir = str(devdb.embedded_bindir())
    cluster = ThrowawayPostgres(bindir=bindir)
    cluster.create()
    try:
        assert cluster.query("SHOW server_version")[0][0].startswith("18.")
        cluster.stop()
        cluster.start()
        assert cluster.query("SELECT 1") == [(1,)]
        # What a replica starts from: pg_basebackup of the running cluster.
        backup = os.path.join(cluster.dir, "replica")
        cluster._run(
            "pg_basebackup",
            "-h",
            "127.0.0.1",
            "-p",
            str(cluster.port),
            "-U",
            "postgres",
            "-D",
            backup,
            "-R",
            "--no-sync",
        )
        assert os.path.exists(os.path.join(backup, "standby.signal"))
    finally:
        cluster.destroy()


def test_forcing_the_embedded_database_takes_the_embedded_binaries_over_the_systems(
    monkeypatch, tmp_path
):
    # A system PostgreSQL on the PATH, as on this machine or not: forcing skips it.
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "pg_ctl").write_text("#!/bin/sh\nexit 1\n")
    (fake / "pg_ctl").chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake}{os.pathsep}{os.environ['PATH']}")
    assert postgres_bindir({"FAILSHARE_EMBEDDED_DB": "1"}) == str(devdb.embedded_bindir())
    assert postgres_bindir({"FAILSHARE_EMBEDDED_DB": "0"}) != str(devdb.embedded_bindir())


def test_a_forced_run_starts_its_throwaway_clusters_from_the_embedded_binaries(monkeypatch):
    monkeypatch.setenv("FAILSHARE_EMBEDDED_DB", "1")
    cluster = ThrowawayPostgres()
    assert cluster.bindir == str(devdb.embedded_bindir())
    cluster.create()
    try:
        assert cluster.query("SHOW server_version")[0][0].startswith("18.")
    finally:
        cluster.destroy()
