"""A load run: people post stories and register while PostgreSQL restarts twice under them.

A driver of a few threads sends stories (each a real form: CSRF token, one-time key) and
registrations (signed-in people, one event with fewer places than people) to the site under
gunicorn, retrying the same form after any failure as a person would, while the database is
stopped and started in fast, then immediate mode. Afterwards every answer of success is in the
database, nothing is stored twice or half, the event is not overbooked, and errors stopped within
10 seconds of each return of the database. Bounded: loopback only, at most MAX_STORIES stories,
REGISTRANTS registrations, and RUN_SECONDS of driving.
"""

import hashlib
import itertools
import re
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

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

pytestmark = pytest.mark.skipif(
    postgres_bindir() is None, reason="PostgreSQL server binaries not found"
)

MAX_STORIES = 1500
REGISTRANTS = 20
PLACES = 8
STORY_THREADS = 4
REGISTRATION_THREADS = 3
# Registrations are spread over the restarts, a few seconds apart for each thread.
REGISTRATION_PAUSE = 2
RUN_SECONDS = 60
OUTAGE_SECONDS = 2
RECOVERY_LIMIT = 10
RETRY_PAUSE = 0.1
PASSWORD = "load-run-pass-42"
EVENT = "/events/load-workshop/"

SEED = f"""
from datetime import timedelta
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.utils import timezone
from events.models import Event

starts = timezone.now() + timedelta(days=30)
Event.objects.create(
    title="Load workshop", slug="load-workshop", summary="A workshop.", venue="Leeds",
    starts_at=starts, ends_at=starts + timedelta(hours=3), capacity={PLACES}, status="published",
)
password = make_password({PASSWORD!r})  # hashed once for everybody: hashing is slow on purpose
users = User.objects.bulk_create(
    User(username=f"load{{i}}", email=f"load{{i}}@example.org", password=password)
    for i in range({REGISTRANTS})
)
EmailAddress.objects.bulk_create(
    EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users
)
"""


@dataclass(frozen=True)
class Sent:
    kind: str  # "story", "story again", "registration", "registration again", "form"
    started: float
    finished: float
    status: int

    @property
    def failed(self) -> bool:
        return self.status not in (200, 302)


class Run:
    """What the driver sent and what it was told, shared by its threads."""

    def __init__(self, deadline: float):
        self.deadline = deadline
        self.stop = threading.Event()  # no new stories once set
        self.lock = threading.Lock()
        self.sent: list[Sent] = []
        self.stories: dict[str, str] = {}  # title -> receipt code, for each story told "sent"
        self.registered: set[str] = set()  # emails told "registered"
        self.unexpected: list[str] = []

    def send(self, kind: str, request) -> object:
        started = time.monotonic()
        answer = request()
        with self.lock:
            self.sent.append(Sent(kind, started, time.monotonic(), answer.status))
            if answer.status not in (200, 302, 503):
                self.unexpected.append(f"{kind}: {answer.status} {answer.body[:300]}")
        return answer

    def until_answered(self, kind: str, request, succeeded) -> object | None:
        """Send until the answer is a success (a person retrying), or the run is over."""
        while time.monotonic() < self.deadline:
            answer = self.send(kind, request)
            if succeeded(answer):
                return answer
            time.sleep(RETRY_PAUSE)
        return None


def story_fields(number: int) -> dict:
    return {
        "title": f"Load story number {number}",
        "sector": "digital",
        "organisation_size": "",
        "what_happened": f"Story {number}: the deploy went out while the database restarted.",
        "what_went_wrong": "Nobody had tried it.",
        "what_we_learned": "Try it.",
        "what_we_would_do_differently": "Try it sooner.",
        "impact": "",
        "tags": "load run, restarts",
        "consent": "on",
        "website": "",
        "step": "submit",
    }


def receipt_code(answer) -> str | None:
    found = re.search(r'id="receipt-code">([^<]+)<', answer.body)
    return found.group(1) if found else None


