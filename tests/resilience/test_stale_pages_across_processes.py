"""Without Redis, several server processes show every public change on the very next request.

Two gunicorn servers (one with two workers) against one PostgreSQL and no REDIS_URL, as a site
would run before it has a Redis: each kind of change, made through a different door (the
moderation services, the admin's bulk action, taggit's own tag admin, a management command),
shows on every following request to every process.
"""

import re
import secrets
import time
import urllib.parse

import psycopg
import pyotp
import pytest
from django.conf import settings

from failshare import devdb
from tests.people import authenticator_code
from tests.resilience.fixtures import run_in_app
from tests.resilience.servers import AppServer, Visitor, manage, production_env

REQUESTS_PER_PROCESS = 12
STAFF_EMAIL, STAFF_PASSWORD = "moderator@example.org", "a-long-moderator-password-8"
STAFF_TOTP_SECRET = pyotp.random_base32()
_used_codes: set[str] = set()


def unused_code() -> str:
    """The authenticator's current code, waiting for the next one if it was used already
    (a code signs in once)."""
    while (code := authenticator_code(STAFF_TOTP_SECRET)) in _used_codes:
        time.sleep(1)
    _used_codes.add(code)
    return code


def _server_url(database: str) -> str:
    db = settings.DATABASES["default"]
    return devdb.database_url(
        user=db["USER"] or "postgres",
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        name=database,
    )


@pytest.fixture(scope="module")
def env():
    name = f"failshare_processes_{secrets.token_hex(4)}"
    admin_url = _server_url("postgres").replace("postgres://", "postgresql://")
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    environment = production_env(_server_url(name), REDIS_URL="", CONFESSION_MIN_SECONDS="0")
    manage(environment, "migrate", "--noinput")
    manage(environment, "collectstatic", "--noinput")
    run_in_app(
        environment,
        "from django.contrib.auth.models import Group, User;"
        "from allauth.account.models import EmailAddress;"
        f"u = User.objects.create_user('mod', '{STAFF_EMAIL}', '{STAFF_PASSWORD}', is_staff=True,"
        " is_superuser=True);"
        f"EmailAddress.objects.create(user=u, email='{STAFF_EMAIL}', verified=True, primary=True);"
        # A superuser opens the admin only with a second factor (failshare/staff.py).
        "from allauth.mfa.totp.internal.auth import TOTP;"
        f"TOTP.activate(u, {STAFF_TOTP_SECRET!r})",
    )
    yield environment
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def servers(env):
    started = [AppServer(env, workers=2), AppServer(env, workers=1)]
    for server in started:
        server.start()
    yield started
    for server in started:
        server.stop()


def story(env, title: str, *, status: str = "approved", tags: str = "budgets") -> int:
    script = (
        "import datetime, secrets;"
        "from confessions.models import Confession, new_slug;"
        f"c = Confession.objects.create(slug=new_slug({title!r}), title={title!r},"
        " sector='health', what_happened='The recycling contract went wrong.',"
        " what_went_wrong='x', what_we_learned='Ask first.', what_we_would_do_differently='y',"
        f" status={status!r}, receipt_hash=secrets.token_hex(32),"
        f" published_month=datetime.date(2026, 11, 1) if {status!r} == 'approved' else None);"
        f"c.tags.add(*{tags!r}.split(','));"
        "print(c.pk)"
    )
    return int(run_in_app(env, script).strip())


def every_answer(servers, path: str) -> list[str]:
    """The page as each process serves it, many times over (so both workers answer too)."""
    bodies = []
    for server in servers:
        for _ in range(REQUESTS_PER_PROCESS):
            status, body = server.get(path)
            assert status == 200, (path, status)
            bodies.append(body)
    return bodies


def warm(servers, *paths: str) -> None:
    for path in paths:
        every_answer(servers, path)


def signed_in_staff(server) -> Visitor:
    visitor = Visitor(server.base_url, user_agent="StaffBrowser/1.0")
    visitor.sign_in(STAFF_EMAIL, STAFF_PASSWORD)
    fields = visitor.form("/accounts/2fa/authenticate/").fields
    answer = visitor.post("/accounts/2fa/authenticate/", {**fields, "code": unused_code()})
    assert answer.status == 302, answer.body[:300]
    return visitor


