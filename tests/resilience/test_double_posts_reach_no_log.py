"""A story or a registration sent several times at the same moment (a double click, a retried
request) never fails inside PostgreSQL, so its server log holds no statement, and no story.

The site runs under gunicorn against a cluster of its own, whose log file is known: the test
reads what PostgreSQL itself wrote while the posts were answered.
"""

import threading
import time
from pathlib import Path

import pytest

from tests.resilience.fixtures import (
    USER_AGENT,
    app_env,  # noqa: F401 - fixture
    postgres,  # noqa: F401 - fixture
    run_in_app,
)
from tests.resilience.servers import AppServer, Visitor, postgres_bindir

pytestmark = pytest.mark.skipif(
    postgres_bindir() is None, reason="PostgreSQL server binaries not found"
)

AT_ONCE = 8
PASSWORD = "double-post-pass-42"
STORY = {
    "title": "The double-clicked portal 5be1c0",
    "sector": "local-government",
    "what_happened": "Marker text of the doubled story 7d3f9a2e, written once, sent eight times.",
    "what_went_wrong": "The button could be pressed twice while the page was loading.",
    "what_we_learned": "Expected conflicts should not be errors in the database.",
    "what_we_would_do_differently": "Send the form once and say so.",
    "tags": "double posts",
    "consent": "on",
    "website": "",
    "step": "submit",
}
SEED = f"""
from datetime import timedelta
from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.utils import timezone
from events.models import Event

starts = timezone.now() + timedelta(days=30)
Event.objects.create(
    title="Double workshop", slug="double-workshop", summary="A workshop.", venue="Leeds",
    starts_at=starts, ends_at=starts + timedelta(hours=3), capacity=5, status="published",
)
user = User.objects.create_user("double", "double@example.org", {PASSWORD!r})
EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
"""


@pytest.fixture(scope="module")
def server(app_env):  # noqa: F811 - fixture
    run_in_app(app_env, SEED)
    # More workers than usual, so the eight posts really are answered at the same moment.
    app = AppServer(app_env, workers=4)
    app.start()
    yield app
    app.stop()


def all_at_once(send) -> list:
    start = threading.Barrier(AT_ONCE)
    answers = [None] * AT_ONCE

    def one(index: int) -> None:
        start.wait()
        answers[index] = send()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(AT_ONCE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def log_written_during(postgres, send) -> str:  # noqa: F811 - fixture
    log = Path(postgres.dir) / "postgres.log"
    before = log.stat().st_size
    send()
    with log.open("rb") as written:
        written.seek(before)
        return written.read().decode(errors="replace")


def test_the_same_story_sent_eight_times_at_once_reaches_no_log(server, postgres):  # noqa: F811
    writer = Visitor(server.base_url, user_agent=USER_AGENT, forwarded_for="10.8.8.8")
    form = writer.form("/confessions/new/")
    data = {**STORY, **form.fields}
    answers: list = []
    logged = log_written_during(
        postgres,
        lambda: answers.extend(all_at_once(lambda: writer.post("/confessions/new/", data))),
    )
    assert [answer.status for answer in answers] == [200] * AT_ONCE
    with_code = [answer for answer in answers if 'id="receipt-code"' in answer.body]
    assert len(with_code) == 1, "the code is shown once"
    assert all("already been sent" in a.body for a in answers if a not in with_code)
    stored = postgres.query(
        "SELECT count(*) FROM confessions_confession WHERE title = %s", (STORY["title"],)
    )
    assert stored == [(1,)]
    assert "7d3f9a2e" not in logged and "5be1c0" not in logged
    assert "duplicate key" not in logged and "STATEMENT" not in logged


def test_the_same_registration_sent_eight_times_at_once_reaches_no_log(server, postgres):  # noqa: F811
    attendee = Visitor(server.base_url, user_agent=USER_AGENT, forwarded_for="10.8.8.9")
    attendee.sign_in("double@example.org", PASSWORD)
    path = "/events/double-workshop/register/"
    form = attendee.form(path)
    answers: list = []
    logged = log_written_during(
        postgres, lambda: answers.extend(all_at_once(lambda: attendee.post(path, form.fields)))
    )
    assert [answer.status for answer in answers] == [302] * AT_ONCE
    registrations = postgres.query(
        "SELECT count(*) FROM events_registration r JOIN auth_user u ON u.id = r.user_id "
        "WHERE u.email = 'double@example.org'"
    )
    assert registrations == [(1,)]
    assert "duplicate key" not in logged and "STATEMENT" not in logged
    assert "events_registration" not in logged


def test_story_and_receipt_posts_leave_no_line_in_the_access_log(server):
    writer = Visitor(server.base_url, user_agent=USER_AGENT, forwarded_for="10.8.8.10")
    form = writer.form("/confessions/new/")
    sent = writer.post("/confessions/new/", {**STORY, **form.fields, "title": "Access 9e1f"})
    code = sent.body.split('id="receipt-code">')[1].split("<")[0]
    receipt = writer.form("/confessions/receipt/")
    assert writer.post("/confessions/receipt/", {**receipt.fields, "code": code}).status == 200
    writer.get("/healthz")  # gunicorn writes each line as its request ends
    time.sleep(0.5)
    access = [line for line in server.logs().splitlines() if '"GET /' in line or '"POST /' in line]
    assert any('"GET /confessions/new/" 200' in line for line in access)
    assert any('"GET /confessions/receipt/" 200' in line for line in access)
    assert not [line for line in access if '"POST /confessions/' in line]
