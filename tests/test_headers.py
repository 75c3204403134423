"""Every type of page the site answers sends the security headers, whatever its status.

Pages are fetched as their visitors fetch them: anonymous pages twice (the second answer comes
from the page cache), forms posted with their tokens, the admin as a moderator or an organiser,
error pages from real failures. The 503 page during a real PostgreSQL outage is checked in
``tests/resilience/test_database_outage.py``.
"""

import re

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test import Client

from confessions.services import confession_approve
from events.models import Registration
from failshare import devdb
from tests.confessions.stories import NEW, RECEIPT, form_token, make_confession, story_data
from tests.events.conftest import PASSWORD, add_questions, make_event, make_user
from tests.people import give_second_factor
from tests.test_project import PRODUCTION_ENV, run_manage

pytestmark = pytest.mark.django_db

REQUIRED_CSP = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
    "base-uri 'none'",
    "object-src 'none'",
]
INLINE_CODE = [
    re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I),
    re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I),
    re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I),
    re.compile(r"javascript:", re.I),
]


def assert_security_headers(response) -> None:
    csp = response["Content-Security-Policy"]
    for directive in REQUIRED_CSP:
        assert directive in csp, (directive, csp)
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in response["Permissions-Policy"]
    if response.get("Content-Type", "").startswith("text/html") and response.content:
        body = response.content.decode()
        for pattern in INLINE_CODE:
            assert not pattern.search(body), (pattern.pattern, pattern.search(body).group(0))


