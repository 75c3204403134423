"""A rush of one member's staff never uses more complimentary places than the tier gives."""

import threading
import time
from decimal import Decimal

import pytest
from django.db import connection

from events import services
from events.models import Membership, Payment, Registration
from tests.events.conftest import make_event, make_user
from tests.events.members import make_member, staff_email

pytestmark = pytest.mark.django_db(transaction=True)

RACE_WINDOW_SECONDS = 0.05


def rush(monkeypatch, registrations, *, lock: bool = True) -> list[Exception]:
    """Start every (event, user) registration at the same moment, each on its own connection."""
    locked_read = services._lock_membership
    # Without the lock, every registration reads the membership before any of them counts it,
    # so the race the lock prevents happens on every run rather than on most.
    all_read = threading.Barrier(len(registrations))

    def read_membership(membership_id):
        if lock:
            membership = locked_read(membership_id)
            time.sleep(RACE_WINDOW_SECONDS)
        else:
            membership = Membership.objects.select_related("tier").get(pk=membership_id)
            all_read.wait(timeout=30)
        return membership

    monkeypatch.setattr(services, "_lock_membership", read_membership)
    start = threading.Barrier(len(registrations))
    errors: list[Exception] = []

    def register(event, user):
        try:
            start.wait()
            services.registration_create(event=event, user=user)
        except Exception as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=pair) for pair in registrations]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def payments() -> list[str]:
    return sorted(Registration.objects.values_list("payment", flat=True))


def test_three_staff_of_a_two_place_member_at_once_two_use_places_one_is_invoiced(monkeypatch):
    event = make_event(price=Decimal("45"), capacity=20)
    member = make_member(places=2, year=event.membership_year)
    staff = [make_user(staff_email(member, name)) for name in ("ana", "bo", "cy")]

    assert rush(monkeypatch, [(event, person) for person in staff]) == []

    assert payments() == [Payment.COMPLIMENTARY] * 2 + [Payment.INVOICE]
    services.registration_cancel(
        registration=Registration.objects.filter(payment="complimentary")[0]
    )
    late = services.registration_create(event=event, user=make_user(staff_email(member, "dee")))
    assert late.payment == Payment.COMPLIMENTARY


def test_at_once_across_three_events_the_members_year_lock_still_holds(monkeypatch):
    events = [make_event(price=Decimal("45"), capacity=20) for _ in range(3)]
    member = make_member(places=2, year=events[0].membership_year)
    staff = [make_user(staff_email(member, name)) for name in ("ana", "bo", "cy")]

    assert rush(monkeypatch, list(zip(events, staff, strict=True))) == []

    assert payments() == [Payment.COMPLIMENTARY] * 2 + [Payment.INVOICE]


def test_without_the_members_year_lock_the_same_rush_overuses_so_the_test_above_can_fail(
    monkeypatch,
):
    events = [make_event(price=Decimal("45"), capacity=20) for _ in range(3)]
    member = make_member(places=2, year=events[0].membership_year)
    staff = [make_user(staff_email(member, name)) for name in ("ana", "bo", "cy")]

    assert rush(monkeypatch, list(zip(events, staff, strict=True)), lock=False) == []

    assert payments().count(Payment.COMPLIMENTARY) == 3
