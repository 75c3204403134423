"""This app's part of the home page and of the tag page (see failshare/home.py).

Their cards show no tags (``events/_home.html``, ``events/_tag.html``), so nothing here
prefetches them; a card that showed them would need ``prefetch_related("tags")``.
"""

from events.models import Event

HOME_EVENTS = 3
TAG_EVENTS = 20


def home() -> dict:
    return {"upcoming_events": Event.objects.upcoming().with_counts()[:HOME_EVENTS]}


def tag(tag) -> dict:
    # One tag: an event has it at most once (TaggedEvent's one_tag_per_event), so the join
    # cannot repeat an event or inflate its counts, and no distinct() is needed.
    tagged = Event.objects.filter(tags=tag).with_counts()
    return {
        "tagged_upcoming_events": tagged.upcoming()[:TAG_EVENTS],
        "tagged_past_events": tagged.past().with_resources()[:TAG_EVENTS],
    }


def shows_tag(tag) -> bool:
    """Whether an event with a public page has this tag."""
    return Event.objects.visible().filter(tags=tag).exists()
