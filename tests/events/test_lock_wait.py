"""Registering, cancelling and "I can no longer come" wait a short while for a held lock, then
answer the "briefly unavailable" page; nothing is half-written, and sending again works."""

import threading
import time

import psycopg
import pytest
from django.db import connection
from django.test import Client

from events import services
from events.models import Registration
from tests.events.conftest import make_event, make_user

pytestmark = pytest.mark.django_db(transaction=True)

SHORT_WAIT_MS = 400


class RowHeld:
    """Another connection holds the event's row (as a rush or an organiser's change would)."""

    def __init__(self, event):
        self.event = event
        self.locked = threading.Event()
        self.release = threading.Event()

    def _hold(self):
        params = connection.get_connection_params()
        with psycopg.connect(**{k: v for k, v in params.items() if k != "cursor_factory"}) as other:
            other.execute("SELECT 1 FROM events_event WHERE id = %s FOR UPDATE", [self.event.pk])
            self.locked.set()
            self.release.wait(timeout=30)

    def __enter__(self):
        self.thread = threading.Thread(target=self._hold)
        self.thread.start()
        assert self.locked.wait(timeout=10)
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.thread.join(timeout=30)


def signed_in(person) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(person)
    return client


def test_a_registration_behind_a_held_lock_gets_the_busy_page_in_the_short_wait(settings):
    settings.REGISTRATION_LOCK_TIMEOUT_MS = SHORT_WAIT_MS
    event = make_event()
    client = signed_in(make_user())
    url = f"/events/{event.slug}/register/"
    with RowHeld(event):
        started = time.monotonic()
        response = client.post(url)
        waited = time.monotonic() - started
    assert response.status_code == 503
    assert "briefly unavailable" in response.content.decode()
    # Far less than the web requests' own lock timeout: the short wait is what answered.
    assert SHORT_WAIT_MS / 1000 <= waited < 3, waited
    assert not Registration.objects.exists()

    assert client.post(url).status_code == 302  # sent again once the lock is gone
    assert Registration.objects.count() == 1


def test_a_cancellation_behind_a_held_lock_gets_the_busy_page_and_keeps_the_place(settings):
    settings.REGISTRATION_LOCK_TIMEOUT_MS = SHORT_WAIT_MS
    event = make_event()
    person = make_user()
    registration = services.registration_create(event=event, user=person)
    client = signed_in(person)
    with RowHeld(event):
        response = client.post(f"/events/{event.slug}/cancel/")
    assert response.status_code == 503
    registration.refresh_from_db()
    assert registration.is_live


def test_the_short_wait_ends_with_the_request_and_other_writes_keep_their_own(settings):
    settings.REGISTRATION_LOCK_TIMEOUT_MS = SHORT_WAIT_MS
    event = make_event()
    signed_in(make_user()).post(f"/events/{event.slug}/register/")
    with connection.cursor() as cursor:
        cursor.execute("SELECT extract(epoch FROM current_setting('lock_timeout')::interval)")
        assert cursor.fetchone()[0] * 1000 == settings.LOCK_TIMEOUT_MS != SHORT_WAIT_MS
