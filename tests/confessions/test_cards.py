"""A story card, written out in Python: escaped text, the marks of a search, the tags."""

import datetime
from types import SimpleNamespace

import pytest
from django.utils.safestring import mark_safe

from confessions.cards import LESSONS_CHARS, TagLink, attach_tags, card_html


def story(**fields):
    values = {
        "id": 7,
        "slug": "our-portal",
        "title": "Our <b>portal</b> & us",
        "sector": "health",
        "published_month": datetime.date(2026, 3, 1),
        "me_too_count": 1,
        "lessons_excerpt": "Ask users first. " * 40,
    }
    values.update(fields)
    return SimpleNamespace(**values)


def card(tags=(), heading="h2", **fields):
    (one,) = attach_tags([story(**fields)], {7: list(tags)})
    return str(card_html(one, heading))


def test_it_escapes_the_text_and_links_to_the_story():
    html = card()
    assert '<h2 class="story-card__title"><a href="/confessions/our-portal/">' in html
    assert "Our &lt;b&gt;portal&lt;/b&gt; &amp; us" in html
    assert "<b>" not in html
    assert "Health &middot; March 2026 &middot;" in html


def test_it_counts_readers_in_words():
    assert "1 reader said" in card(me_too_count=1)
    assert "3 readers said" in card(me_too_count=3)


def test_it_shortens_the_lessons_unless_a_search_marked_them():
    plain = card()
    excerpt = plain.split("What we learned:</span> ")[1].split("</p>")[0]
    assert len(excerpt) == LESSONS_CHARS and excerpt.endswith("…")
    marked = card(
        title_html=mark_safe("Our <mark>portal</mark>"),
        lessons_html=mark_safe("Ask <mark>users</mark> first"),
    )
    assert "Our <mark>portal</mark>" in marked
    assert "Ask <mark>users</mark> first" in marked


def test_it_lists_tags_only_when_there_are_some():
    assert "tag-list" not in card()
    tagged = card(tags=[TagLink("procurement", "Procurement & buying")])
    assert '<ul class="tag-list" aria-label="Tags">' in tagged
    assert '<a class="tag" href="/tags/procurement/">Procurement &amp; buying</a>' in tagged


def test_its_title_is_an_h2_or_an_h3_only():
    assert card(heading="h3").count("<h3") == 1
    with pytest.raises(ValueError):
        card(heading="script")
