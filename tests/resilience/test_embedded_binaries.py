"""Tests that need a PostgreSQL cluster of their own can make one from the embedded package's
binaries, so the suite runs on a machine with no system PostgreSQL."""

import os

from failshare import devdb
from tests.resilience.servers import ThrowawayPostgres


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
