"""Story cards: the stories of one page, each with its tags as ``tag_list``, in one query.

taggit's prefetch builds and throws away a filtered QuerySet for every story (about 0.7 ms a
story when measured, most of a list page's time); reading (story, slug, name) rows does the same
job for the whole page at once.
"""

import datetime
from collections import defaultdict
from functools import lru_cache
from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from taggit.models import TaggedItem

from confessions.models import Confession, Sector
from failshare.html import format_html_quickly

SECTOR_LABELS = dict(Sector.choices)


class TagLink(NamedTuple):
    slug: str
    name: str


@lru_cache(maxsize=1024)
def month_label(month: datetime.date) -> str:
    """ "March 2026": formatting a date is a good part of rendering a card, and months repeat."""
    return date_format(month, "F Y")


@lru_cache(maxsize=4096)
def tag_item(tag: TagLink) -> SafeString:
    """One tag of a card's tag list: tags repeat across cards, and a template loop over each
    card's tags is a good part of rendering a list."""
    return format_html_quickly(
        '<li><a class="tag" href="/tags/{}/">{}</a></li>', tag.slug, tag.name
    )


def attach_tags(stories: list, tags_by_story: dict[int, list[TagLink]] | None = None) -> list:
    """Set ``tag_list`` (from ``tags_by_story`` if given, else from one query) and
    ``month_label``, ``sector_label`` and ``tag_items`` (the tag list's HTML) on each story."""
    if tags_by_story is None:
        tags_by_story = defaultdict(list)
        if stories:
            rows = (
                TaggedItem.objects.filter(
                    content_type=ContentType.objects.get_for_model(Confession),
                    object_id__in=[story.id for story in stories],
                )
                .order_by("tag__name")
                .values_list("object_id", "tag__slug", "tag__name")
            )
            for story_id, slug, name in rows:
                tags_by_story[story_id].append(TagLink(slug, name))
    for story in stories:
        story.tag_list = tags_by_story.get(story.id, [])
        story.month_label = month_label(story.published_month) if story.published_month else ""
        story.sector_label = SECTOR_LABELS.get(story.sector, story.sector)
        story.tag_items = mark_safe("".join(tag_item(tag) for tag in story.tag_list))  # noqa: S308
    return stories


# A card written out: a template include per card cost more than the rest of a search page's
# work in Python, and the list, the home page and tag pages show up to twenty each.
_CARD = (
    '<li class="card story-card">\n'
    '  <{heading} class="story-card__title">'
    '<a href="/confessions/{slug}/">{title}</a></{heading}>\n'
    '  <p class="meta">{sector} &middot; {month} &middot;\n'
    "    {count} {readers} said “this happened to us too”</p>\n"
    '  <p class="story-card__excerpt"><span class="story-card__label">What we learned:</span> '
    "{lessons}</p>\n"
    "{tags}"
    "</li>"
)
_TAGS = '  <ul class="tag-list" aria-label="Tags">\n    {}\n  </ul>\n'
CARD_HEADINGS = {"h2", "h3"}
LESSONS_CHARS = 240


def card_html(story, heading: str) -> SafeString:
    """One story card (after ``attach_tags``), under an ``h2`` or ``h3`` title.

    A search card's title and lessons come with their matches marked (``title_html``,
    ``lessons_html``); any other card shows the start of its lessons."""
    if heading not in CARD_HEADINGS:
        raise ValueError(f"A card's title is an h2 or an h3, not {heading!r}.")
    title_html = getattr(story, "title_html", "")
    lessons_html = getattr(story, "lessons_html", "")
    return format_html_quickly(
        _CARD,
        heading=mark_safe(heading),  # noqa: S308 - one of CARD_HEADINGS
        slug=story.slug,
        title=title_html or story.title,
        sector=story.sector_label,
        month=story.month_label,
        count=story.me_too_count,
        readers="reader" if story.me_too_count == 1 else "readers",
        lessons=lessons_html or Truncator(story.lessons_excerpt).chars(LESSONS_CHARS),
        tags=format_html_quickly(_TAGS, story.tag_items) if story.tag_list else "",
    )


def cards(queryset) -> list:
    """The stories of ``queryset`` as cards: card columns only, tags attached."""
    return attach_tags(list(queryset.for_cards()))
