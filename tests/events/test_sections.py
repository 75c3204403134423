"""Events on the home page and on tag pages."""

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.utils import timezone
from taggit.models import Tag

from events import sections
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


def test_it_renders_the_home_pages_event_section_in_one_query(django_assert_num_queries):
    for n in range(5):
        event = make_event(starts_at=timezone.now() + timedelta(days=n + 1))
        event.tags.set(["workshop", f"topic {n}"])
        fill(event, confirmed=1)
    with django_assert_num_queries(1):
        html = render_to_string("events/_home.html", sections.home())
    assert html.count('class="card event-card"') == sections.HOME_EVENTS


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


def test_it_renders_the_tag_pages_event_sections_in_two_queries(django_assert_num_queries):
    for n in range(-3, 4):
        event = make_event(starts_at=timezone.now() + timedelta(days=n * 10 + 1))
        event.tags.set(["shared", f"own {n}"])
        fill(event, confirmed=1)
    shared = Tag.objects.get(slug="shared")
    with django_assert_num_queries(2):  # upcoming, past
        html = render_to_string("events/_tag.html", sections.tag(shared))
    assert html.count('class="card event-card"') == 7


def test_it_lists_an_event_with_several_tags_once_with_its_true_counts():
    event = make_event(capacity=5)
    event.tags.set(["procurement", "digital", "consultation"])
    fill(event, confirmed=2, waiting=1)
    listed = list(sections.tag(Tag.objects.get(slug="digital"))["tagged_upcoming_events"])
    assert listed == [event]
    assert (listed[0].confirmed_count, listed[0].waiting_count) == (2, 1)
