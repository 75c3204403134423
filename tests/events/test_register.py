import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events import services
from events.models import Answer, Event, EventStatus, Registration
from tests.events.conftest import add_questions, fill, make_event, make_user

pytestmark = pytest.mark.django_db


def url(event) -> str:
    return f"/events/{event.slug}/register/"


def test_it_sends_people_who_are_not_signed_in_to_sign_in_and_back(client, event):
    response = client.get(url(event))
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next=/events/{event.slug}/register/"
    assert client.post(url(event)).status_code == 302
    assert not Registration.objects.exists()


def test_it_asks_an_unverified_account_to_verify_its_email_first(client, event, mailoutbox):
    person = make_user(verified=False)
    client.force_login(person)
    response = client.post(url(event))
    assert "verify" in response.content.decode().lower()
    assert not Registration.objects.exists()
    assert "confirm" in mailoutbox[0].subject.lower()


@pytest.mark.parametrize(
    "backend",
    [
        "django.contrib.auth.backends.ModelBackend",
        "allauth.account.auth_backends.AuthenticationBackend",
    ],
)
def test_it_checks_the_verified_email_whichever_way_people_signed_in(client, event, backend):
    client.force_login(make_user(verified=False), backend=backend)
    assert "verify" in client.post(url(event)).content.decode().lower()
    assert not Registration.objects.exists()

    client.force_login(make_user(), backend=backend)
    assert client.post(url(event)).status_code == 302
    assert Registration.objects.count() == 1


def test_it_says_before_submitting_that_there_is_a_place(attendee_client):
    event = make_event(capacity=10)
    fill(event, confirmed=7)
    body = attendee_client.get(url(event)).content.decode()
    assert "There are 3 places left" in body
    assert "you will get a place" in body
    assert len(re.findall(r"<h1[\s>]", body)) == 1


def test_it_says_before_submitting_that_they_will_join_the_waiting_list(attendee_client):
    event = make_event(capacity=2)
    fill(event, confirmed=2, waiting=4)
    body = attendee_client.get(url(event)).content.decode()
    assert "This event is full" in body
    assert "join the waiting list as number 5" in body


