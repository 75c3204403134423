"""What the site's logs would hold after people's main journeys, read from the real handler.

Every logger is turned up to DEBUG and the configured console handler (its scrubbing filter and
JSON formatter) writes to a buffer while people share, check and withdraw stories, say "this
happened to us too", sign up and in, register and cancel, trip rate limits, ask for missing pages
and hit a programming error and an unreachable database. No line may hold the client's address
(direct or forwarded), user agent, the story's text or the receipt code.
"""

import io
import json
import logging
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from confessions.services import confession_approve
from events.models import Registration
from tests.confessions.stories import NEW, RECEIPT, form_token, make_confession, story_data
from tests.error_urls import DISTINCTIVE_FAILURE
from tests.events.conftest import add_questions, make_event, make_user

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.91"
FORWARDED = "198.51.100.23"
AGENT = "LogProbe/3.1 (distinctive-agent-a9f2)"
BROWSER = {"REMOTE_ADDR": ADDRESS, "HTTP_USER_AGENT": AGENT, "HTTP_X_FORWARDED_FOR": FORWARDED}
STORY_TEXT = "Our lift-sharing scheme matched volunteers with people who had moved away."
ANSWER = "Ask me about the spreadsheet that ran the rota"
SECRETS = [ADDRESS, FORWARDED, AGENT, "distinctive-agent", STORY_TEXT, "lift-sharing", ANSWER]