@pytest.fixture
def site(settings):
    """One of everything: a published story and its topic, an event with questions, people."""
    settings.CONFESSION_MIN_SECONDS = 0
    # No passwords (hashing one takes a while): people are signed in with force_login.
    moderator = User.objects.create_user("moderator", "mod@example.org", is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    organiser = make_user("org@example.org", is_staff=True)
    organiser.groups.add(Group.objects.get(name="Organisers"))
    for staff in (moderator, organiser):
        give_second_factor(staff)  # the admin opens only with one
    story, code = make_confession(title="The dashboard that was always green", tags=["budgets"])
    story = confession_approve(confession=story, moderator=moderator)
    event = make_event(title="Learning from failure in Leeds", capacity=5)
    event.tags.set(["budgets"])
    add_questions(event)
    attendee = make_user("attendee@example.org")
    registered = make_event(title="Registered already")
    Registration.objects.create(event=registered, user=attendee, status="confirmed")
    return {
        "story": story,
        "code": code,
        "event": event,
        "registered": registered,
        "attendee": attendee,
        "moderator": moderator,
        "organiser": organiser,
    }


def as_user(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def story_post(client, step: str, **fields):
    return client.post(NEW, {**story_data(**fields), "step": step, "token": form_token(client)})


ANONYMOUS_PAGES = {
    "home": lambda s: "/",
    "privacy": lambda s: "/privacy/",
    "story list": lambda s: "/confessions/",
    "filtered list": lambda s: "/confessions/?sector=local-government&tag=budgets&sort=me-too",
    "search": lambda s: "/confessions/?q=dashboard",
    "deep page": lambda s: "/confessions/?page=999",
    "story": lambda s: s["story"].get_absolute_url(),
    "feed": lambda s: "/confessions/feed/",
    "tag": lambda s: "/tags/budgets/",
    "story form": lambda s: NEW,
    "receipt form": lambda s: RECEIPT,
    "events list": lambda s: "/events/",
    "past events": lambda s: "/events/past/",
    "event": lambda s: s["event"].get_absolute_url(),
    "calendar file": lambda s: f"/events/{s['event'].slug}/calendar.ics",
    "register, signed out": lambda s: f"/events/{s['event'].slug}/register/",
    "mine, signed out": lambda s: "/events/mine/",
    "healthz": lambda s: "/healthz",
    "sign in": lambda s: "/accounts/login/",
    "sign up": lambda s: "/accounts/signup/",
    "password reset": lambda s: "/accounts/password/reset/",
    "confirm email sent": lambda s: "/accounts/confirm-email/",
    "bad confirmation key": lambda s: "/accounts/confirm-email/not-a-key/",
    "admin sign in": lambda s: "/admin/login/",
    "admin, signed out": lambda s: "/admin/",
    "not found": lambda s: "/no-such-page/",
    "unknown story": lambda s: "/confessions/no-such-story/",
    "unknown tag": lambda s: "/tags/no-such-tag/",
}


def test_every_anonymous_page_sends_the_security_headers_fresh_and_cached(client, site):
    for name, page in ANONYMOUS_PAGES.items():
        path = page(site)
        first = client.get(path)
        assert first.status_code in (200, 302, 404), (name, first.status_code)
        again = client.get(path)
        assert again.status_code == first.status_code, name
        for response in (first, again, client.head(path)):
            try:
                assert_security_headers(response)
            except AssertionError as error:
                raise AssertionError(f"{name} ({path}): {error}") from error


def test_the_story_form_steps_send_the_security_headers(client, site):
    preview = story_post(client, "preview")
    assert "Check your story before you send it" in preview.content.decode()
    refused = story_post(client, "preview", title="")
    assert "error-summary" in refused.content.decode()
    spam = story_post(client, "submit", website="https://spam.example")
    received = story_post(client, "submit", title="A second story")
    assert 'id="receipt-code"' in received.content.decode()
    for response in (preview, refused, spam, received):
        assert_security_headers(response)


def test_the_receipt_pages_send_the_security_headers(client, site):
    status = client.post(RECEIPT, {"code": site["code"]})
    assert 'id="story-status"' in status.content.decode()
    wrong = client.post(RECEIPT, {"code": "ABCD-EFGH-JKMN-PQRS-TUVW"})
    for _ in range(10):
        too_many = client.post(RECEIPT, {"code": "ABCD-EFGH-JKMN-PQRS-TUVW"})
    assert too_many.status_code == 429
    for response in (status, wrong, too_many):
        assert_security_headers(response)


def test_me_too_redirect_and_wrong_method_send_the_security_headers(client, site):
    pressed = client.post(f"{site['story'].get_absolute_url()}me-too/")
    assert pressed.status_code == 302
    assert_security_headers(pressed)
    wrong_method = client.get(f"{site['story'].get_absolute_url()}me-too/")
    assert wrong_method.status_code == 405
    assert_security_headers(wrong_method)
    assert_security_headers(client.get(site["story"].get_absolute_url()))  # pressed: not cached


def test_an_attendees_pages_send_the_security_headers(site):
    client = as_user(site["attendee"])
    event, registered = site["event"], site["registered"]
    responses = [
        client.get(f"/events/{event.slug}/register/"),
        client.post(f"/events/{event.slug}/register/", {}),  # unanswered questions
        client.get("/events/mine/"),
        client.get(f"/events/{registered.slug}/cancel/"),
        client.get(f"/events/{registered.slug}/calendar.ics"),
        client.get(event.get_absolute_url()),
        client.get("/accounts/email/"),
        client.get("/accounts/password/set/"),  # made without a password
    ]
    assert [r.status_code for r in responses] == [200] * len(responses)
    cancelled = client.post(f"/events/{registered.slug}/cancel/")
    assert cancelled.status_code == 302
    signed_out = client.post("/accounts/logout/")
    assert signed_out.status_code == 302
    for response in [*responses, cancelled, signed_out]:
        assert_security_headers(response)


def test_a_registration_answered_in_full_redirects_with_the_security_headers(site):
    event = make_event(title="No questions")
    registered = as_user(site["attendee"]).post(f"/events/{event.slug}/register/")
    assert registered.status_code == 302
    assert_security_headers(registered)


def test_sign_in_and_sign_up_posts_send_the_security_headers(client, site):
    site["attendee"].set_password(PASSWORD)
    site["attendee"].save()
    signed_in = client.post(
        "/accounts/login/", {"login": "attendee@example.org", "password": PASSWORD}
    )
    assert signed_in.status_code == 302
    wrong = Client().post("/accounts/login/", {"login": "x@example.org", "password": "wrong"})
    signed_up = Client().post(
        "/accounts/signup/",
        {
            "email": "new@example.org",
            "password1": "a-good-long-pass-93",
            "password2": "a-good-long-pass-93",
        },
    )
    assert signed_up.status_code == 302
    for response in (signed_in, wrong, signed_up):
        assert_security_headers(response)


def test_the_moderators_admin_pages_send_the_security_headers(site):
    client = as_user(site["moderator"])
    story = site["story"]
    pages = [
        "/admin/",
        "/admin/confessions/",
        "/admin/confessions/confession/",
        "/admin/confessions/confession/?status__exact=pending&q=dashboard",
        f"/admin/confessions/confession/{story.pk}/change/",
        f"/admin/confessions/confession/{story.pk}/history/",
        "/admin/password_change/",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert_security_headers(response)


def test_the_organisers_admin_pages_send_the_security_headers(site):
    client = as_user(site["organiser"])
    event = site["event"]
    pages = [
        "/admin/",
        "/admin/events/event/",
        "/admin/events/event/add/",
        f"/admin/events/event/{event.pk}/change/",
        "/admin/events/registration/",
        f"/admin/events/registration/?event__id__exact={event.pk}",
        f"/admin/events/event/{event.pk}/attendees.csv",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert_security_headers(response)


def test_forbidden_pages_send_the_security_headers(site):
    # An organiser is staff but may not moderate: the admin answers the site's 403 page.
    forbidden = as_user(site["organiser"]).get("/admin/confessions/confession/")
    assert forbidden.status_code == 403
    assert "You cannot see this page" in forbidden.content.decode()
    csrf_client = Client(enforce_csrf_checks=True)
    csrf = csrf_client.post(RECEIPT, {"code": site["code"]})
    assert csrf.status_code == 403
    for response in (forbidden, csrf):
        assert_security_headers(response)


@pytest.mark.urls("tests.error_urls")
def test_the_500_and_503_pages_send_the_security_headers(client):
    client.raise_request_exception = False
    broken = client.get("/test-only/broken/")
    assert broken.status_code == 500
    assert "Sorry, there is a problem with the service" in broken.content.decode()
    unavailable = client.get("/test-only/database-unreachable/")
    assert unavailable.status_code == 503
    assert "briefly unavailable" in unavailable.content.decode()
    assert unavailable["Retry-After"] == "30"
    for response in (broken, unavailable):
        assert "Traceback" not in response.content.decode()
        assert_security_headers(response)


@pytest.mark.django_db
def test_production_adds_hsts_and_secure_cookies():
    script = (
        "from django.test import Client;"
        "r = Client().get('/accounts/login/', secure=True);"
        "print(r.status_code, r['Strict-Transport-Security'],"
        " 'secure' if r.cookies['csrftoken']['secure'] else 'plain');"
        "r = Client().get('/accounts/login/');"
        "print(r.status_code, r['Location'])"
    )
    # The test database: the pages need migrated tables, whatever state the default one is in.
    db = connection.settings_dict
    database_url = devdb.database_url(
        user=db["USER"], host=db["HOST"], port=db["PORT"], name=db["NAME"]
    )
    env = {**PRODUCTION_ENV, "ALLOWED_HOSTS": "testserver", "DATABASE_URL": database_url}
    # Production pages name hashed static files, which exist only after collectstatic.
    collected = run_manage("collectstatic", "--noinput", env=env)
    assert collected.returncode == 0, collected.stderr
    result = run_manage("shell", "--no-imports", "-c", script, env=env)
    lines = result.stdout.strip().splitlines()
    assert lines[0] == "200 max-age=31536000; includeSubDomains; preload secure", result.stderr
    assert lines[1] == "301 https://testserver/accounts/login/"
