"""Organisers write to an event's confirmed attendees or its waiting list, from the admin."""

import pytest
from django.core import mail
from django.urls import reverse

from events import tasks
from events.models import OrganiserMessage, SentEmail
from tests.events.conftest import fill, make_event

pytestmark = pytest.mark.django_db


def test_an_organiser_writes_to_the_confirmed_attendees_once_each(
    organiser_client, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    event = make_event(capacity=2)
    confirmed = fill(event, confirmed=2, waiting=1)[:2]
    url = reverse("admin:events_event_message", args=[event.pk])
    form = organiser_client.get(url)
    assert form.status_code == 200
    assert "2 confirmed, 1 on the waiting list" in form.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        sent = organiser_client.post(
            url,
            {"audience": "confirmed", "subject": "Room change", "body": "We are in room 2 now."},
        )
    assert sent.status_code == 302
    message = OrganiserMessage.objects.get()
    assert (message.recipients, message.sent_by, message.audience) == (2, organiser, "confirmed")
    assert sorted(m.to[0] for m in mailoutbox) == sorted(r.user.email for r in confirmed)
    assert "We are in room 2 now." in mailoutbox[0].body
    assert mailoutbox[0].subject.endswith(f"{event.title}: Room change")

    # A task run again (a retry, a worker killed after sending) sends nothing more.
    assert tasks.send_organiser_message.call(message.pk, confirmed[0].pk) == "already sent"
    assert len(mail.outbox) == 2
    assert SentEmail.objects.filter(kind=f"message-{message.pk}").count() == 2

    listed = organiser_client.get(reverse("admin:events_organisermessage_changelist"))
    assert "Room change" in listed.content.decode()


def test_the_waiting_list_can_be_written_to_alone(
    organiser_client, mailoutbox, django_capture_on_commit_callbacks
):
    event = make_event(capacity=1)
    waiting = fill(event, confirmed=1, waiting=2)[1:]
    with django_capture_on_commit_callbacks(execute=True):
        organiser_client.post(
            reverse("admin:events_event_message", args=[event.pk]),
            {"audience": "waiting", "subject": "More places soon", "body": "Hold on."},
        )
    assert sorted(m.to[0] for m in mailoutbox) == sorted(r.user.email for r in waiting)


def test_a_message_without_a_subject_is_refused_and_nothing_is_sent(organiser_client, mailoutbox):
    event = make_event()
    fill(event, confirmed=1)
    answer = organiser_client.post(
        reverse("admin:events_event_message", args=[event.pk]),
        {"audience": "confirmed", "subject": "", "body": "Hello"},
    )
    assert answer.status_code == 200
    assert "Please correct the errors below." in answer.content.decode()
    assert not OrganiserMessage.objects.exists()
    assert mailoutbox == []


def test_someone_who_cancelled_after_it_was_queued_is_not_written_to(mailoutbox):
    event = make_event()
    registration = fill(event, confirmed=1)[0]
    message = OrganiserMessage.objects.create(
        event=event, audience="confirmed", subject="Hi", body="Hi", recipients=1
    )
    registration.status = "cancelled"
    registration.save()
    assert tasks.send_organiser_message.call(message.pk, registration.pk) == "no longer needed"


def test_moderators_cannot_write_to_attendees(moderator_client):
    event = make_event()
    answer = moderator_client.get(reverse("admin:events_event_message", args=[event.pk]))
    assert answer.status_code == 403
