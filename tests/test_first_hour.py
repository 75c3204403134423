"""A developer's first hour: the port of the development server, a superuser who signs in at
once, demo people with documented passwords (development only), plain logs in development, and
a database message that tells a refused login from a server that is down."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from failshare import demo

ROOT = Path(__file__).resolve().parent.parent


def test_make_run_takes_a_port():
    out = subprocess.run(
        ["make", "-n", "run", "PORT=8001"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert "runserver 127.0.0.1:8001" in out


@pytest.mark.django_db
def test_create_admin_makes_a_superuser_who_signs_in_without_a_confirmation_link(client):
    call_command(
        "create_admin",
        "--email",
        "Ada@Example.org",
        "--password",
        "a-long-admin-pass-31",
        stdout=io.StringIO(),
    )
    user = User.objects.get(email="ada@example.org")
    assert user.is_superuser and user.is_staff
    assert EmailAddress.objects.get(user=user).verified
    response = client.post(
        "/accounts/login/", {"login": "ada@example.org", "password": "a-long-admin-pass-31"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("email", "password", "message"),
    [
        ("not-an-address", "a-long-admin-pass-31", "not an email address"),
        ("ada@example.org", "password", "too common"),
    ],
)
def test_create_admin_refuses_bad_input(email, password, message):
    with pytest.raises(CommandError, match=message):
        call_command("create_admin", "--email", email, "--password", password)
    assert not User.objects.exists()


@pytest.mark.django_db
def test_create_admin_refuses_an_address_already_in_use():
    call_command("create_admin", "--email", "a@example.org", "--password", "a-long-pass-31x")
    with pytest.raises(CommandError, match="exists already"):
        call_command("create_admin", "--email", "a@example.org", "--password", "a-long-pass-31x")


@pytest.mark.django_db
def test_demo_people_are_made_in_development_and_sign_in_with_the_documented_password(
    client, settings
):
    settings.DEBUG = True
    demo.seed_people()
    demo.seed_people()  # safe to run twice
    assert set(User.objects.values_list("email", flat=True)) == set(demo.DEMO_PEOPLE)
    assert (
        User.objects.get(email="moderator@demo.example").groups.filter(name="Moderators").exists()
    )
    assert User.objects.get(email="organiser@demo.example").is_staff
    assert not User.objects.get(email="attendee@demo.example").is_staff
    client.post(
        "/accounts/login/", {"login": "attendee@demo.example", "password": demo.DEMO_PASSWORD}
    )
    assert "_auth_user_id" in client.session


def test_the_readme_documents_the_demo_password():
    assert demo.DEMO_PASSWORD in (ROOT / "README.md").read_text()


@pytest.mark.django_db
def test_demo_people_are_not_made_without_debug(settings):
    settings.DEBUG = False
    assert demo.seed_people() == ["Demo people: not made, DEBUG is off."]
    assert not User.objects.exists()


@pytest.mark.django_db
def test_the_demo_password_opens_nothing_without_debug(client, settings):
    settings.DEBUG = True
    demo.seed_people()
    settings.DEBUG = False
    client.post(
        "/accounts/login/", {"login": "attendee@demo.example", "password": demo.DEMO_PASSWORD}
    )
    assert "_auth_user_id" not in client.session


def log_format(debug: str) -> str:
    env = {**os.environ, "DEBUG": debug, "SECRET_KEY": "x" * 50}
    env.pop("LOG_FORMAT", None)
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.LOGGING['handlers']['console']['formatter'])"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout.strip()


def test_development_logs_plain_lines_and_production_json():
    assert log_format("true") == "plain"
    assert log_format("false") == "json"


def ensure_database(url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DEBUG": "true", "DATABASE_URL": url}
    return subprocess.run(
        [sys.executable, "manage.py", "ensure_database"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_database_message_tells_a_refused_login_from_a_server_that_is_down():
    refused = ensure_database("postgres://no_such_role_h@127.0.0.1:5432/failshare_nobody")
    assert refused.returncode == 1
    assert "refused the login of user no_such_role_h" in refused.stderr
    assert "not answering" not in refused.stderr
    down = ensure_database("postgres://postgres@127.0.0.1:1/failshare_nobody")
    assert down.returncode == 1
    assert "PostgreSQL is not answering at 127.0.0.1:1" in down.stderr