def test_it_confirms_a_place_and_emails_a_calendar_file(
    attendee_client, attendee, event, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = attendee_client.post(url(event))
    assert response.status_code == 302
    assert response["Location"] == f"/events/{event.slug}/"
    registration = Registration.objects.get(event=event, user=attendee)
    assert registration.status == "confirmed" and registration.confirmed_at is not None
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [attendee.email]
    assert mailoutbox[0].attachments[0][0] == f"{event.slug}.ics"
    page = attendee_client.get(response["Location"]).content.decode()
    assert "You have a place" in page


def test_it_puts_people_on_the_waiting_list_when_full(
    attendee_client, attendee, mailoutbox, django_capture_on_commit_callbacks
):
    event = make_event(capacity=1)
    fill(event, confirmed=1, waiting=1)
    with django_capture_on_commit_callbacks(execute=True):
        attendee_client.post(url(event))
    waiting = Registration.objects.get(user=attendee)
    assert (waiting.status, waiting.confirmed_at) == ("waiting", None)
    assert "number 2 in line" in mailoutbox[0].body
    page = attendee_client.get(f"/events/{event.slug}/").content.decode()
    assert "You are number 2 on the waiting list" in page


def test_a_plain_post_with_only_the_csrf_token_registers_for_an_event_without_questions(
    attendee, event
):
    client = Client(enforce_csrf_checks=True)
    client.force_login(attendee)
    form = client.get(url(event)).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    response = client.post(url(event), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Registration.objects.filter(user=attendee, status="confirmed").exists()


def test_a_post_without_the_csrf_token_is_refused(attendee, event):
    client = Client(enforce_csrf_checks=True)
    client.force_login(attendee)
    assert client.post(url(event)).status_code == 403
    assert not Registration.objects.exists()


def test_it_shows_the_events_questions_and_saves_the_answers(attendee_client, attendee, event):
    questions = add_questions(event)
    body = attendee_client.get(url(event)).content.decode()
    for question in questions.values():
        assert question.label in body
        assert f'name="question_{question.pk}"' in body
    assert "(optional)" in body
    attendee_client.post(
        url(event),
        {
            f"question_{questions['sector'].pk}": "Health",
            f"question_{questions['hopes'].pk}": "Learn how to run a blameless review.",
            f"question_{questions['topics'].pk}": ["Procurement", "Digital"],
        },
    )
    answers = {a.question_id: a.value for a in Answer.objects.filter(registration__user=attendee)}
    assert answers == {
        questions["sector"].pk: "Health",
        questions["hopes"].pk: "Learn how to run a blameless review.",
        questions["topics"].pk: "Procurement\nDigital",
    }


def test_it_explains_what_is_wrong_and_keeps_what_was_typed(attendee_client, event):
    questions = add_questions(event)
    hopes = f"question_{questions['hopes'].pk}"
    response = attendee_client.post(
        url(event),
        {
            hopes: "Meet others who have been there",
            f"question_{questions['sector'].pk}": "Not a listed sector",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="error-summary"' in body
    assert f'href="#id_question_{questions["sector"].pk}_0"' in body
    assert "Choose an answer to “Which sector do you work in?”" in body
    assert "Select a valid choice" not in body
    assert "Meet others who have been there" in body
    assert 'aria-invalid="true"' in body
    assert f'aria-describedby="id_{hopes}-hint"' in body
    assert "<title>Error:" in body
    assert not Registration.objects.exists()


def test_it_requires_the_required_questions(attendee_client, event):
    questions = add_questions(event)
    response = attendee_client.post(url(event), {})
    assert response.status_code == 200
    body = response.content.decode()
    assert "This field is required" not in body
    # In the site's words, once in the summary and once by the field.
    assert body.count("Choose an answer to “Which sector do you work in?”") == 2
    assert body.count("Enter your answer to “What would you like to get out of the day?”") == 2
    assert questions["diet"].label in body
    assert not Registration.objects.exists()


@pytest.fixture
def questions(event):
    return add_questions(event)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=400))
def test_it_never_fails_on_odd_input(attendee_client, event, questions, text):
    data = {f"question_{question.pk}": text for question in questions.values()}
    response = attendee_client.post(url(event), data)
    assert response.status_code in (200, 302)
    Registration.objects.filter(event=event).delete()


def test_it_refuses_null_characters_with_a_message(attendee_client, event):
    questions = add_questions(event)
    response = attendee_client.post(
        url(event),
        {
            f"question_{questions['sector'].pk}": "Health",
            f"question_{questions['hopes'].pk}": "bad\x00input",
        },
    )
    assert response.status_code == 200
    assert "Null characters are not allowed" in response.content.decode()


def test_a_double_click_makes_one_registration(attendee_client, attendee, event):
    first = attendee_client.post(url(event))
    second = attendee_client.post(url(event), follow=True)
    assert first.status_code == 302
    assert "You are already registered for this event." in second.content.decode()
    assert Registration.objects.filter(user=attendee).count() == 1


def test_someone_already_registered_is_sent_to_the_event_page(attendee_client, attendee, event):
    Registration.objects.create(event=event, user=attendee, status="confirmed")
    response = attendee_client.get(url(event))
    assert response.status_code == 302
    assert response["Location"] == f"/events/{event.slug}/"


def test_someone_who_cancelled_can_register_again(attendee_client, attendee, event):
    Registration.objects.create(event=event, user=attendee, status="cancelled")
    attendee_client.post(url(event))
    assert Registration.objects.filter(user=attendee).live().count() == 1


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        (
            {"registration_opens_at": timezone.now() + timedelta(days=2)},
            "Registration opens on",
        ),
        (
            {"registration_closes_at": timezone.now() - timedelta(hours=1)},
            "Registration for this event has closed.",
        ),
        ({"status": EventStatus.CANCELLED}, "This event has been cancelled"),
        ({"starts_at": timezone.now() - timedelta(days=3)}, "already started or taken place"),
    ],
)
def test_it_refuses_registration_with_a_clear_message(attendee_client, fields, reason):
    event = make_event(**fields)
    page = attendee_client.get(url(event))
    assert page.status_code == 200
    assert reason in page.content.decode()
    assert "<form" not in page.content.decode().split("<main")[1]
    refused = attendee_client.post(url(event))
    assert refused.status_code == 409
    assert reason in refused.content.decode()
    assert not Registration.objects.exists()


