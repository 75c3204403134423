from django import template
from django.utils.safestring import mark_safe

from confessions.cards import card_html
from failshare.html import format_html_join_quickly

CURRENT = mark_safe(' aria-current="true"')  # noqa: S308 - a constant
SELECTED = mark_safe(" selected")  # noqa: S308 - a constant

register = template.Library()


@register.filter
def story_card(story, heading):
    """``{{ story|story_card:"h2" }}``: the story's card (see ``confessions.cards.card_html``)."""
    return card_html(story, heading)


# Facets and select options are written out like the cards: a list page shows up to thirty of
# them, and a template loop with four variables each cost most of the page's rendering.


@register.filter
def facet_items(facets):
    """``{{ listing.tag_facets|facet_items }}``: a link and a count in a ``<li>`` per facet."""
    return format_html_join_quickly(
        "",
        '<li><a href="{}"{}>{}</a> <span class="facet-count">({})</span></li>',
        (
            (facet.url, CURRENT if facet.selected else "", facet.label, facet.count)
            for facet in facets
        ),
    )


@register.filter
def options(choices, selected):
    """``{{ choices|options:value }}``: an ``<option>`` per (value, label), ``value`` selected."""
    return format_html_join_quickly(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, SELECTED if value == selected else "", label) for value, label in choices),
    )
