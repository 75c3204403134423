"""PostgreSQL stops under the running site (fast and immediate shutdowns) and comes back.

Pages answer a plain 503 while it is away, the site recovers by itself, and a story or a
registration posted during the outage is refused whole, then stored exactly once when the same
form is sent again (the story's one-time key, the one-live-registration rule).
"""

import hashlib
import re
import time

import pytest

from confessions.receipts import normalise_code
from tests.resilience.fixtures import (
    USER_AGENT,
    app,  # noqa: F401 - fixture
    app_env,  # noqa: F401 - fixture
    postgres,  # noqa: F401 - fixture
    run_in_app,
    wait_until_healthy,
)
from tests.resilience.servers import Visitor, postgres_bindir
from tests.test_headers import assert_security_headers

pytestmark = pytest.mark.skipif(
    postgres_bindir() is None, reason="PostgreSQL server binaries not found"
)

MODES = ["fast", "immediate"]
PASSWORD = "outage-pass-42"
STORY_TEXT = "The outage story: our rota system lost every shift swap made on a Friday."
SEED = f"""
from datetime import timedelta
from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.utils import timezone
from confessions.models import Confession
from events.models import Event
from taggit.models import Tag

starts = timezone.now() + timedelta(days=30)
Event.objects.create(
    title="Outage workshop", slug="outage-workshop", summary="A workshop.", venue="Leeds",
    starts_at=starts, ends_at=starts + timedelta(hours=3), capacity=5, status="published",
)
for mode in {[*MODES, "pages"]!r}:
    user = User.objects.create_user("person-" + mode, mode + "@example.org", {PASSWORD!r})
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
Tag.objects.create(name="budgets", slug="budgets")
"""


@pytest.fixture(scope="module", autouse=True)
def seeded(app_env):  # noqa: F811 - fixture
    run_in_app(app_env, SEED)


def visitor(app, number: int = 1) -> Visitor:  # noqa: F811 - fixture
    return Visitor(app.base_url, user_agent=USER_AGENT, forwarded_for=f"198.51.100.{number}")


def story_form(mode: str) -> dict:
    return {
        "title": f"Outage story ({mode})",
        "sector": "health",
        "organisation_size": "",
        "what_happened": STORY_TEXT,
        "what_went_wrong": "The database went away while people were typing.",
        "what_we_learned": "Keep what people type in their own browser.",
        "what_we_would_do_differently": "Test the outage before it happens.",
        "impact": "",
        "tags": f"outage {mode}, resilience",
        "consent": "on",
        "website": "",
        "step": "submit",
    }


def stored_stories(postgres, mode: str) -> list[tuple]:  # noqa: F811 - fixture
    return postgres.query(
        "SELECT id, receipt_hash FROM confessions_confession WHERE title = %s",
        (f"Outage story ({mode})",),
    )


def stored_tags(postgres, mode: str) -> int:  # noqa: F811 - fixture
    return postgres.query(
        "SELECT count(*) FROM confessions_taggedstory i JOIN taggit_tag t ON t.id = i.tag_id "
        "WHERE t.name = %s",
        (f"outage {mode}",),
    )[0][0]


def assert_briefly_unavailable(answer) -> None:
    assert answer.status == 503, (answer.status, answer.body[:300])
    assert "briefly unavailable" in answer.body
    assert "Traceback" not in answer.body
    assert answer["Retry-After"] == "30"
    assert_security_headers(answer)


@pytest.mark.parametrize("mode", MODES)
def test_it_says_briefly_unavailable_during_an_outage_and_recovers_without_restart(
    postgres,  # noqa: F811 - fixture
    app,  # noqa: F811 - fixture
    mode,
):
    assert app.get("/healthz") == (200, "ok\n")
    assert app.get("/")[0] == 200
    workers = app.worker_pids()
    reader = visitor(app)
    attendee = visitor(app, number=2)
    attendee.sign_in("pages@example.org", PASSWORD)
    assert attendee.get("/events/mine/").status == 200

    postgres.stop(mode)
    try:
        status, body = app.get("/healthz")
        assert (status, body) == (503, "database unavailable\n")
        # Pages that need the database; pages already cached may still be served.
        for path in [
            "/tags/budgets/",
            f"/events/outage-workshop/?{mode}",
            f"/confessions/?q={mode}",
        ]:
            assert_briefly_unavailable(reader.get(path))
        # A signed-in person's every page reads the session, kept in the database.
        assert_briefly_unavailable(attendee.get("/events/mine/"))
        assert_briefly_unavailable(attendee.get("/privacy/"))
    finally:
        postgres.start()

    assert wait_until_healthy(app, 10) < 10
    assert app.get("/events/outage-workshop/")[0] == 200
    assert attendee.get("/events/mine/").status == 200
    assert app.process.poll() is None, "the app server must not have restarted"
    assert app.worker_pids() == workers, "the same workers recovered by themselves"


