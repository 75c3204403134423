"""This app's part of the home page and of the tag page (used by failshare/views.py)."""

from django.urls import reverse
from django.utils.http import urlencode

from confessions.browse import facet_table, published_count_for_tag
from confessions.models import Confession
from confessions.resources.models import Resource

HOME_STORIES = 5
TAG_STORIES = 20
TAG_RESOURCES = 10


def home() -> dict:
    latest = Confession.objects.published().sorted_by("newest").for_cards()[:HOME_STORIES]
    return {"latest_confessions": latest}


def tag(tag) -> dict:
    stories = Confession.objects.published().tagged(tag.id).sorted_by("newest").for_cards()
    return {
        "tagged_confessions": stories[:TAG_STORIES],
        "tagged_confession_count": published_count_for_tag(tag.id),
        "tagged_confessions_url": f"{reverse('confessions:list')}?{urlencode({'tag': tag.slug})}",
        "tagged_resources": Resource.objects.approved()
        .tagged(tag.id)
        .prefetch_related("tags")[:TAG_RESOURCES],
    }


def shows_tag(tag) -> bool:
    """Whether a published story or resource has this tag."""
    return tag.id in facet_table()["tags"] or Resource.objects.approved().tagged(tag.id).exists()