def test_drafts_cannot_be_registered_for(attendee_client):
    event = make_event(status=EventStatus.DRAFT)
    assert attendee_client.get(url(event)).status_code == 404
    assert attendee_client.post(url(event)).status_code == 404


def test_it_answers_an_unknown_event_with_404(attendee_client):
    assert attendee_client.get("/events/no-such-event/register/").status_code == 404
    assert attendee_client.post("/events/no-such-event/register/").status_code == 404


def test_it_refuses_registration_for_an_event_deleted_since_its_page_was_read(attendee):
    event = make_event()
    Event.objects.filter(pk=event.pk).delete()
    with pytest.raises(services.RegistrationRefused, match="not open for registration"):
        services.registration_create(event=event, user=attendee)
    assert not Registration.objects.exists()


def test_it_answers_other_methods_with_405(attendee_client, event):
    assert attendee_client.put(url(event)).status_code == 405
    assert attendee_client.delete(url(event)).status_code == 405


def test_it_registers_in_a_fixed_number_of_queries(
    attendee_client, event, django_assert_max_num_queries
):
    # The session, the person, whether their email is verified, the event and its questions;
    # then the lock, the count of places taken and the insert, in a transaction (a savepoint
    # and its release here, as the test itself runs in a transaction), inside the request's
    # own (another savepoint and release) which first sets its shorter lock wait.
    with django_assert_max_num_queries(13):
        attendee_client.post(url(event))
    assert Registration.objects.count() == 1


def test_it_queues_the_email_in_the_registrations_own_transaction_with_one_query(
    attendee_client, event, django_assert_max_num_queries, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_assert_max_num_queries(14):
        attendee_client.post(url(event))
    assert Registration.objects.count() == 1


def test_it_adds_one_query_for_the_answers_of_an_event_with_questions(
    attendee_client, event, django_assert_max_num_queries
):
    questions = add_questions(event)
    data = {
        f"question_{questions['sector'].pk}": "Health",
        f"question_{questions['hopes'].pk}": "To learn",
    }
    with django_assert_max_num_queries(14):
        attendee_client.post(url(event), data)
    assert Answer.objects.count() == 2


def test_it_shows_the_form_in_a_fixed_number_of_queries(
    attendee_client, event, django_assert_max_num_queries
):
    add_questions(event)
    fill(event, confirmed=3, waiting=1)
    # The session, the person, whether their email is verified, the event with its counts,
    # whether they are registered already, and the questions.
    with django_assert_max_num_queries(6):
        response = attendee_client.get(url(event))
    assert "There are 7 places left" in response.content.decode()


def test_a_too_long_answer_is_explained_in_the_sites_words(attendee_client, event):
    questions = add_questions(event)
    response = attendee_client.post(
        url(event),
        {
            f"question_{questions['sector'].pk}": "Health",
            f"question_{questions['hopes'].pk}": "x" * 3001,
        },
    )
    body = response.content.decode()
    assert (
        "Your answer to “What would you like to get out of the day?” must be 3,000 characters "
        "or fewer (it has 3001)" in body
    )
    assert not Registration.objects.exists()
