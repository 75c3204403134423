from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from confessions.models import HIGHLIGHT_START, HIGHLIGHT_STOP

register = template.Library()


@register.filter
def highlighted(marked: str) -> SafeString:
    """A search snippet escaped, with only the highlight marks turned into ``<mark>``."""
    html = escape(marked).replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped; the marks cannot be typed into a story
