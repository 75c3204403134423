from datetime import timedelta

import pytest
from django.utils import timezone

from events import services
from events.models import EventStatus, Registration
from tests.events.conftest import fill, make_event

pytestmark = pytest.mark.django_db


def url(event) -> str:
    return f"/events/{event.slug}/cancel/"


@pytest.fixture
def full_event(attendee):
    event = make_event(capacity=2)
    Registration.objects.create(event=event, user=attendee, status="confirmed")
    fill(event, confirmed=1, waiting=3)
    return event


def test_it_asks_for_confirmation_first(attendee_client, attendee, full_event):
    response = attendee_client.get(url(full_event))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Yes, cancel my registration" in body
    assert 'method="post"' in body
    assert Registration.objects.get(user=attendee).status == "confirmed"


def test_cancelling_frees_the_place_for_the_first_person_waiting_and_emails_them(
    attendee_client, attendee, full_event, mailoutbox, django_capture_on_commit_callbacks
):
    first_waiting, second_waiting, third_waiting = full_event.registrations.waiting()
    with django_capture_on_commit_callbacks(execute=True):
        response = attendee_client.post(url(full_event))
    assert response.status_code == 302
    assert response["Location"] == "/events/mine/"
    assert Registration.objects.get(user=attendee).status == "cancelled"
    first_waiting.refresh_from_db()
    second_waiting.refresh_from_db()
    assert first_waiting.status == "confirmed" and first_waiting.confirmed_at is not None
    assert second_waiting.status == "waiting"
    assert full_event.registrations.confirmed().count() == 2
    assert [message.to for message in mailoutbox] == [[first_waiting.user.email]]
    assert "A place has come up" in mailoutbox[0].subject
    assert mailoutbox[0].attachments[0][0].endswith(".ics")


def test_leaving_the_waiting_list_promotes_nobody(client, full_event, mailoutbox):
    leaving = full_event.registrations.waiting().first()
    client.force_login(leaving.user)
    client.post(url(full_event))
    assert full_event.registrations.confirmed().count() == 2
    assert full_event.registrations.waiting().count() == 2
    assert mailoutbox == []


def test_people_waiting_are_promoted_in_the_order_they_joined(full_event, attendee):
    waiting = list(full_event.registrations.waiting())
    confirmed = list(full_event.registrations.confirmed())
    for registration, expected in zip(confirmed, waiting[:2], strict=True):
        promoted = services.registration_cancel(registration=registration)
        assert promoted == [expected]
    assert list(full_event.registrations.confirmed()) == waiting[:2]


def test_a_second_post_is_harmless(attendee_client, attendee, full_event):
    attendee_client.post(url(full_event))
    again = attendee_client.post(url(full_event), follow=True)
    assert "You have no registration to cancel" in again.content.decode()
    assert full_event.registrations.confirmed().count() == 2


def test_a_past_event_cannot_be_cancelled(attendee_client, attendee):
    event = make_event(starts_at=timezone.now() - timedelta(hours=2))
    Registration.objects.create(event=event, user=attendee, status="confirmed")
    response = attendee_client.post(url(event), follow=True)
    assert "already started" in response.content.decode()
    assert Registration.objects.get(user=attendee).status == "confirmed"


def test_people_not_signed_in_are_sent_to_sign_in(client, full_event):
    response = client.post(url(full_event))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_answers_other_methods_with_405(attendee_client, full_event):
    assert attendee_client.put(url(full_event)).status_code == 405


def test_unknown_and_draft_events_are_not_found(attendee_client):
    draft = make_event(status=EventStatus.DRAFT)
    assert attendee_client.post(url(draft)).status_code == 404
    assert attendee_client.post("/events/nothing-here/cancel/").status_code == 404
