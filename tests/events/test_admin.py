"""Organisers' tools in the admin."""

import csv
import io
import threading
from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from events import services
from events.models import Answer, Event, EventStatus, Registration
from tests.events.conftest import add_questions, fill, make_event, make_user
from tests.people import give_second_factor

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
        "language": "en",
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
        "reminder_days": "7",
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


def test_it_lists_events_in_the_admin_in_a_fixed_number_of_queries(
    organiser_client, django_assert_max_num_queries
):
    for n in range(12):
        event = make_event(capacity=3)
        event.tags.set(["workshop", f"topic {n}"])
        fill(event, confirmed=2, waiting=n % 2)
    # The session (read, and saved with its staff expiry), the person, their permissions, the
    # counts, the page of events and the date hierarchy: the places column comes from the
    # annotations, not a query per row.
    with django_assert_max_num_queries(12):
        body = organiser_client.get(CHANGELIST).content.decode()
    assert body.count("2 / 3 / 1") == 6


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
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Event", "Email", "Name", "Status"]
    assert rows[0][7:] == [q.label for q in questions.values()]
    assert [row[1] for row in rows[1:]] == [confirmed.user.email, waiting.user.email]
    assert rows[1][3] == "Place confirmed" and rows[1][7] == "Health"
    assert rows[1][9] == "Digital, Procurement"
    assert rows[2][3] == "On the waiting list" and rows[2][4] == "1"
    # A formula typed into an answer stays text in a spreadsheet.
    assert rows[2][8] == '\'=HYPERLINK("evil")'


@pytest.mark.parametrize("event_id", ["abc", "1.5", "99999", "%2F"])
def test_it_answers_the_attendees_csv_of_no_such_event_with_404(organiser_client, event_id):
    assert organiser_client.get(f"{CHANGELIST}{event_id}/attendees.csv").status_code == 404


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


def selected(*registrations) -> list[int]:
    return [registration.pk for registration in registrations]


def test_it_marks_attendance_in_a_fixed_number_of_queries(
    organiser_client, django_assert_max_num_queries
):
    event = make_event(capacity=8)
    registrations = fill(event, confirmed=8, waiting=4)
    with django_assert_max_num_queries(13):
        response = organiser_client.post(
            REGISTRATIONS, {"action": "mark_attended", "_selected_action": selected(*registrations)}
        )
    assert response.status_code == 302
    assert event.registrations.filter(attended=True).count() == 8


def test_it_exports_the_selected_registrations_in_a_fixed_number_of_queries(
    organiser_client, django_assert_max_num_queries
):
    registrations = []
    for _ in range(3):
        event = make_event(capacity=4)
        questions = add_questions(event)
        for registration in fill(event, confirmed=4, waiting=2):
            Answer.objects.create(
                registration=registration, question=questions["diet"], value="None"
            )
            registrations.append(registration)
    # One more than before the export was audited: the audit entry's insert.
    with django_assert_max_num_queries(15):
        response = organiser_client.post(
            REGISTRATIONS, {"action": "export_csv", "_selected_action": selected(*registrations)}
        )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 1 + len(registrations)


# Each cancellation is its own transaction with its event locked (it may promote someone):
# the lock, the registration read again, its update, the places count, the waiting list and
# the promotion, within a savepoint here.
QUERIES_PER_CANCELLATION = 8
# Once per event, not per cancellation: these events were filled without the services, so the
# first promotion records the capacity levels reached (the event's level, the alert rows, and
# whether it has organisers to tell).
QUERIES_PER_NEW_CAPACITY_ALERT = 3


def test_it_cancels_registrations_in_a_bounded_number_of_queries_each(
    organiser_client, django_assert_max_num_queries
):
    first, second = make_event(capacity=3), make_event(capacity=3)
    cancelling = fill(first, confirmed=3, waiting=3)[:3] + fill(second, confirmed=3, waiting=3)[:3]
    alerts = QUERIES_PER_NEW_CAPACITY_ALERT * 2
    with django_assert_max_num_queries(12 + QUERIES_PER_CANCELLATION * len(cancelling) + alerts):
        organiser_client.post(
            REGISTRATIONS,
            {"action": "cancel_registrations", "_selected_action": selected(*cancelling)},
        )
    assert first.registrations.confirmed().count() == second.registrations.confirmed().count() == 3
    assert Registration.objects.filter(status="cancelled").count() == 6


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


def capacity_errors(response) -> list[str]:
    return response.context["adminform"].form.errors.get("capacity", [])


