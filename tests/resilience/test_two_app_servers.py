"""Two app servers behind one load balancer share everything that matters.

Two gunicorn servers on different loopback ports against one PostgreSQL database and one Redis
server, as production runs them (README, "Running in production"): a story approved through one
is on the other's next page; a rate limit counts requests to both; a session made on one is
good on the other; a registration rush spread over both books no more places than there are.
"""

import re
import secrets
import threading
import time
import urllib.parse

import psycopg
import pyotp
import pytest
from django.conf import settings

from failshare import devdb
from tests.people import authenticator_code
from tests.resilience.fixtures import run_in_app
from tests.resilience.redis_server import ThrowawayRedis
from tests.resilience.servers import AppServer, Visitor, manage, production_env

STAFF_EMAIL, STAFF_PASSWORD = "moderator@example.org", "a-long-moderator-password-8"
STAFF_TOTP_SECRET = pyotp.random_base32()
PASSWORD = "a-long-attendee-password-7"
PLACES = 3
RUSH = 10  # people registering at once, alternately through each server
EVENT = "/events/rush-workshop/"

SEED = f"""
from datetime import timedelta
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.utils import timezone
from events.models import Event

staff = User.objects.create_user(
    "mod", {STAFF_EMAIL!r}, {STAFF_PASSWORD!r}, is_staff=True, is_superuser=True
)
EmailAddress.objects.create(user=staff, email={STAFF_EMAIL!r}, verified=True, primary=True)
TOTP.activate(staff, {STAFF_TOTP_SECRET!r})  # a superuser opens the admin with a second factor
starts = timezone.now() + timedelta(days=30)
Event.objects.create(
    title="Rush workshop", slug="rush-workshop", summary="A workshop.", venue="Leeds",
    starts_at=starts, ends_at=starts + timedelta(hours=3), capacity={PLACES}, status="published",
)
password = make_password({PASSWORD!r})  # hashed once for everybody: hashing is slow on purpose
users = User.objects.bulk_create(
    User(username=f"rush{{i}}", email=f"rush{{i}}@example.org", password=password)
    for i in range({RUSH})
)
EmailAddress.objects.bulk_create(
    EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users
)
"""


def _server_url(database: str) -> str:
    db = settings.DATABASES["default"]
    return devdb.database_url(
        user=db["USER"] or "postgres",
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        name=database,
    )


@pytest.fixture(scope="module")
def redis_server():
    if not ThrowawayRedis.available():
        pytest.skip("redis-server is not installed")
    server = ThrowawayRedis()
    server.start()
    yield server
    server.destroy()


@pytest.fixture(scope="module")
def env(redis_server):
    name = f"failshare_two_servers_{secrets.token_hex(4)}"
    admin_url = _server_url("postgres").replace("postgres://", "postgresql://")
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    environment = production_env(
        _server_url(name), REDIS_URL=redis_server.url, CONFESSION_MIN_SECONDS="0"
    )
    manage(environment, "migrate", "--noinput")
    manage(environment, "collectstatic", "--noinput")
    run_in_app(environment, SEED)
    yield environment
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def servers(env):
    started = [AppServer(env, workers=1), AppServer(env, workers=1)]
    for server in started:
        server.start()
    yield started
    for server in started:
        server.stop()


def pending_story(env, title: str) -> int:
    script = (
        "import secrets;"
        "from confessions.models import Confession, new_slug;"
        f"c = Confession.objects.create(slug=new_slug({title!r}), title={title!r},"
        " sector='health', what_happened='The recycling contract went wrong.',"
        " what_went_wrong='x', what_we_learned='Ask first.', what_we_would_do_differently='y',"
        " status='pending', receipt_hash=secrets.token_hex(32));"
        "print(c.pk)"
    )
    return int(run_in_app(env, script).strip())


def signed_in_staff(server) -> Visitor:
    visitor = Visitor(server.base_url, user_agent="StaffBrowser/1.0")
    visitor.sign_in(STAFF_EMAIL, STAFF_PASSWORD)
    fields = visitor.form("/accounts/2fa/authenticate/").fields
    code = authenticator_code(STAFF_TOTP_SECRET)
    answer = visitor.post("/accounts/2fa/authenticate/", {**fields, "code": code})
    assert answer.status == 302, answer.body[:300]
    return visitor


