"""Reminders before an event, with links that say "I can still come" or "I can no longer come"."""

import re
from datetime import timedelta

import pytest
from django.core import signing
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events import replies, services, tasks
from events.models import Registration, SentEmail
from tests.events.conftest import add_questions, fill, make_event, make_user

pytestmark = pytest.mark.django_db


def soon(**fields):
    return make_event(starts_at=timezone.now() + timedelta(days=5), **fields)


def links(message) -> dict[str, str]:
    found = dict(re.findall(r"I can (still|no longer) come: (\S+)", message.body))
    return {"coming": found["still"], "not-coming": found["no longer"]}


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_it_reminds_confirmed_attendees_once_within_the_events_reminder_days(mailoutbox):
    due = soon(capacity=2)
    confirmed = fill(due, confirmed=2, waiting=1)[:2]
    later = make_event(starts_at=timezone.now() + timedelta(days=9))
    fill(later, confirmed=1)
    early_reminder = make_event(starts_at=timezone.now() + timedelta(days=9), reminder_days=10)
    fill(early_reminder, confirmed=1)

    call_command("send_event_reminders")
    call_command("send_event_reminders")

    reminded = sorted(message.to[0] for message in mailoutbox)
    expected = [r.user.email for r in confirmed] + [early_reminder.registrations.get().user.email]
    assert reminded == sorted(expected)
    assert all("Can you still come to Learning from failure" in m.subject for m in mailoutbox)
    assert SentEmail.objects.filter(kind="reminder").count() == 3


def test_a_reminder_task_run_twice_sends_once(mailoutbox):
    registration = fill(soon(), confirmed=1)[0]
    assert tasks.send_registration_email.call(registration.pk, "reminder") == "sent"
    assert tasks.send_registration_email.call(registration.pk, "reminder") == "already sent"
    assert len(mailoutbox) == 1


def test_a_reminder_is_not_sent_to_someone_who_cancelled_meanwhile(mailoutbox):
    registration = fill(soon(), confirmed=1)[0]
    services.registration_cancel(registration=registration)
    assert tasks.send_registration_email.call(registration.pk, "reminder") == "no longer needed"


def test_no_longer_coming_cancels_without_signing_in_and_promotes_the_next_person(
    mailoutbox, django_capture_on_commit_callbacks
):
    event = soon(capacity=1)
    mine, next_in_line = fill(event, confirmed=1, waiting=1)
    tasks.send_registration_email.call(mine.pk, "reminder")
    url = path_of(links(mailoutbox[0])["not-coming"])
    browser = Client(enforce_csrf_checks=True)

    asked = browser.get(url)
    assert asked.status_code == 200
    assert "Give up your place" in asked.content.decode()
    assert Registration.objects.get(pk=mine.pk).status == "confirmed"  # a GET changes nothing

    with django_capture_on_commit_callbacks(execute=True):
        done = browser.post(url, {"csrfmiddlewaretoken": asked.cookies["csrftoken"].value})
    assert done.status_code == 200
    assert "Your place has gone to the next person waiting" in done.content.decode()
    assert Registration.objects.get(pk=mine.pk).status == "cancelled"
    assert Registration.objects.get(pk=next_in_line.pk).status == "confirmed"
    assert [m.to[0] for m in mailoutbox[1:]] == [next_in_line.user.email]


def test_a_used_no_longer_link_changes_nothing_more_even_after_registering_again(mailoutbox):
    event = soon(capacity=5)
    mine = fill(event, confirmed=1)[0]
    tasks.send_registration_email.call(mine.pk, "reminder")
    url = path_of(links(mailoutbox[0])["not-coming"])
    Client().post(url)
    again = services.registration_create(event=event, user=mine.user)

    second = Client().post(url)
    assert second.status_code == 200
    assert "already cancelled" in second.content.decode()
    assert Registration.objects.get(pk=again.pk).status == "confirmed"


