"""No overbooking, ever: registrations arriving at the same moment from separate connections."""

import threading
import time

import pytest
from django.db import IntegrityError, connection, transaction

from events import services
from events.models import Event, Registration
from tests.events.conftest import make_event, make_user

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # One rush at a time across the suite's processes: each holds tens of connections.
    pytest.mark.xdist_group("connection-rushes"),
]

PEOPLE = 50
PLACES = 10
# Connections open at once, well under the server's limit with the other tests running beside:
# still three times the places, so without the lock the rush oversells.
CONNECTIONS = 30
# Held after reading the event, in both runs, so that without the lock every thread surely
# counts before any other commits; with it, each waits its turn.
RACE_WINDOW_SECONDS = 0.05


def rush(monkeypatch, *, lock: bool, users, event: Event) -> tuple[list[str], list[Exception]]:
    """Release one thread per person at once; return the order they got past the event read."""
    locked_read = services._lock_event
    arrivals: list[str] = []

    def read_event(event_id):
        event = locked_read(event_id) if lock else Event.objects.get(pk=event_id)
        arrivals.append(threading.current_thread().name)
        time.sleep(RACE_WINDOW_SECONDS)
        return event

    monkeypatch.setattr(services, "_lock_event", read_event)
    start = threading.Barrier(len(users))
    connections = threading.BoundedSemaphore(CONNECTIONS)
    errors: list[Exception] = []

    def register(user):
        try:
            start.wait()
            with connections:
                services.registration_create(event=event, user=user)
                connection.close()
        except Exception as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=[user], name=user.email) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return arrivals, errors


def test_it_confirms_exactly_the_places_there_are_and_queues_the_rest_in_arrival_order(
    monkeypatch, mailoutbox
):
    event = make_event(capacity=PLACES)
    users = [make_user() for _ in range(PEOPLE)]

    arrivals, errors = rush(monkeypatch, lock=True, users=users, event=event)

    assert errors == []
    registrations = list(Registration.objects.filter(event=event).select_related("user"))
    assert len(registrations) == PEOPLE
    assert [r.status for r in registrations] == ["confirmed"] * PLACES + ["waiting"] * (
        PEOPLE - PLACES
    )
    # The line is the order in which people got hold of the event, first come first served.
    assert [r.user.email for r in registrations] == arrivals
    waiting = Registration.objects.filter(event=event).waiting().with_waiting_position()
    assert [r.waiting_position for r in waiting] == list(range(1, PEOPLE - PLACES + 1))
    assert sum("Your place at" in message.subject for message in mailoutbox) == PLACES
    assert sum("waiting list" in message.subject for message in mailoutbox) == PEOPLE - PLACES


def test_without_the_lock_the_same_rush_oversells_so_the_test_above_can_fail(monkeypatch):
    event = make_event(capacity=PLACES)
    users = [make_user() for _ in range(PEOPLE)]

    _, errors = rush(monkeypatch, lock=False, users=users, event=event)

    assert errors == []
    assert Registration.objects.filter(event=event).confirmed().count() > PLACES


def test_a_double_submit_at_the_same_moment_makes_one_registration(monkeypatch):
    event = make_event(capacity=PLACES)
    person = make_user()
    _, errors = rush(monkeypatch, lock=True, users=[person, person], event=event)
    assert Registration.objects.filter(event=event, user=person).count() == 1
    assert [type(error) for error in errors] == [services.AlreadyRegistered]


def test_the_database_itself_allows_one_live_registration_per_person_per_event():
    event = make_event()
    person = make_user()
    Registration.objects.create(event=event, user=person, status="cancelled")
    Registration.objects.create(event=event, user=person, status="cancelled")
    Registration.objects.create(event=event, user=person, status="waiting")
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(event=event, user=person, status="confirmed")
    assert Registration.objects.filter(event=event, user=person).live().count() == 1


def test_without_the_lock_the_unique_constraint_still_stops_a_double_submit(monkeypatch):
    event = make_event(capacity=PLACES)
    person = make_user()
    _, errors = rush(monkeypatch, lock=False, users=[person, person], event=event)
    assert Registration.objects.filter(event=event, user=person).count() == 1
    assert [type(error) for error in errors] == [services.AlreadyRegistered]