def test_the_servers_are_two_processes_on_different_ports(servers):
    ports = {urllib.parse.urlsplit(server.base_url).port for server in servers}
    assert len(ports) == 2
    assert servers[0].process.pid != servers[1].process.pid


def test_a_story_approved_through_one_server_is_on_the_other_s_next_page(env, servers):
    first, second = servers
    pk = pending_story(env, "Two servers recycling mixup")
    # Both servers have the list in their page cache before the approval.
    for server in servers:
        assert "Two servers recycling mixup" not in server.get("/confessions/")[1]
    staff = signed_in_staff(first)
    changelist = "/admin/confessions/confession/"
    token = staff.form(changelist).fields["csrfmiddlewaretoken"]
    answer = staff.post(
        changelist,
        {"csrfmiddlewaretoken": token, "action": "approve_selected", "_selected_action": pk},
    )
    assert answer.status == 302, answer.body[:300]
    status, body = second.get("/confessions/")
    assert status == 200
    assert "Two servers recycling mixup" in body
    assert "Two servers recycling mixup" in second.get("/confessions/?q=contract")[1]


def test_a_rate_limit_counts_requests_to_both_servers(servers):
    """Ten wrong receipt codes, five through each server, and the eleventh is refused wherever
    it arrives: the count is in the one Redis both use."""
    agent = f"RateProbe/{secrets.token_hex(3)}"
    for server in servers:
        visitor = Visitor(server.base_url, user_agent=agent)
        for _ in range(5):
            fields = visitor.form("/confessions/receipt/").fields
            answer = visitor.post(
                "/confessions/receipt/", {**fields, "code": "ABCD-EFGH-JKMN-PQRS-TUVW"}
            )
            assert answer.status == 200
    for server in servers:
        visitor = Visitor(server.base_url, user_agent=agent)
        fields = visitor.form("/confessions/receipt/").fields
        answer = visitor.post(
            "/confessions/receipt/", {**fields, "code": "ABCD-EFGH-JKMN-PQRS-TUVW"}
        )
        assert answer.status == 429


def test_a_session_made_on_one_server_works_on_the_other(servers):
    first, second = servers
    visitor = Visitor(first.base_url, user_agent="SessionProbe/1.0")
    visitor.sign_in("rush0@example.org", PASSWORD)
    assert visitor.get("/events/mine/").status == 200
    visitor.base_url = second.base_url  # the same browser, now sent to the other server
    answer = visitor.get("/events/mine/")
    assert answer.status == 200, (answer.status, answer.get("location"))
    anonymous = Visitor(second.base_url, user_agent="SessionProbe/1.0")
    assert anonymous.get("/events/mine/").status == 302  # to the sign-in page


def test_a_registration_rush_spread_over_both_servers_never_overbooks(env, servers):
    attendees = []
    for number in range(RUSH):
        server = servers[number % 2]
        visitor = Visitor(server.base_url, user_agent=f"RushProbe/{number}")
        visitor.sign_in(f"rush{number}@example.org", PASSWORD)
        fields = visitor.form(EVENT + "register/").fields
        assert "csrfmiddlewaretoken" in fields
        attendees.append((visitor, fields))
    answers = [None] * RUSH
    go = threading.Barrier(RUSH)

    def register(number: int) -> None:
        visitor, fields = attendees[number]
        go.wait()
        answers[number] = visitor.post(EVENT + "register/", fields)

    threads = [threading.Thread(target=register, args=(n,)) for n in range(RUSH)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert time.monotonic() - started < 60
    assert all(answer is not None and answer.status == 302 for answer in answers), [
        (answer.status, answer.body[:200]) for answer in answers if answer
    ]
    counts = run_in_app(
        env,
        "from events.models import Registration;"
        "rows = Registration.objects.filter(event__slug='rush-workshop');"
        "print(rows.filter(status='confirmed').count(), rows.filter(status='waiting').count())",
    ).split()
    confirmed, waiting = int(counts[0]), int(counts[1])
    assert confirmed == PLACES
    assert waiting == RUSH - PLACES
    # Each was told on their next page what they got: a place or the waiting list.
    told = [visitor.get(EVENT).body for visitor, _ in attendees]
    assert sum("You have a place" in body for body in told) == PLACES
    assert sum(bool(re.search("waiting list", body)) for body in told) >= RUSH - PLACES
