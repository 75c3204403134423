"""The iCalendar file of an event, for calendar apps and email attachments."""

from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext

from events.models import Event, EventStatus

LONDON = ZoneInfo("Europe/London")


def event_uid(event: Event) -> str:
    """Stable for the life of the event, so a second download updates the same calendar entry."""
    return f"event-{event.pk}@{urlsplit(settings.SITE_URL).hostname or 'failshare'}"


def event_location(event: Event, *, with_online_link: bool) -> str:
    place = ", ".join(part for part in [event.venue, event.address_one_line, event.city] if part)
    if event.online_url:
        # Translators: an event's place in a calendar file, for people without the joining link.
        hidden = gettext("Online (link sent to attendees)")
        online = event.online_url if with_online_link else hidden
        place = f"{place} / {online}" if place else online
    return place


def event_calendar(event: Event, *, with_online_link: bool) -> bytes:
    """The joining link is only for confirmed attendees: others get the event page instead."""
    page_url = settings.SITE_URL + event.get_absolute_url()
    # Translators: in a calendar entry's description: the event's web page.
    details = gettext("Details: %(url)s") % {"url": page_url}
    description = [event.summary, "", event.description, "", details]
    if event.online_url and with_online_link:
        # Translators: in a calendar entry's description: the online joining link.
        description += [gettext("Join online: %(url)s") % {"url": event.online_url}]
    if event.hashtag:
        # Translators: in a calendar entry's description, e.g. "Hashtag: #LearnFromFailure".
        description += [gettext("Hashtag: #%(hashtag)s") % {"hashtag": event.hashtag}]

    vevent = icalendar.Event()
    vevent.add("uid", event_uid(event))
    vevent.add("dtstamp", timezone.now())
    vevent.add("last-modified", event.updated_at)
    # Rises with every change to the event, so calendars replace the entry they hold.
    vevent.add("sequence", max(0, int((event.updated_at - event.created_at).total_seconds())))
    vevent.add("dtstart", event.starts_at.astimezone(LONDON))
    vevent.add("dtend", event.ends_at.astimezone(LONDON))
    vevent.add("summary", event.title)
    vevent.add("description", "\n".join(description).strip())
    vevent.add("location", event_location(event, with_online_link=with_online_link))
    vevent.add("url", event.online_url if event.online_url and with_online_link else page_url)
    vevent.add("status", "CANCELLED" if event.status == EventStatus.CANCELLED else "CONFIRMED")

    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{settings.SITE_NAME}//events//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add_component(vevent)
    # Only the years the event touches: keeps the time-zone block short.
    calendar.add_missing_timezones(
        first_date=event.starts_at.date().replace(month=1, day=1),
        last_date=event.ends_at.date().replace(year=event.ends_at.year + 1, month=1, day=1),
    )
    return calendar.to_ical()
