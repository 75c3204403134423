"""After the event: resources on its pages, a feedback email to those who attended, answers
kept apart from who gave them, counted and exported for organisers."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events import replies, services, tasks
from events.models import EventResource, FeedbackAnswer, FeedbackQuestion, FeedbackResponse
from tests.events.conftest import fill, make_event
from tests.events.test_reminders import path_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def past():
    event = make_event(
        title="Leeds workshop",
        starts_at=timezone.now() - timedelta(days=3),
        after_summary="We talked about failure.\n\nThen we had tea.",
    )
    event.tags.add("procurement")
    EventResource.objects.create(
        event=event, kind="slides", title="The slides", url="https://example.org/slides.pdf"
    )
    return event


@pytest.fixture
def questions(past):
    return {
        "rating": FeedbackQuestion.objects.create(
            event=past,
            label="How useful was the day?",
            kind="one-choice",
            choices="Very\nA little\nNot at all",
            required=True,
            order=1,
        ),
        "better": FeedbackQuestion.objects.create(
            event=past, label="What could be better?", kind="long", order=2
        ),
    }


def test_a_past_events_page_and_its_tag_page_show_the_resources_and_summary(client, past):
    page = client.get(past.get_absolute_url()).content.decode()
    assert "After the event" in page
    assert "<p>We talked about failure.</p>" in page and "<p>Then we had tea.</p>" in page
    assert 'href="https://example.org/slides.pdf">The slides</a>' in page
    tag_page = client.get(reverse("tag", args=["procurement"])).content.decode()
    assert "The slides" in tag_page
    assert "<p>We talked about failure.</p>" in tag_page and "<p>Then we had tea.</p>" in tag_page


def test_a_new_resource_makes_the_cached_page_stale(client, past):
    client.get(past.get_absolute_url())
    EventResource.objects.create(event=past, title="The recording", url="https://example.org/r")
    assert "The recording" in client.get(past.get_absolute_url()).content.decode()


def test_attended_people_get_one_feedback_email(past, questions, mailoutbox):
    attended, absent = fill(past, confirmed=2)
    attended.attended = True
    attended.save()
    call_command("send_feedback_requests")
    call_command("send_feedback_requests")
    assert [m.to[0] for m in mailoutbox] == [attended.user.email]
    assert "How was Leeds workshop?" in mailoutbox[0].subject


def test_no_feedback_email_for_an_event_without_questions(past, mailoutbox):
    registration = fill(past, confirmed=1)[0]
    registration.attended = True
    registration.save()
    call_command("send_feedback_requests")
    assert mailoutbox == []


def test_feedback_is_given_once_without_signing_in_and_kept_apart_from_the_person(
    past, questions, mailoutbox
):
    registration = fill(past, confirmed=1)[0]
    registration.attended = True
    registration.save()
    tasks.send_registration_email.call(registration.pk, "feedback")
    url = path_of(re.search(r"Give your feedback: (\S+)", mailoutbox[0].body).group(1))
    browser = Client()
    assert "How useful was the day?" in browser.get(url).content.decode()

    invalid = browser.post(url, {})
    assert "There is a problem" in invalid.content.decode()
    done = browser.post(
        url,
        {
            f"question_{questions['rating'].pk}": "Very",
            f"question_{questions['better'].pk}": "=More tea",
        },
    )
    assert "Thank you for your feedback" in done.content.decode()
    again = browser.post(url, {f"question_{questions['rating'].pk}": "Not at all"})
    assert "already given your feedback" in again.content.decode()
    assert FeedbackResponse.objects.count() == 1
    assert sorted(FeedbackAnswer.objects.values_list("value", flat=True)) == ["=More tea", "Very"]
    field_names = {field.name for field in FeedbackResponse._meta.get_fields()}
    assert not field_names & {"user", "registration", "created_at", "ip"}
    # After giving it, no second feedback email goes.
    assert tasks.send_registration_email.call(registration.pk, "feedback") == "no longer needed"


def test_a_feedback_link_for_someone_not_marked_attended_or_forged_is_refused(past, questions):
    registration = fill(past, confirmed=1)[0]
    token = replies.feedback_token(registration)
    assert Client().get(reverse("events:feedback", args=[token])).status_code == 400
    reminder_token = replies.reply_token(registration, "not-coming")
    assert Client().get(reverse("events:feedback", args=[reminder_token])).status_code == 400


def test_organisers_see_counts_and_texts_and_export_csv(organiser_client, past, questions):
    for rating, text in [("Very", "More tea"), ("Very", ""), ("A little", "=cmd")]:
        registration = fill(past, confirmed=1)[0]
        answers = [(questions["rating"], rating)] + ([(questions["better"], text)] if text else [])
        services.feedback_give(registration=registration, answers=answers)

    page = organiser_client.get(reverse("admin:events_event_feedback", args=[past.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "3 responses" in body
    assert "<td>Very</td><td>2</td>" in body and "<td>Not at all</td><td>0</td>" in body
    assert "More tea" in body

    exported = organiser_client.get(reverse("admin:events_event_feedback_csv", args=[past.pk]))
    rows = list(csv.reader(io.StringIO(exported.content.decode())))
    assert rows[0] == ["How useful was the day?", "What could be better?"]
    assert ["A little", "'=cmd"] in rows
    assert len(rows) == 4


def test_organisers_add_resources_and_feedback_questions(organiser_client):
    for name in ("eventresource", "feedbackquestion"):
        assert organiser_client.get(reverse(f"admin:events_{name}_add")).status_code == 200


def test_moderators_cannot_read_feedback(moderator_client, past):
    answer = moderator_client.get(reverse("admin:events_event_feedback", args=[past.pk]))
    assert answer.status_code == 403
