"""Project-wide guards: migrations, public pages, deploy checks, settings helpers."""

import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from failshare.settings import env_bool, env_int, env_list
from tests.resilience.servers import STATIC_ROOT

ROOT = Path(__file__).resolve().parent.parent

PUBLIC_PAGES = [
    "/",
    "/privacy/",
    "/api/",
    "/api/docs/",
    "/subscriptions/",
    "/resources/",
    "/resources/suggest/",
    "/accessibility/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
]

PRODUCTION_ENV = {
    "PATH": os.environ["PATH"],
    "SECRET_KEY": "a-long-random-production-secret-" + "x7Qp2#" * 10,
    "ALLOWED_HOSTS": "failshare.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://failshare.example.org",
    "SITE_URL": "https://failshare.example.org",
    "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/failshare"),
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "STATIC_ROOT": STATIC_ROOT,
}


def run_manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.django_db
def test_it_has_no_missing_migrations():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_it_serves_each_public_page_with_one_h1(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert len(re.findall(r"<h1[\s>]", response.content.decode())) == 1


@pytest.mark.django_db
def test_it_answers_unknown_paths_with_the_site_404_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Page not found" in body
    assert len(re.findall(r"<h1[\s>]", body)) == 1


def test_deploy_check_is_clean_with_production_values():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_https_protections_are_on_by_default_and_each_can_be_switched_off():
    script = (
        "from django.conf import settings as s;"
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SECURE_HSTS_SECONDS)"
    )
    on = run_manage("shell", "--no-imports", "-c", script, env=PRODUCTION_ENV)
    assert on.stdout.split() == ["True", "True", "True", "31536000"], on.stderr
    off_env = {
        **PRODUCTION_ENV,
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
    }
    off = run_manage("shell", "--no-imports", "-c", script, env=off_env)
    assert off.stdout.split() == ["False", "False", "False", "0"], off.stderr


def test_redis_url_selects_the_redis_cache():
    script = "from django.conf import settings as s; print(s.CACHES['default']['BACKEND'])"
    env = {**PRODUCTION_ENV, "REDIS_URL": "redis://127.0.0.1:6379/1"}
    assert (
        run_manage("shell", "--no-imports", "-c", script, env=env)
        .stdout.strip()
        .endswith("RedisCache")
    )
    without = {**PRODUCTION_ENV, "REDIS_URL": ""}
    local = run_manage("shell", "--no-imports", "-c", script, env=without).stdout.strip()
    assert local.endswith("DatabaseCache"), "shared state is shared between processes"


def test_the_deploy_check_warns_when_production_runs_without_redis():
    env = {**PRODUCTION_ENV, "REDIS_URL": ""}
    result = run_manage("check", "--deploy", env=env)
    assert "failshare.W001" in result.stdout + result.stderr


def test_healthz_says_503_when_the_database_does_not_answer():
    # Port 1 on loopback: a real refused connection, not a mock.
    script = (
        "from django.test import Client;"
        "r = Client().get('/healthz', secure=True);"
        "print(r.status_code, r.content.decode().strip())"
    )
    env = {
        **PRODUCTION_ENV,
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/failshare",
        "ALLOWED_HOSTS": "testserver",
    }
    result = run_manage("shell", "--no-imports", "-c", script, env=env)
    assert result.stdout.strip() == "503 database unavailable", result.stderr


@pytest.mark.django_db
def test_healthz_says_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


@pytest.mark.parametrize(
    ("helper", "value", "expected"),
    [
        (env_bool, "true", True),
        (env_bool, "0", False),
        (env_int, "42", 42),
        (env_list, "a.org, b.org", ["a.org", "b.org"]),
    ],
)
def test_settings_helpers_read_values(monkeypatch, helper, value, expected):
    monkeypatch.setenv("FAILSHARE_TEST_VALUE", value)
    assert helper("FAILSHARE_TEST_VALUE", None) == expected


@pytest.mark.parametrize(("helper", "value"), [(env_bool, "maybe"), (env_int, "ten")])
def test_settings_helpers_fail_loudly_on_bad_values(monkeypatch, helper, value):
    monkeypatch.setenv("FAILSHARE_TEST_VALUE", value)
    with pytest.raises(ImproperlyConfigured):
        helper("FAILSHARE_TEST_VALUE", None)


def test_the_admin_lives_at_the_path_admin_url_sets():
    script = (
        "from django.test import Client;"
        "print(Client().get('/back-office/', secure=True).status_code,"
        " Client().get('/admin/', secure=True).status_code)"
    )
    env = {**PRODUCTION_ENV, "ADMIN_URL": "back-office/", "ALLOWED_HOSTS": "testserver"}
    # The 404 page names hashed static files, which exist only after collectstatic: without it
    # this test would pass only when another one had collected them first.
    collected = run_manage("collectstatic", "--noinput", env=env)
    assert collected.returncode == 0, collected.stderr
    result = run_manage("shell", "--no-imports", "-c", script, env=env)
    assert result.stdout.split()[-2:] == ["302", "404"], result.stderr