def share_stories(app, run: Run, numbers) -> None:  # noqa: F811 - fixture
    for number in numbers:
        if run.stop.is_set() or time.monotonic() >= run.deadline:
            return
        # Every story from its own address, as from many people (the limit is 5 an hour each).
        writer = Visitor(
            app.base_url,
            user_agent=USER_AGENT,
            forwarded_for=f"10.{number // 250}.{number % 250}.1",
        )
        form = run.until_answered(
            "form", lambda w=writer: w.form("/confessions/new/"), lambda a: "token" in a.fields
        )
        if form is None:
            return
        data = {**story_fields(number), **form.fields}
        answer = run.until_answered(
            "story",
            lambda w=writer, d=data: w.post("/confessions/new/", d),
            # A post stored just before its answer was lost is told, when sent again, that the
            # story was already sent (the code is shown once): stored all the same.
            lambda a: a.status == 200,
        )
        if answer is None:
            return
        code = receipt_code(answer)
        if code is None and "This story has already been sent" not in answer.body:
            with run.lock:
                run.unexpected.append(f"a story got no receipt: {answer.body[:300]}")
            return
        with run.lock:
            run.stories[data["title"]] = code
        if number % 3 == 0:  # a double submit: the same page, nothing stored again
            again = run.until_answered(
                "story again",
                lambda w=writer, d=data: w.post("/confessions/new/", d),
                lambda a: a.status == 200,
            )
            already = again is not None and "This story has already been sent" in again.body
            if again is not None and (not already or receipt_code(again) is not None):
                with run.lock:
                    run.unexpected.append(f"a double submit got another page: {again.body[:300]}")


def register_people(app, run: Run, people: list[tuple[str, Visitor]]) -> None:  # noqa: F811
    for email, attendee in people:
        time.sleep(REGISTRATION_PAUSE)
        form = run.until_answered(
            "form",
            lambda a=attendee: a.form(EVENT + "register/"),
            lambda a: a.status == 200 and "csrfmiddlewaretoken" in a.fields,
        )
        if form is None:
            return
        answer = run.until_answered(
            "registration",
            lambda a=attendee, f=form.fields: a.post(EVENT + "register/", f),
            lambda a: a.status == 302,
        )
        if answer is None:
            return
        if answer["Location"] != EVENT:
            with run.lock:
                run.unexpected.append(f"registration went to {answer['Location']}")
            continue
        with run.lock:
            run.registered.add(email)
        again = run.send(
            "registration again", lambda a=attendee, f=form.fields: a.post(EVENT + "register/", f)
        )
        if again.status == 302 and again["Location"] != EVENT:
            with run.lock:
                run.unexpected.append(f"a double registration went to {again['Location']}")


def restart(postgres, mode: str) -> tuple[float, float]:  # noqa: F811 - fixture
    """Stop PostgreSQL, keep it away a moment, start it: (when it went, when it was back)."""
    went = time.monotonic()
    postgres.stop(mode)
    time.sleep(OUTAGE_SECONDS)
    postgres.start()  # returns once the server accepts connections
    return went, time.monotonic()


