"""A rush at one event while the reminders run and an organiser adds places: first come, first
served, every email once, every capacity alert once."""

import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from events import services
from events.models import CapacityAlert, Event, Registration
from tests.events.conftest import make_event, make_user
from tests.people import restore_staff_groups

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # One rush at a time across the suite's processes: each holds tens of connections.
    pytest.mark.xdist_group("connection-rushes"),
]


@pytest.fixture(autouse=True)
def _staff_groups(transactional_db):
    restore_staff_groups()


# Released at once; PostgreSQL here allows 100 connections, shared with other work, so at most
# CONNECTIONS of them hold one at a time (the rest queue for a connection, then for the lock).
PEOPLE = 200
CONNECTIONS = 40
PLACES = 20
MORE_PLACES = 25
RACE_WINDOW_SECONDS = 0.02


def test_a_rush_with_reminders_and_more_places_confirms_in_arrival_order_and_emails_once(
    monkeypatch, mailoutbox, organiser
):
    event = make_event(capacity=PLACES, starts_at=timezone.now() + timedelta(days=3))
    event.organiser_staff.add(organiser)
    early = [make_user() for _ in range(5)]
    for person in early:  # already confirmed: the reminder run has someone to remind
        services.registration_create(event=event, user=person)
    mailoutbox.clear()
    users = [make_user() for _ in range(PEOPLE)]

    locked_read = services._lock_event
    arrivals: list[str] = []

    def read_event(event_id):
        locked = locked_read(event_id)
        arrivals.append(threading.current_thread().name)
        time.sleep(RACE_WINDOW_SECONDS)
        return locked

    monkeypatch.setattr(services, "_lock_event", read_event)
    start = threading.Barrier(PEOPLE + 2)
    connections = threading.BoundedSemaphore(CONNECTIONS)
    errors: list[Exception] = []

    def run(work):
        try:
            start.wait()
            with connections:
                work()
                connection.close()
        except Exception as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connection.close()

    def more_places():
        # In the middle of the rush: once the places are taken and enough people wait.
        line = Registration.objects.filter(event=event)
        while line.waiting().count() < MORE_PLACES - PLACES:
            time.sleep(RACE_WINDOW_SECONDS)
        changed = Event.objects.get(pk=event.pk)
        changed.capacity = MORE_PLACES
        services.event_save(event=changed)

    work = {
        user.email: (lambda user=user: services.registration_create(event=event, user=user))
        for user in users
    }
    work["organiser"] = more_places
    work["reminders"] = services.reminders_queue
    threads = [threading.Thread(target=run, args=[job], name=name) for name, job in work.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    registrations = list(Registration.objects.filter(event=event).select_related("user"))
    confirmed = [r for r in registrations if r.status == "confirmed"]
    assert len(confirmed) == MORE_PLACES
    # Arrival order: the first 25 to get hold of the event have the places.
    in_line = [name for name in arrivals if "@" in name]
    assert [r.user.email for r in registrations] == [p.email for p in early] + in_line
    assert [r.user.email for r in confirmed] == [p.email for p in early] + in_line[
        : MORE_PLACES - len(early)
    ]

    sent = Counter((tuple(m.to), m.subject) for m in mailoutbox)
    assert max(sent.values()) == 1, "someone got the same email twice"
    promoted = [m.to[0] for m in mailoutbox if "A place has come up" in m.subject]
    waited = {m.to[0] for m in mailoutbox if "waiting list" in m.subject}
    assert len(promoted) == len(set(promoted)) == MORE_PLACES - PLACES
    assert set(promoted) <= waited
    alerts = [m.subject for m in mailoutbox if m.to == [organiser.email]]
    assert sorted(s.split(" is ")[-1] for s in alerts) == ["80% full", "full", "half full"]
    assert CapacityAlert.objects.filter(event=event).count() == 3
    reminded = [m.to[0] for m in mailoutbox if "Can you still come" in m.subject]
    assert len(reminded) == len(set(reminded))
    assert {p.email for p in early} <= set(reminded)
