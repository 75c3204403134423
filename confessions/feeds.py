import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed

from confessions.models import Confession

FEED_ITEMS = 30


def month_start(month: datetime.date) -> datetime.datetime:
    """Stories are dated to the month in public: the first of it, at midnight UTC."""
    return datetime.datetime.combine(month, datetime.time.min, tzinfo=datetime.UTC)


class LatestConfessionsFeed(Feed):
    feed_type = Atom1Feed
    title = f"{settings.SITE_NAME}: stories of what went wrong"
    subtitle = "The latest anonymous stories from public services, and what people learned."
    link = reverse_lazy("confessions:list")
    author_name = settings.SITE_NAME
    # Atom summaries are HTML: the template escapes the story text, never interprets it.
    description_template = "confessions/feed_description.html"

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
