"""Organisers' tools in the admin."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from events.models import Answer, Event, EventStatus, Registration
from tests.events.conftest import add_questions, fill, make_event, make_user

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/events/event/"
REGISTRATIONS = "/admin/events/registration/"


def event_form(event: Event | None = None, **changes) -> dict:
    """The admin change form's fields, as a browser would post them."""
    start = timezone.localtime(timezone.now() + timedelta(days=40))
    data = {
        "title": "Practical strategies for learning from failure: Leeds",
        "slug": "learning-from-failure-leeds",
        "kind": "workshop",
        "status": "published",
        "summary": "A free workshop.",
        "description": "",
        "starts_at_0": start.strftime("%d/%m/%Y"),
        "starts_at_1": "10:00:00",
        "ends_at_0": start.strftime("%d/%m/%Y"),
        "ends_at_1": "16:00:00",
        "venue": "Leeds Central Library",
        "address": "",
        "city": "Leeds",
        "online_url": "",
        "capacity": "20",
        "registration_opens_at_0": "",
        "registration_opens_at_1": "",
        "registration_closes_at_0": "",
        "registration_closes_at_1": "",
        "hashtag": "LearnFromFailure",
        "organisers": "",
        "tags": "workshop, leeds",
        "questions-TOTAL_FORMS": "0",
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
    }
    if event is not None:
        local_start = timezone.localtime(event.starts_at)
        local_end = timezone.localtime(event.ends_at)
        data.update(
            title=event.title,
            slug=event.slug,
            status=event.status,
            starts_at_0=local_start.strftime("%d/%m/%Y"),
            starts_at_1=local_start.strftime("%H:%M:%S"),
            ends_at_0=local_end.strftime("%d/%m/%Y"),
            ends_at_1=local_end.strftime("%H:%M:%S"),
            venue=event.venue,
            capacity="" if event.capacity is None else str(event.capacity),
        )
    data.update(changes)
    return data


def test_organisers_have_the_permissions_they_need():
    codenames = set(
        Group.objects.get(name="Organisers").permissions.values_list("codename", flat=True)
    )
    assert {"add_event", "change_event", "add_question", "view_registration"} <= codenames
    assert "add_registration" not in codenames


