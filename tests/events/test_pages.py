"""The public listing, past events and one event's page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import EventStatus, Registration
from tests.events.conftest import fill, make_event, make_user

pytestmark = pytest.mark.django_db


def h1_count(body: str) -> int:
    return len(re.findall(r"<h1[\s>]", body))


def test_it_lists_upcoming_events_soonest_first_with_their_places(client):
    now = timezone.now()
    later = make_event(title="Leeds workshop", starts_at=now + timedelta(days=60), capacity=20)
    full = make_event(title="Cardiff workshop", starts_at=now + timedelta(days=9), capacity=2)
    closed = make_event(
        title="Closed workshop",
        starts_at=now + timedelta(days=20),
        registration_closes_at=now - timedelta(hours=1),
    )
    make_event(title="A draft", status=EventStatus.DRAFT)
    make_event(title="Last year's", starts_at=now - timedelta(days=300))
    fill(full, confirmed=2, waiting=1)
    fill(later, confirmed=5)

    body = client.get("/events/").content.decode()

    assert h1_count(body) == 1
    assert body.index(full.title) < body.index(closed.title) < body.index(later.title)
    assert "15 places left" in body
    assert "Full: waiting list" in body
    assert "Registration closed" in body
    assert "A draft" not in body
    assert "Last year's" not in body


def test_it_lists_past_events_on_their_own_page_most_recent_first(client):
    now = timezone.now()
    older = make_event(title="Older one", starts_at=now - timedelta(days=300))
    recent = make_event(title="Recent one", starts_at=now - timedelta(days=10))
    make_event(title="Coming up")
    body = client.get("/events/past/").content.decode()
    assert h1_count(body) == 1
    assert body.index(recent.title) < body.index(older.title)
    assert "Coming up" not in body


@pytest.mark.parametrize("path", ["/events/", "/events/past/"])
def test_the_lists_run_a_fixed_number_of_queries(client, path, django_assert_max_num_queries):
    now = timezone.now()
    for days in [-40, -20, 10, 20, 30]:
        event = make_event(starts_at=now + timedelta(days=days))
        event.tags.set(["workshop", f"topic {days}"])
        fill(event, confirmed=2, waiting=1)
    # The "events" version (page cache), the paginator's count, the events, their tags.
    with django_assert_max_num_queries(4):
        response = client.get(path)
    assert "topic" in response.content.decode()


def test_the_list_pages_through_many_events(client):
    now = timezone.now()
    for day in range(1, 23):
        make_event(title=f"Event on day {day:02}", starts_at=now + timedelta(days=day))
    first = client.get("/events/").content.decode()
    second = client.get("/events/?page=2").content.decode()
    assert "Event on day 20" in first and "Event on day 21" not in first
    assert "Event on day 21" in second
    current = 'aria-current="page" class="pagination__current">'
    assert current + '<span class="visually-hidden">Page </span>2' in second


def test_it_shows_one_event_with_places_waiting_and_hashtag(client):
    event = make_event(capacity=3, hashtag="LearnFromFailure", organisers="The network")
    event.tags.set(["blameless reviews"])
    fill(event, confirmed=1)
    body = client.get(f"/events/{event.slug}/").content.decode()
    assert h1_count(body) == 1
    assert "3 in all, 2 left" in body
    assert "#LearnFromFailure" in body
    assert "The network" in body
    topics = body.split("<h2>Topics</h2>")[1]
    assert topics.lstrip().startswith('<ul class="tag-list" aria-label="Tags">')  # the shared list
    assert 'href="/tags/blameless-reviews/"' in topics
    assert "Register for a place" in body
    assert f'href="/events/{event.slug}/calendar.ics"' in body


def test_a_full_event_offers_the_waiting_list(client):
    event = make_event(capacity=1)
    fill(event, confirmed=1, waiting=2)
    body = client.get(f"/events/{event.slug}/").content.decode()
    assert "2 on the waiting list" in body
    assert "Join the waiting list" in body


def test_a_closed_event_offers_no_register_button(client):
    event = make_event(registration_closes_at=timezone.now() - timedelta(minutes=5))
    body = client.get(f"/events/{event.slug}/").content.decode()
    assert "Registration closed" in body
    assert f"/events/{event.slug}/register/" not in body


def test_a_cancelled_event_says_so(client):
    event = make_event(status=EventStatus.CANCELLED)
    body = client.get(f"/events/{event.slug}/").content.decode()
    assert "This event has been cancelled" in body
    assert f"/events/{event.slug}/register/" not in body


def test_drafts_and_unknown_events_are_not_found(client):
    draft = make_event(status=EventStatus.DRAFT)
    assert client.get(f"/events/{draft.slug}/").status_code == 404
    assert client.get("/events/no-such-event/").status_code == 404


def test_the_joining_link_is_shown_only_to_confirmed_attendees(client):
    link = "https://meet.example.org/secret-room"
    event = make_event(capacity=1, online_url=link, venue="")
    confirmed, waiting = fill(event, confirmed=1, waiting=1)
    outsider = make_user()

    assert link not in client.get(f"/events/{event.slug}/").content.decode()
    for person in [waiting.user, outsider]:
        client.force_login(person)
        assert link not in client.get(f"/events/{event.slug}/").content.decode()
    client.force_login(confirmed.user)
    assert link in client.get(f"/events/{event.slug}/").content.decode()


def test_the_event_page_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    event = make_event()
    event.tags.set(["one", "two", "three"])
    fill(event, confirmed=3, waiting=2)
    with django_assert_max_num_queries(3):  # the "events" version, the event, its tags
        client.get(f"/events/{event.slug}/")
    client.force_login(make_user())
    with django_assert_max_num_queries(5):
        client.get(f"/events/{event.slug}/")


@pytest.mark.parametrize("path", ["/events/", "/events/past/", "/events/{slug}/"])
def test_the_public_pages_refuse_writes(client, event, path):
    assert client.post(path.format(slug=event.slug)).status_code == 405


def test_a_signed_in_person_sees_their_own_place(client, event):
    registration = Registration.objects.create(event=event, user=make_user(), status="confirmed")
    client.force_login(registration.user)
    body = client.get(f"/events/{event.slug}/").content.decode()
    assert "You have a place" in body
    assert f'href="/events/{event.slug}/cancel/"' in body


def test_an_event_written_in_welsh_is_marked_with_its_language(client):
    event = make_event(title="Dysgu o fethiant", language="cy")
    body = client.get(event.get_absolute_url()).content.decode()
    assert '<h1 lang="cy">Dysgu o fethiant</h1>' in body
    listing = client.get("/events/").content.decode()
    assert f'<a href="{event.get_absolute_url()}" lang="cy">Dysgu o fethiant</a>' in listing
