from datetime import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest

from events.models import EventStatus, Registration
from tests.events.conftest import make_event, make_user

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
LINK = "https://meet.example.org/private-room"


@pytest.fixture
def summer_event():
    return make_event(
        title="Learning from failure: Cardiff",
        starts_at=datetime(2030, 8, 14, 10, 0, tzinfo=LONDON),
        online_url=LINK,
    )


def calendar_event(response) -> icalendar.Event:
    calendar = icalendar.Calendar.from_ical(response.content)
    return calendar.walk("VEVENT")[0]


def test_it_serves_an_icalendar_file_in_uk_time(client, summer_event):
    response = client.get(f"/events/{summer_event.slug}/calendar.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert f'filename="{summer_event.slug}.ics"' in response["Content-Disposition"]
    vevent = calendar_event(response)
    assert str(vevent["summary"]) == "Learning from failure: Cardiff"
    assert vevent.decoded("dtstart") == datetime(2030, 8, 14, 10, 0, tzinfo=LONDON)
    assert vevent["dtstart"].params["TZID"] == "Europe/London"
    assert b"BEGIN:VTIMEZONE" in response.content
    assert b"TZID:Europe/London" in response.content
    assert "Temple of Peace" in str(vevent["location"])
    assert str(vevent["url"]).endswith(f"/events/{summer_event.slug}/")


def test_its_uid_stays_the_same_between_downloads(client, summer_event):
    first = calendar_event(client.get(f"/events/{summer_event.slug}/calendar.ics"))
    summer_event.title = "Renamed"
    summer_event.save()
    second = calendar_event(client.get(f"/events/{summer_event.slug}/calendar.ics"))
    assert str(first["uid"]) == str(second["uid"])
    assert str(first["uid"]).startswith(f"event-{summer_event.pk}@")


def test_the_joining_link_is_only_in_a_confirmed_attendees_file(client, summer_event):
    assert LINK.encode() not in client.get(f"/events/{summer_event.slug}/calendar.ics").content
    waiting = Registration.objects.create(event=summer_event, user=make_user(), status="waiting")
    client.force_login(waiting.user)
    assert LINK.encode() not in client.get(f"/events/{summer_event.slug}/calendar.ics").content
    confirmed = Registration.objects.create(
        event=summer_event, user=make_user(), status="confirmed"
    )
    client.force_login(confirmed.user)
    response = client.get(f"/events/{summer_event.slug}/calendar.ics")
    assert LINK in str(calendar_event(response)["location"])
    assert "no-store" in response["Cache-Control"]


def test_a_cancelled_events_file_says_so(client):
    event = make_event(status=EventStatus.CANCELLED)
    vevent = calendar_event(client.get(f"/events/{event.slug}/calendar.ics"))
    assert str(vevent["status"]) == "CANCELLED"


def test_drafts_have_no_file(client):
    draft = make_event(status=EventStatus.DRAFT)
    assert client.get(f"/events/{draft.slug}/calendar.ics").status_code == 404


def test_it_refuses_writes(client, summer_event):
    assert client.post(f"/events/{summer_event.slug}/calendar.ics").status_code == 405


def test_its_sequence_rises_when_the_event_changes(summer_event):
    from datetime import timedelta

    from events.ical import event_calendar

    def sequence() -> int:
        calendar = icalendar.Calendar.from_ical(
            event_calendar(summer_event, with_online_link=False)
        )
        return int(calendar.walk("VEVENT")[0]["sequence"])

    summer_event.updated_at = summer_event.created_at
    first = sequence()
    assert first == 0
    summer_event.updated_at = summer_event.created_at + timedelta(minutes=5)
    assert sequence() > first
