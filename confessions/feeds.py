import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape, linebreaks

from confessions.cards import attach_tags
from confessions.models import Confession

FEED_ITEMS = 30


def month_start(month: datetime.date) -> datetime.datetime:
    """Stories are dated to the month in public: the first of it, at midnight UTC."""
    return datetime.datetime.combine(month, datetime.time.min, tzinfo=datetime.UTC)


class LatestConfessionsFeed(Feed):
    feed_type = Atom1Feed
    title = f"{settings.SITE_NAME}: stories of what went wrong"
    subtitle = "The latest anonymous stories from public services, and what people learned."
    link = "/confessions/"
    author_name = settings.SITE_NAME

    def items(self):
        latest = (
            Confession.objects.published()
            .sorted_by("newest")
            .only("slug", "title", "sector", "published_month", "what_we_learned")[:FEED_ITEMS]
        )
        return attach_tags(list(latest))

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Atom summaries are HTML: the story text is escaped, never interpreted.
        sector = escape(item.get_sector_display())
        lessons = linebreaks(item.what_we_learned, autoescape=True)
        return f"<p>{sector}</p><h2>What we learned</h2>{lessons}"

    def item_pubdate(self, item):
        return month_start(item.published_month)

    def item_updateddate(self, item):
        return month_start(item.published_month)

    def item_categories(self, item):
        return [tag.name for tag in item.tag_list]
