"""This app's part of the home page and of the tag page (see failshare/home.py)."""

from django.contrib.contenttypes.models import ContentType
from taggit.models import TaggedItem

from confessions.browse import facet_table, published_count_for_tag
from confessions.cards import cards
from confessions.models import Confession

HOME_STORIES = 5
TAG_STORIES = 20


def home() -> dict:
    latest = Confession.objects.published().sorted_by("newest")[:HOME_STORIES]
    return {"latest_confessions": cards(latest)}


def tag(tag) -> dict:
    stories = Confession.objects.published().tagged(tag.id).sorted_by("newest")
    return {
        "tagged_confessions": cards(stories[:TAG_STORIES]),
        "tagged_confession_count": published_count_for_tag(tag.id),
    }


def hides_tag(tag) -> bool:
    """True for a tag known only from unpublished stories: its name must not be shown yet."""
    if tag.id in facet_table()["tags"]:
        return False
    story_type = ContentType.objects.get_for_model(Confession)
    return not TaggedItem.objects.filter(tag=tag).exclude(content_type=story_type).exists()