@pytest.fixture
def logs():
    """The console handler's output while the test runs, every logger at DEBUG."""
    console = next(h for h in logging.getLogger("django").handlers if h.name == "console")
    buffer = io.StringIO()
    previous_stream = console.setStream(buffer)
    previous_handler_level = console.level
    console.setLevel(logging.DEBUG)
    loggers = [logging.getLogger()] + [
        logger
        for logger in logging.root.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    levels = {logger: logger.level for logger in loggers}
    # Loggers that keep their records to themselves and away from our handler get it too.
    detached = [
        logger
        for logger in loggers
        if not logger.propagate and console not in logger.handlers and logger is not logging.root
    ]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
    for logger in detached:
        logger.addHandler(console)
    try:
        yield buffer
    finally:
        for logger in detached:
            logger.removeHandler(console)
        for logger, level in levels.items():
            logger.setLevel(level)
        console.setLevel(previous_handler_level)
        console.setStream(previous_stream)


def share_a_story(client) -> str:
    client.get(NEW, **BROWSER)
    token = form_token(client)
    fields = {**story_data(what_happened=STORY_TEXT), "token": token}
    client.post(NEW, {**fields, "step": "preview"}, **BROWSER)
    client.post(NEW, {**fields, "step": "edit"}, **BROWSER)
    response = client.post(NEW, {**fields, "step": "submit"}, **BROWSER)
    code = re.search(r'id="receipt-code">([^<]+)<', response.content.decode()).group(1)
    client.post(NEW, {**fields, "step": "submit"}, **BROWSER)  # sent twice
    client.post(RECEIPT, {"code": code}, **BROWSER)
    client.post(RECEIPT, {"code": code, "action": "withdraw", "confirm": "on"}, **BROWSER)
    return code


def test_the_main_journeys_log_no_address_agent_story_text_or_code(
    client, logs, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.CONFESSION_MIN_SECONDS = 0
    settings.MODERATOR_EMAILS = ["mods@example.org"]
    moderator = make_user("mod@example.org", is_staff=True)
    story, _ = make_confession(title="The dashboard that was always green")
    story = confession_approve(confession=story, moderator=moderator)
    event = make_event(title="Learning from failure in Leeds", capacity=1)
    questions = add_questions(event)
    make_user("sam@example.org", password="a-good-long-pass-93")
    make_confession(title="A story waiting for a moderator")
    call_command("notify_moderators", stdout=io.StringIO())  # the scheduled digest

    with django_capture_on_commit_callbacks(execute=True):
        code = share_a_story(client)
        for _ in range(11):  # past the limit of wrong receipt codes
            client.post(RECEIPT, {"code": "ABCD-EFGH-JKMN-PQRS-TUVW"}, **BROWSER)
        client.post(f"{story.get_absolute_url()}me-too/", **BROWSER)
        client.get(story.get_absolute_url(), **BROWSER)
        client.get("/no-such-page/", **BROWSER)

        signing_up = Client()
        signing_up.post(
            "/accounts/signup/",
            {"email": "new@example.org", "password1": "a-good-long-pass-93", "password2": "x"},
            **BROWSER,
        )
        signing_up.post(
            "/accounts/signup/",
            {
                "email": "new@example.org",
                "password1": "a-good-long-pass-93",
                "password2": "a-good-long-pass-93",
            },
            **BROWSER,
        )
        attendee = Client()
        attendee.post(
            "/accounts/login/", {"login": "sam@example.org", "password": "wrong"}, **BROWSER
        )
        attendee.post(
            "/accounts/login/",
            {"login": "sam@example.org", "password": "a-good-long-pass-93"},
            **BROWSER,
        )
        answers = {
            f"question_{questions['sector'].pk}": "Health",
            f"question_{questions['hopes'].pk}": ANSWER,
        }
        attendee.post(f"/events/{event.slug}/register/", {}, **BROWSER)  # questions unanswered
        attendee.post(f"/events/{event.slug}/register/", answers, **BROWSER)
        attendee.get("/events/mine/", **BROWSER)
        attendee.post(f"/events/{event.slug}/cancel/", **BROWSER)

    assert Registration.objects.get().status == "cancelled"
    subjects = " ".join(message.subject for message in mailoutbox)
    assert "Confirm Your Email" in subjects and "Stories are waiting" in subjects
    logged = logs.getvalue()
    lines = [json.loads(line) for line in logged.splitlines()]
    messages = " ".join(line["message"] for line in lines)
    # The capture does reach the request log and the background work.
    assert "Not Found: /no-such-page/" in messages
    assert "Too Many Requests: /confessions/receipt/" in messages
    assert any(line["logger"].startswith("django") and line["level"] == "DEBUG" for line in lines)
    for secret in [*SECRETS, code, code.replace("-", "")]:
        assert secret not in logged, secret


@pytest.mark.urls("tests.error_urls")
def test_an_error_report_holds_nothing_of_the_request(client, logs, mailoutbox):
    client.raise_request_exception = False
    response = client.post(
        "/test-only/broken/?q=" + STORY_TEXT,
        {"what_happened": STORY_TEXT},
        HTTP_COOKIE=f"sessionid={AGENT}",
        HTTP_REFERER=f"https://example.org/{AGENT}",
        **BROWSER,
    )
    assert response.status_code == 500
    unreachable = client.get("/test-only/database-unreachable/", **BROWSER)
    assert unreachable.status_code == 503

    lines = [json.loads(line) for line in logs.getvalue().splitlines()]
    [error, unavailable] = [line for line in lines if line["level"] == "ERROR"]
    assert error["level"] == "ERROR"
    assert error["message"] == "Internal Server Error: /test-only/broken/"
    assert f"RuntimeError: {DISTINCTIVE_FAILURE}" in error["exception"]
    assert unavailable["message"] == "Service Unavailable: /test-only/database-unreachable/"
    assert "OperationalError" in unavailable["exception"]
    for secret in SECRETS:
        assert secret not in logs.getvalue(), secret
    assert mailoutbox == []  # no error report by email, which would carry the request


def test_no_handler_sends_error_reports_with_the_request():
    configured = settings.LOGGING
    assert {h["class"] for h in configured["handlers"].values()} == {"logging.StreamHandler"}
    assert all(h["filters"] == ["scrub"] for h in configured["handlers"].values())
    for name in ("django", "django.request", "django.server"):
        assert configured["loggers"][name]["handlers"] == ["console"]
        assert configured["loggers"][name]["propagate"] is False
    assert not settings.ADMINS


def test_the_access_log_format_has_no_address_agent_referrer_or_query():
    from gunicorn.glogging import Logger  # noqa: F401 - the format's atoms are gunicorn's

    namespace: dict = {}
    exec((settings.BASE_DIR / "gunicorn.conf.py").read_text(), namespace)  # noqa: S102
    access_format = namespace["access_log_format"]
    atoms = set(re.findall(r"%\((\{[^}]*\}[ioe]|[a-zA-Z]+)\)s", access_format))
    assert atoms <= {"t", "m", "U", "s", "B", "M", "L", "D", "T", "H"}, atoms
