"""A lock held on the events table for 20 s: registrations get a clear 503 within the lock
timeout (and can be sent again), while readers and /healthz keep answering."""

import threading
import time

import psycopg
import pytest

from tests.resilience.fixtures import (
    USER_AGENT,
    app,  # noqa: F401 - fixture
    app_env,  # noqa: F401 - fixture
    postgres,  # noqa: F401 - fixture
    run_in_app,
)
from tests.resilience.servers import Visitor, postgres_bindir

pytestmark = pytest.mark.skipif(
    postgres_bindir() is None, reason="PostgreSQL server binaries not found"
)

PASSWORD = "lock-pass-42"
HELD_SECONDS = 20
LOCK_TIMEOUT = 3  # REGISTRATION_LOCK_TIMEOUT_MS's default, in seconds
SEED = f"""
from datetime import timedelta
from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.utils import timezone
from events.models import Event
from tests.confessions.factories import make_story

starts = timezone.now() + timedelta(days=30)
Event.objects.create(
    title="Lock workshop", slug="lock-workshop", summary="A workshop.", venue="Leeds",
    starts_at=starts, ends_at=starts + timedelta(hours=3), capacity=5, status="published",
)
user = User.objects.create_user("locked", "locked@example.org", {PASSWORD!r})
EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
make_story(title="A story read while the events table is locked")
"""


def test_it_answers_registrations_with_503_in_seconds_while_readers_carry_on(
    postgres,  # noqa: F811 - fixture
    app,  # noqa: F811 - fixture
    app_env,  # noqa: F811 - fixture
):
    run_in_app(app_env, SEED)
    attendee = Visitor(app.base_url, user_agent=USER_AGENT, forwarded_for="198.51.100.7")
    attendee.sign_in("locked@example.org", PASSWORD)
    form = attendee.form("/events/lock-workshop/register/")
    assert form.status == 200

    reads: list[tuple[str, int, float]] = []
    holding = threading.Event()

    def read(path: str) -> None:
        reader = Visitor(app.base_url, user_agent=USER_AGENT)
        while holding.is_set():
            started = time.monotonic()
            status = reader.get(path).status
            reads.append((path, status, time.monotonic() - started))

    registrations = []
    with psycopg.connect(postgres.url.replace("postgres://", "postgresql://")) as locker:
        locker.execute("LOCK TABLE events_event")  # ACCESS EXCLUSIVE, held until rollback
        holding.set()
        readers = [
            threading.Thread(target=read, args=(path,)) for path in ("/confessions/", "/healthz")
        ]
        for thread in readers:
            thread.start()
        deadline = time.monotonic() + HELD_SECONDS
        while time.monotonic() < deadline - LOCK_TIMEOUT - 3:
            started = time.monotonic()
            answer = attendee.post("/events/lock-workshop/register/", form.fields)
            registrations.append((answer.status, time.monotonic() - started, answer.body))
        time.sleep(max(0.0, deadline - time.monotonic()))
        holding.clear()
        for thread in readers:
            thread.join()
        locker.rollback()

    assert registrations, "no registration was tried while the lock was held"
    for status, seconds, body in registrations:
        assert status == 503, (status, body[:300])
        assert "briefly unavailable" in body and "Traceback" not in body
        assert seconds < LOCK_TIMEOUT + 3, f"a registration waited {seconds:.1f}s for the lock"
    assert reads and all(status == 200 for _, status, _ in reads), reads
    slowest = max(seconds for *_, seconds in reads)
    assert slowest < 3, f"a reader waited {slowest:.1f}s"
    assert {path for path, *_ in reads} == {"/confessions/", "/healthz"}

    # Sent again once the lock is gone, the registration is made, once.
    for _ in range(2):
        assert attendee.post("/events/lock-workshop/register/", form.fields).status in (200, 302)
    assert postgres.query(
        "SELECT count(*) FROM events_registration r JOIN auth_user u ON u.id = r.user_id "
        "WHERE u.email = 'locked@example.org'"
    ) == [(1,)]
    slowest_registration = max(seconds for _, seconds, _ in registrations)
    print(
        f"\nlock held {HELD_SECONDS}s: {len(registrations)} registrations, all 503, slowest "
        f"{slowest_registration:.2f}s; {len(reads)} reads all 200, slowest {slowest:.2f}s"
    )
