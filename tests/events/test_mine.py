from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import Answer, EventStatus, Registration
from tests.events.conftest import add_questions, fill, make_event

pytestmark = pytest.mark.django_db


def test_it_lists_each_registration_with_status_position_answers_and_cancel(
    attendee_client, attendee
):
    confirmed_event = make_event(title="Cardiff workshop")
    questions = add_questions(confirmed_event)
    registration = Registration.objects.create(
        event=confirmed_event, user=attendee, status="confirmed"
    )
    Answer.objects.create(registration=registration, question=questions["sector"], value="Health")
    Answer.objects.create(
        registration=registration, question=questions["topics"], value="Digital\nProcurement"
    )
    full_event = make_event(title="Leeds workshop", capacity=1)
    fill(full_event, confirmed=1, waiting=2)
    Registration.objects.create(event=full_event, user=attendee, status="waiting")

    body = attendee_client.get("/events/mine/").content.decode()

    assert "Cardiff workshop" in body and "Place confirmed" in body
    assert "Which sector do you work in?" in body and "Health" in body
    assert "Digital, Procurement" in body
    assert "Leeds workshop" in body and "Number 3 on the waiting list" in body
    assert f'href="/events/{confirmed_event.slug}/cancel/"' in body
    assert f'href="/events/{full_event.slug}/cancel/"' in body


def test_past_cancelled_and_called_off_registrations_are_listed_apart_without_cancel(
    attendee_client, attendee
):
    past = make_event(title="Bristol last spring", starts_at=timezone.now() - timedelta(days=90))
    called_off = make_event(title="Called off", status=EventStatus.CANCELLED)
    withdrawn = make_event(title="Changed my mind")
    Registration.objects.create(event=past, user=attendee, status="confirmed")
    Registration.objects.create(event=called_off, user=attendee, status="confirmed")
    Registration.objects.create(event=withdrawn, user=attendee, status="cancelled")

    body = attendee_client.get("/events/mine/").content.decode()

    assert "You have no upcoming registrations" in body
    earlier = body.split("Earlier and cancelled")[1]
    assert "Bristol last spring" in earlier and "The event has been cancelled" in earlier
    assert "Changed my mind" in earlier and "Cancelled" in earlier
    assert "/cancel/" not in body


def test_it_shows_only_my_own_registrations(attendee_client, event):
    fill(event, confirmed=2)
    assert event.title not in attendee_client.get("/events/mine/").content.decode()


def test_it_runs_a_fixed_number_of_queries(
    attendee_client, attendee, django_assert_max_num_queries
):
    for _ in range(4):
        event = make_event()
        add_questions(event)
        registration = Registration.objects.create(event=event, user=attendee, status="waiting")
        for question in event.questions.all():
            Answer.objects.create(registration=registration, question=question, value="x")
    with django_assert_max_num_queries(4):
        attendee_client.get("/events/mine/")


def test_people_not_signed_in_are_sent_to_sign_in(client):
    response = client.get("/events/mine/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/events/mine/"


def test_it_refuses_writes(attendee_client):
    assert attendee_client.post("/events/mine/").status_code == 405