def test_a_link_cannot_be_used_for_another_registration_or_the_other_answer(mailoutbox):
    event = soon(capacity=5)
    mine, theirs = fill(event, confirmed=2)
    tasks.send_registration_email.call(mine.pk, "reminder")
    found = links(mailoutbox[0])
    token = path_of(found["not-coming"]).rstrip("/").rsplit("/", 1)[1]
    payload = signing.loads(token, salt=replies.REPLY_SALT)
    assert payload == {"r": mine.pk, "a": "not-coming"}
    forged = signing.dumps({"r": theirs.pk, "a": "not-coming"}, salt="another.salt")
    coming_token = path_of(found["coming"]).rstrip("/").rsplit("/", 1)[1]
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")

    for bad in (forged, coming_token, tampered, "nonsense"):
        answer = Client().post(reverse("events:reply-not-coming", args=[bad]))
        assert answer.status_code == 400
        assert "This link is not valid" in answer.content.decode()
    assert Registration.objects.filter(status="confirmed").count() == 2


def test_a_link_expires(mailoutbox, monkeypatch):
    mine = fill(soon(), confirmed=1)[0]
    token = replies.reply_token(mine, "not-coming")
    monkeypatch.setattr(replies, "REPLY_MAX_AGE", timedelta(seconds=-1))
    answer = Client().post(reverse("events:reply-not-coming", args=[token]))
    assert answer.status_code == 400
    assert "This link has expired." in answer.content.decode()
    assert Registration.objects.get(pk=mine.pk).status == "confirmed"


def test_still_coming_keeps_the_place(mailoutbox):
    mine = fill(soon(), confirmed=1)[0]
    tasks.send_registration_email.call(mine.pk, "reminder")
    answer = Client().get(path_of(links(mailoutbox[0])["coming"]))
    assert answer.status_code == 200
    assert "is kept for you" in answer.content.decode()
    assert Registration.objects.get(pk=mine.pk).status == "confirmed"
    assert Client().post(path_of(links(mailoutbox[0])["coming"])).status_code == 405


def test_reply_pages_are_never_stored(mailoutbox):
    mine = fill(soon(), confirmed=1)[0]
    answer = Client().get(
        reverse("events:reply-not-coming", args=[replies.reply_token(mine, "not-coming")])
    )
    assert "no-store" in answer["Cache-Control"]


def test_attendees_change_their_answers_until_registration_closes(client):
    event = soon(registration_closes_at=timezone.now() + timedelta(days=2))
    questions = add_questions(event)
    person = make_user()
    services.registration_create(
        event=event,
        user=person,
        answers=[(questions["sector"], "Health"), (questions["hopes"], "Learn.")],
    )
    client.force_login(person)
    url = reverse("events:answers", args=[event.slug])
    assert "Change your answers" in client.get(reverse("events:mine")).content.decode()
    form = client.get(url).content.decode()
    assert "Learn." in form

    client.post(
        url,
        {
            f"question_{questions['sector'].pk}": "Charity",
            f"question_{questions['hopes'].pk}": "Meet people.",
            f"question_{questions['topics'].pk}": ["Digital", "Procurement"],
        },
    )
    answers = {a.question_id: a.value for a in Registration.objects.get(user=person).answers.all()}
    assert answers == {
        questions["sector"].pk: "Charity",
        questions["hopes"].pk: "Meet people.",
        questions["topics"].pk: "Digital\nProcurement",
    }
    invalid = client.post(url, {f"question_{questions['hopes'].pk}": "x"})
    assert invalid.status_code == 200
    assert "There is a problem" in invalid.content.decode()

    Registration.objects.filter(user=person).update()
    event.registration_closes_at = timezone.now() - timedelta(minutes=1)
    event.registration_opens_at = None
    type(event).objects.filter(pk=event.pk).update(
        registration_closes_at=event.registration_closes_at
    )
    closed = client.get(url)
    assert closed.status_code == 302
    assert client.post(url, {f"question_{questions['hopes'].pk}": "Late."}).status_code == 302
    assert Registration.objects.get(user=person).answers.get(question=questions["hopes"]).value == (
        "Meet people."
    )


LINKS = ["events:reply-coming", "events:reply-not-coming", "events:feedback"]


@pytest.mark.parametrize("name", LINKS)
@pytest.mark.parametrize("token", ["x", "a" * 3000, "é:ü:ß", ".eJyrVkpUslIqSk0sUaoFADAiBXk:1:2"])
def test_odd_tokens_get_a_plain_refusal_never_an_error(client, name, token):
    answer = client.get(reverse(name, args=[token]))
    assert answer.status_code == 400
    assert "This link" in answer.content.decode()