def test_a_load_run_through_two_restarts_loses_duplicates_and_overbooks_nothing(
    postgres,  # noqa: F811 - fixture
    app,  # noqa: F811 - fixture
    app_env,  # noqa: F811 - fixture
):
    run_in_app(app_env, SEED)
    people = [
        (
            f"load{i}@example.org",
            Visitor(app.base_url, user_agent=USER_AGENT, forwarded_for=f"10.200.{i}.1"),
        )
        for i in range(REGISTRANTS)
    ]
    with ThreadPoolExecutor(max_workers=4) as pool:  # checking a password is slow on purpose
        list(pool.map(lambda person: person[1].sign_in(person[0], PASSWORD), people))

    started = time.monotonic()
    run = Run(deadline=started + RUN_SECONDS)
    numbers = itertools.count()
    numbers_lock = threading.Lock()

    def next_numbers():
        while True:
            with numbers_lock:
                number = next(numbers)
            if number >= MAX_STORIES:
                return
            yield number

    threads = [
        threading.Thread(target=share_stories, args=(app, run, next_numbers()))
        for _ in range(STORY_THREADS)
    ] + [
        threading.Thread(target=register_people, args=(app, run, people[i::REGISTRATION_THREADS]))
        for i in range(REGISTRATION_THREADS)
    ]
    for thread in threads:
        thread.start()
    outages = []
    try:
        time.sleep(1.5)
        outages.append(restart(postgres, "fast"))
        time.sleep(3)
        outages.append(restart(postgres, "immediate"))
        # Keep sending past the limit, to see that errors have stopped by then.
        time.sleep(RECOVERY_LIMIT + 1)
    finally:
        run.stop.set()
        for thread in threads:
            thread.join(timeout=RUN_SECONDS + 30)
    wait_until_healthy(app, RECOVERY_LIMIT)
    elapsed = time.monotonic() - started

    assert not run.unexpected, run.unexpected[:5]
    assert all(not thread.is_alive() for thread in threads)

    # Errors came only from the outages, and stopped within 10 seconds of each return.
    failures = [s for s in run.sent if s.failed]
    recoveries = []
    for went, back in outages:
        # A request in flight when the database went down fails with it.
        felt = [s for s in failures if s.finished >= went and s.started <= back + RUN_SECONDS]
        next_outage = min([w for w, _ in outages if w > went], default=float("inf"))
        felt = [s for s in felt if s.finished < next_outage]
        assert felt, "the outage must have been felt"
        recoveries.append(max(0.0, max(s.finished for s in felt) - back))
        late = [s for s in felt if s.started > back + RECOVERY_LIMIT]
        assert not late, late[:5]
    assert all(recovery < RECOVERY_LIMIT for recovery in recoveries), recoveries
    first_writes = [
        min(
            s.finished for s in run.sent if s.kind == "story" and not s.failed and s.started >= back
        )
        - back
        for _, back in outages
    ]
    first_outage = outages[0][0]
    assert not [s for s in failures if s.finished < first_outage], "errors before any outage"

    # Every story the site said it received is stored, whole, once; nothing else is stored.
    rows = postgres.query(
        "SELECT c.title, c.receipt_hash, c.submission_key,"
        " (SELECT count(*) FROM confessions_taggedstory i WHERE i.content_object_id = c.id)"
        " FROM confessions_confession c"
    )
    titles = Counter(title for title, *_ in rows)
    assert max(titles.values()) == 1, [t for t, n in titles.items() if n > 1]
    assert len({key for _, _, key, _ in rows}) == len(rows)
    stored = {title: receipt for title, receipt, _, _ in rows}
    for title, code in run.stories.items():
        if code is None:  # told "already sent": stored, its code shown to nobody
            assert title in stored
            continue
        assert stored.get(title) == hashlib.sha256(normalise_code(code).encode()).hexdigest()
    assert set(stored) <= {story_fields(n)["title"] for n in range(MAX_STORIES)}
    assert all(tags == 2 for *_, tags in rows), "a story stored without its topics"
    assert len(run.stories) >= 50, "the run must have sent a fair number of stories"

    # Every registration the site confirmed is there once; the places are not overbooked.
    registrations = postgres.query(
        "SELECT u.email, r.status FROM events_registration r JOIN auth_user u ON u.id = r.user_id"
    )
    per_person = Counter(email for email, _ in registrations)
    assert max(per_person.values()) == 1
    assert run.registered <= set(per_person)
    assert len(run.registered) == REGISTRANTS
    statuses = Counter(status for _, status in registrations)
    assert statuses["confirmed"] == PLACES
    assert statuses["waiting"] == REGISTRANTS - PLACES

    print(
        f"\nload run: {len(run.sent)} requests in {elapsed:.1f}s, "
        f"{len(run.stories)} stories and {len(run.registered)} registrations confirmed, "
        f"{len(failures)} answered 503 during the outages "
        f"({', '.join(f'{back - went:.1f}s' for went, back in outages)} from stop to ready); "
        f"errors stopped {', '.join(f'{r:.2f}s' for r in recoveries)} and the first story "
        f"was stored {', '.join(f'{w:.2f}s' for w in first_writes)} after the database "
        "returned (fast, immediate)"
    )
