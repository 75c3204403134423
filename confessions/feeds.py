import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.translation import gettext

from confessions.models import Confession, StoryResponse

FEED_ITEMS = 30


def month_start(month: datetime.date) -> datetime.datetime:
    """Stories are dated to the month in public: the first of it, at midnight UTC."""
    return datetime.datetime.combine(month, datetime.time.min, tzinfo=datetime.UTC)


class LatestConfessionsFeed(Feed):
    feed_type = Atom1Feed
    link = reverse_lazy("confessions:list")
    author_name = settings.SITE_NAME
    # Atom summaries are HTML: the template escapes the story text, never interprets it.
    description_template = "confessions/feed_description.html"

    def title(self):
        return gettext("%(site)s: stories of what went wrong") % {"site": settings.SITE_NAME}

    def subtitle(self):
        return gettext(
            "The latest anonymous stories from public services, and what people learned."
        )

    def items(self):
        latest = (
            Confession.objects.published()
            .sorted_by("newest")
            .only("slug", "title", "sector", "published_month", "what_we_learned")[:FEED_ITEMS]
        )
        return latest.prefetch_related("tags")

    def item_title(self, item):
        return item.title

    def item_pubdate(self, item):
        return month_start(item.published_month)

    def item_updateddate(self, item):
        return month_start(item.published_month)

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()]


class StoryResponsesFeed(Feed):
    """The published responses under one story, newest first, dated to the month."""

    feed_type = Atom1Feed
    author_name = settings.SITE_NAME
    description_template = "confessions/feed_response_description.html"

    def get_object(self, request, slug):
        return get_object_or_404(Confession.objects.published().only("slug", "title"), slug=slug)

    def title(self, obj):
        return gettext("%(site)s: responses to “%(title)s”") % {
            "site": settings.SITE_NAME,
            "title": obj.title,
        }

    def link(self, obj):
        return obj.get_absolute_url()

    def feed_url(self, obj):
        return reverse("confessions:responses_feed", args=[obj.slug])

    def items(self, obj):
        responses = StoryResponse.objects.published().filter(confession=obj)
        latest = responses.order_by("-published_month", "-id")[:FEED_ITEMS]
        return [setattr(response, "confession", obj) or response for response in latest]

    def item_title(self, item):
        return gettext("Response from %(month)s") % {
            "month": date_format(item.published_month, "F Y")
        }

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return month_start(item.published_month)

    def item_updateddate(self, item):
        return month_start(item.published_month)