def test_an_organiser_creates_an_event_with_questions_inline(organiser_client):
    data = event_form(
        **{
            "questions-TOTAL_FORMS": "2",
            "questions-0-label": "Which sector do you work in?",
            "questions-0-kind": "one-choice",
            "questions-0-choices": "Health\nHousing",
            "questions-0-required": "on",
            "questions-0-order": "1",
            "questions-1-label": "Anything else?",
            "questions-1-kind": "long",
            "questions-1-order": "2",
        }
    )
    response = organiser_client.post(f"{CHANGELIST}add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    event = Event.objects.get(slug="learning-from-failure-leeds")
    assert [q.label for q in event.questions.all()] == [
        "Which sector do you work in?",
        "Anything else?",
    ]
    assert sorted(event.tags.names()) == ["leeds", "workshop"]


def test_a_choice_question_without_choices_is_refused_inline(organiser_client):
    data = event_form(
        **{
            "questions-TOTAL_FORMS": "1",
            "questions-0-label": "Pick one",
            "questions-0-kind": "one-choice",
            "questions-0-choices": "",
            "questions-0-order": "1",
        }
    )
    response = organiser_client.post(f"{CHANGELIST}add/", data)
    assert response.status_code == 200
    assert "A choice question needs at least two choices." in response.content.decode()
    assert not Event.objects.exists()


def test_the_event_list_shows_confirmed_capacity_and_waiting(
    organiser_client, django_assert_max_num_queries
):
    for capacity in [2, 5, None]:
        event = make_event(capacity=capacity)
        fill(event, confirmed=2, waiting=1 if capacity == 2 else 0)
    with django_assert_max_num_queries(12):
        body = organiser_client.get(CHANGELIST).content.decode()
    assert "2 / 2 / 1" in body
    assert "2 / 5 / 0" in body
    assert "2 / no limit / 0" in body


def test_registrations_can_be_filtered_by_event_and_status(
    organiser_client, django_assert_max_num_queries
):
    event = make_event(capacity=1)
    other = make_event()
    confirmed, waiting = fill(event, confirmed=1, waiting=1)
    (elsewhere,) = fill(other, confirmed=1)
    with django_assert_max_num_queries(14):
        body = organiser_client.get(
            f"{REGISTRATIONS}?event__id__exact={event.pk}&status__exact=waiting"
        ).content.decode()
    assert waiting.user.email in body
    assert confirmed.user.email not in body
    assert elsewhere.user.email not in body


def test_it_exports_attendees_and_their_answers_as_csv(organiser_client):
    event = make_event(capacity=1)
    questions = add_questions(event)
    confirmed, waiting = fill(event, confirmed=1, waiting=1)
    (cancelled,) = fill(event, confirmed=0, waiting=1)
    cancelled.status = "cancelled"
    cancelled.save()
    Answer.objects.create(registration=confirmed, question=questions["sector"], value="Health")
    Answer.objects.create(
        registration=confirmed, question=questions["topics"], value="Digital\nProcurement"
    )
    Answer.objects.create(
        registration=waiting, question=questions["hopes"], value='=HYPERLINK("evil")'
    )

    response = organiser_client.get(f"{CHANGELIST}{event.pk}/attendees.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["Event", "Email", "Name", "Status"]
    assert rows[0][7:] == [q.label for q in questions.values()]
    assert [row[1] for row in rows[1:]] == [confirmed.user.email, waiting.user.email]
    assert rows[1][3] == "Place confirmed" and rows[1][7] == "Health"
    assert rows[1][9] == "Digital, Procurement"
    assert rows[2][3] == "On the waiting list" and rows[2][4] == "1"
    # A formula typed into an answer stays text in a spreadsheet.
    assert rows[2][8] == '\'=HYPERLINK("evil")'


def test_staff_outside_the_organisers_cannot_export_or_see_events(client, outsider_staff):
    event = make_event()
    client.force_login(outsider_staff)
    assert client.get(f"{CHANGELIST}{event.pk}/attendees.csv").status_code == 403
    assert client.get(CHANGELIST).status_code == 403


def test_an_organiser_marks_confirmed_people_as_attended(organiser_client):
    event = make_event(capacity=1)
    confirmed, waiting = fill(event, confirmed=1, waiting=1)
    response = organiser_client.post(
        REGISTRATIONS,
        {"action": "mark_attended", "_selected_action": [confirmed.pk, waiting.pk]},
        follow=True,
    )
    assert "1 marked as attended" in response.content.decode()
    assert "1 skipped" in response.content.decode()
    confirmed.refresh_from_db()
    waiting.refresh_from_db()
    assert confirmed.attended and not waiting.attended


def test_an_organiser_cancels_a_registration_and_the_next_person_gets_the_place(
    organiser_client, mailoutbox, django_capture_on_commit_callbacks
):
    event = make_event(capacity=1)
    confirmed, waiting = fill(event, confirmed=1, waiting=1)
    with django_capture_on_commit_callbacks(execute=True):
        organiser_client.post(
            REGISTRATIONS, {"action": "cancel_registrations", "_selected_action": [confirmed.pk]}
        )
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    assert [m.to for m in mailoutbox] == [[waiting.user.email]]


def test_registrations_cannot_be_added_or_deleted_in_the_admin(organiser_client, superuser):
    organiser_client.force_login(superuser)
    assert organiser_client.get(f"{REGISTRATIONS}add/").status_code == 403
    registration = fill(make_event(), confirmed=1)[0]
    assert organiser_client.get(f"{REGISTRATIONS}{registration.pk}/delete/").status_code == 403


def test_cancelling_an_event_asks_first_then_tells_everyone_registered(
    organiser_client, mailoutbox, django_capture_on_commit_callbacks
):
    event = make_event(capacity=1)
    confirmed, waiting = fill(event, confirmed=1, waiting=1)
    fill(event, confirmed=0, waiting=1)[0].delete()
    ask = organiser_client.post(
        CHANGELIST, {"action": "cancel_events", "_selected_action": [event.pk]}
    )
    assert "Yes, cancel them and email everyone" in ask.content.decode()
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED

    with django_capture_on_commit_callbacks(execute=True):
        organiser_client.post(
            CHANGELIST,
            {"action": "cancel_events", "_selected_action": [event.pk], "confirm": "yes"},
        )
    event.refresh_from_db()
    assert event.status == EventStatus.CANCELLED
    assert sorted(m.to[0] for m in mailoutbox) == sorted([confirmed.user.email, waiting.user.email])
    assert all(m.subject.startswith("[failshare] Cancelled:") for m in mailoutbox)


def test_setting_the_status_to_cancelled_also_tells_everyone(
    organiser_client, mailoutbox, django_capture_on_commit_callbacks
):
    event = make_event(capacity=3)
    fill(event, confirmed=2)
    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(
            f"{CHANGELIST}{event.pk}/change/", event_form(event, status="cancelled")
        )
    assert response.status_code == 302
    assert len(mailoutbox) == 2


def test_capacity_cannot_drop_below_the_confirmed_count(organiser_client):
    event = make_event(capacity=5)
    fill(event, confirmed=4)
    response = organiser_client.post(
        f"{CHANGELIST}{event.pk}/change/", event_form(event, capacity="3")
    )
    assert response.status_code == 200
    assert "4 places are already confirmed" in response.content.decode()
    event.refresh_from_db()
    assert event.capacity == 5
    lowered = organiser_client.post(
        f"{CHANGELIST}{event.pk}/change/", event_form(event, capacity="4")
    )
    assert lowered.status_code == 302


def test_raising_capacity_promotes_people_waiting_in_order(
    organiser_client, mailoutbox, django_capture_on_commit_callbacks
):
    event = make_event(capacity=2)
    fill(event, confirmed=2, waiting=3)
    first, second, third = event.registrations.waiting()
    with django_capture_on_commit_callbacks(execute=True):
        organiser_client.post(f"{CHANGELIST}{event.pk}/change/", event_form(event, capacity="4"))
    statuses = [Registration.objects.get(pk=r.pk).status for r in [first, second, third]]
    assert statuses == ["confirmed", "confirmed", "waiting"]
    assert sorted(m.to[0] for m in mailoutbox) == sorted([first.user.email, second.user.email])


def test_making_places_unlimited_promotes_everyone_waiting(organiser_client):
    event = make_event(capacity=1)
    fill(event, confirmed=1, waiting=2)
    organiser_client.post(f"{CHANGELIST}{event.pk}/change/", event_form(event, capacity=""))
    assert event.registrations.waiting().count() == 0
    assert event.registrations.confirmed().count() == 3


@pytest.fixture
def superuser(db):
    return make_user("root@example.org", is_staff=True, is_superuser=True)


def test_an_organiser_opens_the_event_and_registration_pages(organiser_client):
    event = make_event()
    add_questions(event)
    (registration,) = fill(event, confirmed=1)
    for path in [
        f"{CHANGELIST}add/",
        f"{CHANGELIST}{event.pk}/change/",
        f"{REGISTRATIONS}{registration.pk}/change/",
    ]:
        assert organiser_client.get(path).status_code == 200, path