@pytest.mark.parametrize("mode", MODES)
def test_a_story_sent_during_an_outage_is_refused_whole_and_stored_once_when_sent_again(
    postgres,  # noqa: F811 - fixture
    app,  # noqa: F811 - fixture
    mode,
):
    writer = visitor(app, number=10 + MODES.index(mode))
    form = writer.form("/confessions/new/")
    assert form.status == 200 and "token" in form.fields and "csrfmiddlewaretoken" in form.fields
    sent = {**story_form(mode), **form.fields}

    postgres.stop(mode)
    try:
        assert_briefly_unavailable(writer.post("/confessions/new/", sent))
    finally:
        postgres.start()
    assert stored_stories(postgres, mode) == []
    assert stored_tags(postgres, mode) == 0

    wait_until_healthy(app, 10)
    retried = writer.post("/confessions/new/", sent)
    assert retried.status == 200, retried.body[:500]
    code = re.search(r'id="receipt-code">([^<]+)<', retried.body).group(1)
    sent_twice = writer.post("/confessions/new/", sent)
    assert sent_twice.status == 200
    assert "This story has already been sent" in sent_twice.body
    assert code not in sent_twice.body  # shown once

    [(_, stored_hash)] = stored_stories(postgres, mode)
    assert stored_hash == hashlib.sha256(normalise_code(code).encode()).hexdigest()
    assert stored_tags(postgres, mode) == 1


@pytest.mark.parametrize("mode", MODES)
def test_a_registration_sent_during_an_outage_is_refused_and_made_once_when_sent_again(
    postgres,  # noqa: F811 - fixture
    app,  # noqa: F811 - fixture
    mode,
):
    attendee = visitor(app, number=20 + MODES.index(mode))
    attendee.sign_in(f"{mode}@example.org", PASSWORD)
    form = attendee.form("/events/outage-workshop/register/")
    assert form.status == 200 and "csrfmiddlewaretoken" in form.fields
    fields = form.fields

    def registrations() -> list[tuple]:
        return postgres.query(
            "SELECT r.status FROM events_registration r JOIN auth_user u ON u.id = r.user_id "
            "WHERE u.email = %s",
            (f"{mode}@example.org",),
        )

    postgres.stop(mode)
    try:
        assert_briefly_unavailable(attendee.post("/events/outage-workshop/register/", fields))
    finally:
        postgres.start()
    assert registrations() == []

    wait_until_healthy(app, 10)
    for _ in range(2):  # the retry, and a double submit
        answer = attendee.post("/events/outage-workshop/register/", fields)
        assert answer.status == 302
        assert answer["Location"] == "/events/outage-workshop/"
    assert registrations() == [("confirmed",)]


def test_the_logs_hold_no_client_address_agent_or_story_text(
    postgres,  # noqa: F811 - fixture
    app,  # noqa: F811 - fixture
):
    writer = visitor(app, number=99)
    fields = writer.form("/confessions/new/").fields
    postgres.stop("fast")
    try:
        assert writer.post("/confessions/new/", {**story_form("logs"), **fields}).status == 503
    finally:
        postgres.start()
    wait_until_healthy(app, 10)
    time.sleep(0.5)  # let the access log reach the file

    logs = app.logs()
    access = [line for line in logs.splitlines() if re.search(r'"(GET|POST|HEAD) /', line)]
    assert any('"GET /confessions/new/" 200' in line for line in access)
    # A story's post leaves no access line at all: its time would date the story.
    assert not any('"POST /confessions/new/"' in line for line in access)
    assert any(
        '"level": "ERROR"' in line and "OperationalError" in line for line in logs.splitlines()
    )
    for line in access:
        assert "127.0.0.1" not in line and "198.51.100." not in line, line
    assert USER_AGENT not in logs
    assert "agent-7c1e5b" not in logs
    assert "198.51.100." not in logs
    assert STORY_TEXT not in logs
    assert "rota system" not in logs
