"""Anonymous pages come from the cache, and show a change at once."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from events import services, views
from events.models import EventStatus, Registration
from failshare.models import NAMESPACES, ContentVersion
from tests.events.conftest import make_event, make_user

pytestmark = pytest.mark.django_db


def places(client, event) -> str:
    body = client.get(f"/events/{event.slug}/").content.decode()
    return body.split("<dt>Places</dt>")[1].split("</dd>")[0]


def test_anonymous_event_pages_are_served_from_the_cache(client, event, django_assert_num_queries):
    client.get(f"/events/{event.slug}/")
    client.get("/events/")
    with django_assert_num_queries(2):  # one each: the current "events" version
        client.get(f"/events/{event.slug}/")
        client.get("/events/")


def test_a_registration_shows_at_once_in_places_left(
    client, event, django_capture_on_commit_callbacks
):
    assert "10 left" in places(client, event)
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.registration_create(event=event, user=make_user())
    assert "9 left" in places(client, event)
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=registration)
    assert "10 left" in places(client, event)


def test_a_change_in_the_admin_shows_at_once(client, event, django_capture_on_commit_callbacks):
    assert "10 in all" in places(client, event)
    event.capacity = 12
    with django_capture_on_commit_callbacks(execute=True):
        services.event_save(event=event)
    assert "12 in all" in places(client, event)
    with django_capture_on_commit_callbacks(execute=True):
        services.event_cancel(event=event)
    assert "This event has been cancelled" in client.get(f"/events/{event.slug}/").content.decode()
    assert event.title not in client.get("/events/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_page_built_while_a_registration_is_uncommitted_is_not_kept(client):
    # The flush after an earlier transactional test empties the versions' table.
    for namespace in NAMESPACES:
        ContentVersion.objects.get_or_create(namespace=namespace, defaults={"version": 0})
    event = make_event()
    person = make_user()
    registered, commit = threading.Event(), threading.Event()

    def register_then_wait_to_commit():
        try:
            with transaction.atomic():
                services.registration_create(event=event, user=person)
                registered.set()
                commit.wait(timeout=10)
        finally:
            connection.close()

    other = threading.Thread(target=register_then_wait_to_commit)
    other.start()
    try:
        assert registered.wait(timeout=10)
        assert "10 left" in places(client, event)  # built and cached before the commit
    finally:
        commit.set()
        other.join(timeout=10)
    assert Registration.objects.filter(event=event).count() == 1
    assert "9 left" in places(client, event)


def test_signed_in_people_see_their_own_page_not_the_cached_one(client, event):
    client.get(f"/events/{event.slug}/")
    registration = Registration.objects.create(event=event, user=make_user(), status="confirmed")
    client.force_login(registration.user)
    assert "You have a place" in client.get(f"/events/{event.slug}/").content.decode()


def test_states_that_change_by_the_clock_do_not_stay_stale(client, monkeypatch):
    assert views.PAGE_CACHE_SECONDS <= 30, "a stale state must not outlive a short wait"
    # Within the page cache's time, and far enough ahead that the first request comes before it.
    opens = timezone.now() + timedelta(seconds=views.PAGE_CACHE_SECONDS - 1)
    event = make_event(registration_opens_at=opens)
    assert "Registration opens" in client.get(f"/events/{event.slug}/").content.decode()

    later = views.PAGE_CACHE_SECONDS + 1
    real_time, real_now = time.time, timezone.now
    monkeypatch.setattr(time, "time", lambda: real_time() + later)
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(seconds=later))

    body = client.get(f"/events/{event.slug}/").content.decode()
    assert "Registration opens" not in body
    assert "Register for a place" in body


def test_draft_pages_appear_once_published(client, django_capture_on_commit_callbacks):
    event = make_event(status=EventStatus.DRAFT)
    assert client.get(f"/events/{event.slug}/").status_code == 404
    event.status = EventStatus.PUBLISHED
    with django_capture_on_commit_callbacks(execute=True):
        services.event_save(event=event)
    assert client.get(f"/events/{event.slug}/").status_code == 200
