"""Hostile input at the events: the answers to each kind of question, the lists' page numbers,
events' addresses: never a 500, answers echoed only as text, and a registration made only when
the form took it, with exactly the answers it accepted."""

from urllib.parse import quote

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from events.forms import RegistrationForm, field_name
from events.models import Registration
from tests.events.conftest import add_questions, make_event, make_user
from tests.fuzz.strategies import CACHE_KEYS_STAY_VALID, any_text, assert_escaped, fuzz_settings

pytestmark = [
    pytest.mark.django_db,
    CACHE_KEYS_STAY_VALID,
]

FUZZ = fuzz_settings(60)


@pytest.fixture
def workshop():
    event = make_event(title="Learning from failure in Leeds", capacity=3)
    return event, add_questions(event)


@pytest.fixture
def attendee_client(client):
    attendee = make_user("sam@example.org")
    client.force_login(attendee)
    return client


def answers_for(questions) -> st.SearchStrategy[dict]:
    """A value (or several) for any of the questions, of every kind, often hostile."""
    sector = questions["sector"].choice_list
    topics = questions["topics"].choice_list
    return st.fixed_dictionaries(
        {},
        optional={
            field_name(questions["sector"]): any_text | st.sampled_from(sector),
            field_name(questions["hopes"]): any_text,
            field_name(questions["topics"]): st.lists(
                any_text | st.sampled_from(topics), max_size=4
            ),
            field_name(questions["diet"]): any_text,
        },
    )


@FUZZ
@given(data=st.data())
def test_no_answer_to_any_kind_of_question_fails_or_registers_what_was_refused(
    attendee_client, workshop, data
):
    event, questions = workshop
    answers = data.draw(answers_for(questions), label="answers")
    response = attendee_client.post(f"/events/{event.slug}/register/", answers)
    assert response.status_code in (200, 302)
    body = response.content.decode()
    for value in answers.values():
        for one in value if isinstance(value, list) else [value]:
            assert_escaped(body, one)

    registrations = list(Registration.objects.filter(event=event))
    if response.status_code == 200:
        assert registrations == []
        return
    form = RegistrationForm(list(event.questions.all()), _as_query(answers))
    assert form.is_valid()
    [registration] = registrations
    stored = {a.question_id: a.value for a in registration.answers.all()}
    assert stored == {question.pk: value for question, value in form.answers()}
    registration.delete()  # the next example registers again


def _as_query(answers: dict):
    from django.utils.datastructures import MultiValueDict

    return MultiValueDict({k: v if isinstance(v, list) else [v] for k, v in answers.items()})


@FUZZ
@given(page=any_text | st.integers(-(10**30), 10**30).map(str), other=any_text)
def test_the_event_lists_take_any_page_number(client, page, other):
    make_event(title="Learning from failure in Leeds")
    for path in ("/events/", "/events/past/"):
        response = client.get(path, {"page": page, other[:20] or "x": other})
        assert response.status_code == 200
        assert_escaped(response.content.decode(), page)


@FUZZ
@given(slug=any_text)
def test_any_event_address_is_found_or_not_found(client, slug):
    assume(slug not in ("mine", "past"))  # the fixed pages of the events section
    make_event(title="Learning from failure in Leeds")
    quoted = quote(slug, safe="")
    for path in (f"/events/{quoted}/", f"/events/{quoted}/calendar.ics"):
        response = client.get(path)
        assert response.status_code in (200, 404)
        assert_escaped(response.content.decode(), slug)
    signed_out = client.post(f"/events/{quoted}/register/", {"x": slug})
    # Sent to sign in first; an address too long to come back to is refused (Django's limit).
    assert signed_out.status_code in (302, 400, 404)
