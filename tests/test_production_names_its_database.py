"""Production never guesses its database: with DEBUG off and no DATABASE_URL the site refuses to
start (the local default, or the embedded PostgreSQL `make` may start, is for development)."""

import os
import subprocess
import sys

from failshare import devdb

LOAD_SETTINGS = "from django.conf import settings; print(settings.DATABASES['default']['HOST'])"


def load_settings(**env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", LOAD_SETTINGS],
        cwd=devdb.ROOT,
        env={
            "PATH": os.environ["PATH"],
            "DJANGO_SETTINGS_MODULE": "failshare.settings",
            "SECRET_KEY": "a-long-random-production-secret-" + "x" * 40,
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_refuses_to_start_without_debug_and_without_database_url():
    result = load_settings(DEBUG="false")
    assert result.returncode != 0
    assert "DATABASE_URL must be set when DEBUG is off" in result.stderr


def test_it_starts_without_debug_when_database_url_names_the_server():
    result = load_settings(DEBUG="false", DATABASE_URL="postgres://site@db.example.org/failshare")
    assert result.stdout.strip() == "db.example.org", result.stderr


def test_development_falls_back_to_the_local_default():
    result = load_settings(DEBUG="true")
    assert result.stdout.strip() == "127.0.0.1", result.stderr
