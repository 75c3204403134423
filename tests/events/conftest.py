"""Event makers shared by the events tests (the personas are in tests/conftest.py)."""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import Event, EventStatus, Question, QuestionKind, Registration
from tests.people import PASSWORD, make_user  # noqa: F401 - used by the events tests

_numbers = itertools.count(1)


def make_event(**fields) -> Event:
    number = next(_numbers)
    starts = fields.pop("starts_at", timezone.now() + timedelta(days=30))
    values = {
        "title": f"Learning from failure workshop {number}",
        "slug": f"workshop-{number}",
        "summary": "A day on what went wrong and what we learned.",
        "description": "Bring a project that went wrong.",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=6),
        "venue": "Temple of Peace",
        "address": "King Edward VII Avenue\nCardiff CF10 3AP",
        "city": "Cardiff",
        "capacity": 10,
        "status": EventStatus.PUBLISHED,
        **fields,
    }
    event = Event(**values)
    event.full_clean()
    event.save()
    return event


def add_questions(event: Event) -> dict[str, Question]:
    questions = {
        "sector": Question(
            event=event,
            label="Which sector do you work in?",
            kind=QuestionKind.ONE_CHOICE,
            choices="Local government\nHealth\nCharity",
            order=1,
        ),
        "hopes": Question(
            event=event,
            label="What would you like to get out of the day?",
            help_text="A sentence or two.",
            kind=QuestionKind.LONG,
            order=2,
        ),
        "topics": Question(
            event=event,
            label="Which topics interest you?",
            kind=QuestionKind.SEVERAL_CHOICES,
            choices="Procurement\nDigital\nConsultation",
            required=False,
            order=3,
        ),
        "diet": Question(
            event=event,
            label="Dietary needs",
            kind=QuestionKind.SHORT,
            required=False,
            order=4,
        ),
    }
    for question in questions.values():
        question.full_clean()
        question.save()
    return questions


def fill(event: Event, *, confirmed: int, waiting: int = 0) -> list[Registration]:
    """Registrations made directly, in arrival order, for setting the scene."""
    statuses = ["confirmed"] * confirmed + ["waiting"] * waiting
    return [
        Registration.objects.create(event=event, user=make_user(), status=status)
        for status in statuses
    ]


@pytest.fixture
def event(db) -> Event:
    return make_event()
