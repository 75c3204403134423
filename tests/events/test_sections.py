"""Events on the home page and on tag pages."""

from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import EventStatus
from tests.events.conftest import fill, make_event

pytestmark = pytest.mark.django_db


def test_the_home_page_shows_the_next_events(client):
    now = timezone.now()
    events = [
        make_event(title=f"Workshop {n}", starts_at=now + timedelta(days=n)) for n in (3, 1, 2, 9)
    ]
    make_event(title="Hidden draft", status=EventStatus.DRAFT)
    fill(events[1], confirmed=10)
    body = client.get("/").content.decode()
    assert "Upcoming events" in body
    assert body.index("Workshop 1") < body.index("Workshop 2") < body.index("Workshop 3")
    assert "Workshop 9" not in body
    assert "Hidden draft" not in body
    assert "Full: waiting list" in body


def test_the_home_page_says_when_nothing_is_planned(client):
    assert "No events are planned just now." in client.get("/").content.decode()


def test_the_home_pages_event_section_costs_one_query(client, django_assert_num_queries):
    from events.sections import home

    for n in range(5):
        fill(make_event(starts_at=timezone.now() + timedelta(days=n + 1)), confirmed=1)
    with django_assert_num_queries(1):
        list(home()["upcoming_events"])


def test_a_tag_page_lists_upcoming_and_past_events_with_that_tag(client):
    now = timezone.now()
    upcoming = make_event(title="Procurement workshop")
    upcoming.tags.set(["procurement"])
    past = make_event(title="Procurement last year", starts_at=now - timedelta(days=200))
    past.tags.set(["procurement", "digital"])
    other = make_event(title="Digital only")
    other.tags.set(["digital"])
    draft = make_event(title="Draft procurement", status=EventStatus.DRAFT)
    draft.tags.set(["procurement"])

    body = client.get("/tags/procurement/").content.decode()

    assert "Procurement workshop" in body
    assert body.index("Procurement workshop") < body.index("Past events")
    assert body.index("Past events") < body.index("Procurement last year")
    assert "Digital only" not in body
    assert "Draft procurement" not in body


def test_the_tag_pages_event_sections_cost_a_fixed_number_of_queries(
    django_assert_num_queries,
):
    from taggit.models import Tag

    from events.sections import tag

    for n in range(-3, 4):
        event = make_event(starts_at=timezone.now() + timedelta(days=n * 10 + 1))
        event.tags.set(["shared", f"own {n}"])
    shared = Tag.objects.get(slug="shared")
    with django_assert_num_queries(2):
        sections = tag(shared)
        assert len(list(sections["tagged_upcoming_events"])) == 4
        assert len(list(sections["tagged_past_events"])) == 3
