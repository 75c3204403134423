from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from events.models import Event, EventStatus, Question, QuestionKind, Registration
from tests.events.conftest import fill, make_event

pytestmark = pytest.mark.django_db


def state_of(event: Event) -> str:
    return Event.objects.with_counts().get(pk=event.pk).registration_state()


def test_it_lists_upcoming_published_events_soonest_first():
    now = timezone.now()
    later = make_event(starts_at=now + timedelta(days=20))
    sooner = make_event(starts_at=now + timedelta(days=2))
    make_event(starts_at=now + timedelta(days=5), status=EventStatus.DRAFT)
    make_event(starts_at=now + timedelta(days=6), status=EventStatus.CANCELLED)
    past = make_event(starts_at=now - timedelta(days=3))
    assert list(Event.objects.upcoming()) == [sooner, later]
    assert list(Event.objects.past()) == [past]


def test_it_keeps_an_event_upcoming_until_it_ends():
    happening = make_event(starts_at=timezone.now() - timedelta(hours=1))
    assert list(Event.objects.upcoming()) == [happening]
    assert state_of(happening) == "closed"


def test_it_counts_confirmed_and_waiting_in_one_query(django_assert_num_queries):
    event = make_event(capacity=2)
    fill(event, confirmed=2, waiting=3)
    with django_assert_num_queries(1):
        counted = Event.objects.with_counts().get(pk=event.pk)
    assert (counted.confirmed_count, counted.waiting_count, counted.places_left) == (2, 3, 0)


@pytest.mark.parametrize(
    ("fields", "confirmed", "state"),
    [
        ({}, 0, "open"),
        ({}, 10, "waiting-list"),
        ({"capacity": None}, 50, "open"),
        ({"status": EventStatus.CANCELLED}, 0, "cancelled"),
        ({"registration_opens_at": timezone.now() + timedelta(days=1)}, 0, "not-open-yet"),
        ({"registration_closes_at": timezone.now() - timedelta(minutes=1)}, 0, "closed"),
        ({"starts_at": timezone.now() - timedelta(days=2)}, 0, "past"),
    ],
)
def test_it_says_what_the_public_can_do(fields, confirmed, state):
    event = make_event(**fields)
    fill(event, confirmed=confirmed)
    assert state_of(event) == state


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"ends_at": timezone.now() + timedelta(days=29)}, "ends_at"),
        ({"venue": "", "online_url": ""}, "venue"),
        ({"registration_closes_at": timezone.now() + timedelta(days=31)}, "registration_closes_at"),
        ({"registration_opens_at": timezone.now() + timedelta(days=40)}, "registration_opens_at"),
        ({"capacity": 0}, "capacity"),
        ({"hashtag": "two words"}, "hashtag"),
    ],
)
def test_it_refuses_an_event_that_makes_no_sense(fields, field):
    with pytest.raises(ValidationError) as error:
        make_event(starts_at=timezone.now() + timedelta(days=30), **fields)
    assert field in error.value.message_dict


def test_it_stores_the_hashtag_without_its_hash():
    assert make_event(hashtag="#LearnFromFailure").hashtag == "LearnFromFailure"


@pytest.mark.parametrize(
    ("kind", "choices", "valid"),
    [
        (QuestionKind.ONE_CHOICE, "Yes\nNo", True),
        (QuestionKind.ONE_CHOICE, "Only one", False),
        (QuestionKind.SEVERAL_CHOICES, "", False),
        (QuestionKind.SHORT, "", True),
        (QuestionKind.LONG, "A\nB", False),
    ],
)
def test_it_checks_a_questions_choices_fit_its_kind(event, kind, choices, valid):
    question = Question(event=event, label="Q", kind=kind, choices=choices)
    if valid:
        question.full_clean()
    else:
        with pytest.raises(ValidationError):
            question.full_clean()


def test_it_numbers_the_waiting_list_in_arrival_order():
    event = make_event(capacity=1)
    fill(event, confirmed=1, waiting=3)
    positions = list(
        Registration.objects.filter(event=event)
        .with_waiting_position()
        .values_list("status", "waiting_position")
    )
    assert positions == [("confirmed", None), ("waiting", 1), ("waiting", 2), ("waiting", 3)]