def test_it_refuses_a_capacity_below_the_confirmed_count_on_the_field(organiser_client):
    event = make_event(capacity=5)
    fill(event, confirmed=4)
    response = organiser_client.post(
        f"{CHANGELIST}{event.pk}/change/",
        event_form(event, capacity="3", title="Learning from failure, smaller"),
    )
    assert response.status_code == 200
    assert capacity_errors(response) == [
        "4 places are already confirmed: capacity cannot be lower. "
        "Cancel registrations first if you need fewer places."
    ]
    assert 'value="Learning from failure, smaller"' in response.content.decode()
    event.refresh_from_db()
    assert event.capacity == 5
    lowered = organiser_client.post(
        f"{CHANGELIST}{event.pk}/change/", event_form(event, capacity="4")
    )
    assert lowered.status_code == 302


def test_it_refuses_a_capacity_below_the_confirmed_count_when_saving_elsewhere_too():
    event = make_event(capacity=5)
    fill(event, confirmed=4)
    event.capacity = 3
    with pytest.raises(ValidationError) as error:
        services.event_save(event=event)
    assert list(error.value.message_dict) == ["capacity"]
    assert Event.objects.get(pk=event.pk).capacity == 5


def meanwhile(monkeypatch, hook: str, *changes) -> None:
    """Each time the admin calls ModelAdmin.<hook>, run the next change (None: nothing) on
    another connection and commit it, as another person's request would."""
    original = getattr(admin.ModelAdmin, hook)
    pending = list(changes)

    def elsewhere(change):
        try:
            change()
        finally:
            connection.close()

    def hooked(self, *args, **kwargs):
        result = original(self, *args, **kwargs)
        change = pending.pop(0) if pending else None
        if change is not None:
            other = threading.Thread(target=elsewhere, args=[change])
            other.start()
            other.join(timeout=10)
        return result

    monkeypatch.setattr(admin.ModelAdmin, hook, hooked)


@pytest.mark.django_db(transaction=True)
def test_it_shows_places_taken_while_saving_as_an_error_on_the_field(
    client, superuser, monkeypatch
):
    client.force_login(superuser)
    event = make_event(capacity=10)
    fill(event, confirmed=4)
    # Between the form's check (4 confirmed: 5 places will do) and the save, two more register.
    meanwhile(monkeypatch, "save_form", lambda: fill(event, confirmed=2))
    response = client.post(
        f"{CHANGELIST}{event.pk}/change/",
        event_form(event, capacity="5", title="Learning from failure, smaller"),
    )
    assert response.status_code == 200
    assert capacity_errors(response)[0].startswith("6 places are already confirmed")
    assert 'value="Learning from failure, smaller"' in response.content.decode()
    event.refresh_from_db()
    assert (event.capacity, event.title) == (10, event_form(event)["title"])


@pytest.mark.django_db(transaction=True)
def test_it_answers_a_save_that_keeps_losing_the_race_with_a_message_not_a_500(
    client, superuser, monkeypatch
):
    client.force_login(superuser)
    event = make_event(capacity=10)
    fill(event, confirmed=4)
    taken: list[Registration] = []

    def take_two():
        taken[:] = fill(event, confirmed=2)

    def free_them():
        Registration.objects.filter(pk__in=[r.pk for r in taken]).update(status="cancelled")

    # Places are taken before each save, and freed again just before the second check.
    meanwhile(monkeypatch, "save_form", take_two, take_two)
    meanwhile(monkeypatch, "get_form", None, free_them)
    change = f"{CHANGELIST}{event.pk}/change/"
    response = client.post(change, event_form(event, capacity="5"))
    assert response.status_code == 302
    assert response["Location"] == change
    body = client.get(change).content.decode()
    assert "6 places are already confirmed: capacity cannot be lower." in body
    event.refresh_from_db()
    assert event.capacity == 10


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
    root = make_user("root@example.org", is_staff=True, is_superuser=True)
    give_second_factor(root)
    return root


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


def test_the_attendees_csv_opens_as_utf8_in_spreadsheets_with_the_names_filled(
    organiser_client,
):
    event = make_event(title="Méthodes – Cardiff")
    (confirmed,) = fill(event, confirmed=1, waiting=0)
    confirmed.user.first_name = "Siân Jones"
    confirmed.user.save()
    content = organiser_client.get(f"{CHANGELIST}{event.pk}/attendees.csv").content
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[1][0] == "Méthodes – Cardiff"
    assert rows[1][2] == "Siân Jones"