def test_it_shows_a_story_approved_by_a_moderator_in_the_list_and_search_of_every_process(
    env, servers
):
    pk = story(env, "Pending recycling mixup", status="pending")
    warm(servers, "/confessions/", "/confessions/?q=contract")
    run_in_app(
        env,
        "from django.contrib.auth.models import User;"
        "from confessions.models import Confession;"
        "from confessions.services import confession_approve;"
        f"confession_approve(confession=Confession.objects.get(pk={pk}),"
        " moderator=User.objects.get(username='mod'))",
    )
    for path in ("/confessions/", "/confessions/?q=contract"):
        assert all("Pending recycling mixup" in body for body in every_answer(servers, path))


def test_it_shows_a_bulk_admin_action_on_every_process(env, servers):
    pk = story(env, "Bulk approved recycling", status="pending")
    warm(servers, "/confessions/")
    staff = signed_in_staff(servers[0])
    changelist = "/admin/confessions/confession/"
    token = staff.form(changelist).fields["csrfmiddlewaretoken"]
    answer = staff.post(
        changelist,
        {"csrfmiddlewaretoken": token, "action": "approve_selected", "_selected_action": pk},
    )
    assert answer.status == 302, answer.body[:300]
    assert all("Bulk approved recycling" in body for body in every_answer(servers, "/confessions/"))


def test_it_shows_a_tag_renamed_in_taggit_s_own_admin_on_every_process(env, servers):
    story(env, "Tagged recycling story", tags="waste-contracts")
    warm(servers, "/confessions/")
    tag_id = int(
        run_in_app(
            env, "from taggit.models import Tag; print(Tag.objects.get(name='waste-contracts').pk)"
        )
    )
    staff = signed_in_staff(servers[1])
    change = f"/admin/taggit/tag/{tag_id}/change/"
    form = staff.form(change)
    answer = staff.post(
        change,
        {
            "csrfmiddlewaretoken": form.fields["csrfmiddlewaretoken"],
            "name": "rubbish contracts",
            "slug": "rubbish-contracts",
        },
    )
    assert answer.status == 302, re.sub(r"\s+", " ", answer.body)[:500]
    for body in every_answer(servers, "/confessions/"):
        assert "rubbish contracts" in body
        assert "waste-contracts" not in body


def test_it_shows_a_change_from_a_management_command_on_every_process(env, servers):
    pk = story(env, "Before the command recycling")
    warm(servers, "/confessions/", "/")
    manage(
        env,
        "shell",
        "-c",
        "from confessions.models import Confession;"
        f"Confession.objects.filter(pk={pk}).update(title='After the command recycling')",
    )
    for path in ("/confessions/", "/"):
        for body in every_answer(servers, path):
            assert "After the command recycling" in body
            assert "Before the command" not in body


def test_it_shows_an_event_changed_on_every_process(env, servers):
    run_in_app(
        env,
        "import datetime; from django.utils import timezone; from events.models import Event;"
        "starts = timezone.now() + datetime.timedelta(days=20);"
        "Event.objects.create(title='Cardiff workshop', slug='cardiff-workshop', summary='s',"
        " starts_at=starts, ends_at=starts + datetime.timedelta(hours=3), venue='Hall',"
        " status='published', capacity=10)",
    )
    warm(servers, "/events/", "/events/cardiff-workshop/")
    run_in_app(
        env,
        "from events.models import Event;"
        "Event.objects.filter(slug='cardiff-workshop').update(title='Swansea workshop')",
    )
    for path in ("/events/", "/events/cardiff-workshop/"):
        assert all("Swansea workshop" in body for body in every_answer(servers, path))


def test_it_counts_a_rate_limit_across_every_process(env, servers):
    """Rate limits are shared through the database cache: five wrong codes on each of two
    processes make ten, and the eleventh is refused wherever it arrives."""
    visitor_agent = "RateProbe/1.0"
    for server in servers:
        visitor = Visitor(server.base_url, user_agent=visitor_agent)
        for _ in range(5):
            fields = visitor.form("/confessions/receipt/").fields
            visitor.post(
                "/confessions/receipt/",
                {**fields, "code": "ABCD-EFGH-JKMN-PQRS-TUVW"},
            )
    visitor = Visitor(servers[0].base_url, user_agent=visitor_agent)
    fields = visitor.form("/confessions/receipt/").fields
    answer = visitor.post("/confessions/receipt/", {**fields, "code": "ABCD-EFGH-JKMN-PQRS-TUVW"})
    assert answer.status == 429


def test_the_servers_really_ran_several_processes(servers):
    assert len(servers[0].worker_pids()) == 2
    assert (
        urllib.parse.urlsplit(servers[0].base_url).port
        != urllib.parse.urlsplit(servers[1].base_url).port
    )
