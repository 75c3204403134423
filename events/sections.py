"""This app's part of the home page and of the tag page (see failshare/home.py)."""

from events.models import Event

HOME_EVENTS = 3
TAG_EVENTS = 20


def home() -> dict:
    return {"upcoming_events": Event.objects.upcoming().with_counts()[:HOME_EVENTS]}


def tag(tag) -> dict:
    tagged = Event.objects.filter(tags__slug=tag.slug).with_counts()
    return {
        "tagged_upcoming_events": tagged.upcoming()[:TAG_EVENTS],
        "tagged_past_events": tagged.past()[:TAG_EVENTS],
    }
