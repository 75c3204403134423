"""Organisers hear once when their event is half full, 80% full and full."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import CapacityAlert, Event
from tests.events.conftest import make_event, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def organised(organiser):
    def make(**fields):
        event = make_event(**fields)
        event.organiser_staff.add(organiser)
        return event

    return make


def alerts(mailoutbox) -> list[str]:
    return [m.subject.split(" is ")[-1] for m in mailoutbox if " is " in m.subject]


def test_organisers_hear_at_half_eighty_per_cent_and_full_once_each(
    organised, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    event = organised(capacity=10)
    people = [make_user() for _ in range(12)]
    with django_capture_on_commit_callbacks(execute=True):
        registrations = [services.registration_create(event=event, user=p) for p in people]
        services.registration_cancel(registration=registrations[0])
        services.registration_cancel(registration=registrations[1])
        services.registration_cancel(registration=registrations[2])
        services.registration_create(event=event, user=make_user())

    alerted = [m for m in mailoutbox if m.to == [organiser.email]]
    assert [m.subject.split(" is ")[-1] for m in alerted] == ["half full", "80% full", "full"]
    assert "10 of 10 places are confirmed." in alerted[-1].body
    assert list(CapacityAlert.objects.values_list("level", "sent")) == [
        (50, True),
        (80, True),
        (100, True),
    ]


def test_levels_reached_at_once_send_one_email_for_the_highest(
    organised, mailoutbox, django_capture_on_commit_callbacks
):
    event = organised(capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_create(event=event, user=make_user())
    assert alerts(mailoutbox) == ["full"]
    assert CapacityAlert.objects.filter(event=event).count() == 3


def test_fewer_places_from_the_organiser_can_make_it_full(
    organised, mailoutbox, django_capture_on_commit_callbacks
):
    event = organised(capacity=10)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(4):
            services.registration_create(event=event, user=make_user())
        event = Event.objects.get(pk=event.pk)
        event.capacity = 4
        services.event_save(event=event)
    assert alerts(mailoutbox) == ["full"]


def test_an_organisers_save_keeps_the_levels_recorded_meanwhile(
    organised, mailoutbox, django_capture_on_commit_callbacks
):
    event = organised(capacity=4)
    form_copy = Event.objects.get(pk=event.pk)  # read before places were taken
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            services.registration_create(event=event, user=make_user())
        form_copy.summary = "Updated."
        services.event_save(event=form_copy)
        services.registration_create(event=event, user=make_user())
    assert alerts(mailoutbox) == ["half full"]


def test_an_event_without_organisers_to_alert_records_the_levels_and_emails_nobody(
    mailoutbox, django_capture_on_commit_callbacks
):
    event = make_event(capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_create(event=event, user=make_user())
    assert len(mailoutbox) == 1  # the attendee's confirmation only
    assert CapacityAlert.objects.filter(event=event, level=100).exists()


def test_unlimited_events_never_alert(organised, mailoutbox, django_capture_on_commit_callbacks):
    event = organised(capacity=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_create(event=event, user=make_user())
    assert alerts(mailoutbox) == []


def test_the_admin_index_has_a_line_a_day_for_events_that_filled(organised, organiser_client):
    today = organised(capacity=1, title="Leeds workshop")
    services.registration_create(event=today, user=make_user())
    earlier = organised(capacity=1, title="Belfast workshop")
    services.registration_create(event=earlier, user=make_user())
    CapacityAlert.objects.filter(event=earlier).update(day=timezone.localdate() - timedelta(days=1))
    page = organiser_client.get(reverse("admin:index")).content.decode()
    assert "Events that filled" in page
    assert page.index("Leeds workshop") < page.index("Belfast workshop")


def test_organisers_are_chosen_among_staff_on_the_event_form(organiser_client, organiser):
    event = make_event()
    make_user("not.staff@example.org")
    form = organiser_client.get(reverse("admin:events_event_change", args=[event.pk]))
    page = form.content.decode()
    assert "Organisers to alert" in page
    assert organiser.username in page or organiser.email in page
    assert "not.staff" not in page
