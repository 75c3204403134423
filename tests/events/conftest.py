"""Personas and event makers shared by the events tests."""

import itertools
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, User
from django.utils import timezone

from events.models import Event, EventStatus, Question, QuestionKind, Registration

PASSWORD = "learning-from-failure-42"
_numbers = itertools.count(1)


def make_user(
    email: str | None = None, *, verified: bool = True, password: str | None = None, **extra
) -> User:
    """Without a password unless asked: hashing one takes a noticeable time."""
    number = next(_numbers)
    email = email or f"person{number}@example.org"
    user = User.objects.create_user(f"user{number}", email, password, **extra)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
    return user


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
def attendee(db) -> User:
    return make_user("sam.attendee@example.org", first_name="Sam", last_name="Jones")


@pytest.fixture
def attendee_client(client, attendee):
    client.force_login(attendee)
    return client


@pytest.fixture
def organiser(db) -> User:
    user = make_user("olu.organiser@example.org", is_staff=True)
    user.groups.add(Group.objects.get(name="Organisers"))
    return user


@pytest.fixture
def organiser_client(client, organiser):
    client.force_login(organiser)
    return client


@pytest.fixture
def outsider_staff(db) -> User:
    """Staff, but in no group: sees the admin, none of its events."""
    return make_user("out.sider@example.org", is_staff=True)


@pytest.fixture
def event(db) -> Event:
    return make_event()
