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


# A snippet that reads as finished needs no ellipsis.
_FINISHED = (".", "!", "?", "”", '"', ")")


@register.filter
def snippet(text: str, length: int = 240) -> str:
    """``text`` cut at the last whole word within ``length`` characters, with an ellipsis when
    anything was cut."""
    if len(text) <= length:
        return text
    cut = text[: length + 1].rsplit(None, 1)[0] if " " in text[:length] else text[:length]
    return cut.rstrip(" ,;:–—-") + "…"


@register.filter
def ellipsis_unless_finished(marked: str) -> str:
    """An ellipsis after a search snippet that stops before the end of a sentence."""
    plain = marked.replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_STOP, "").rstrip()
    return "" if plain.endswith(_FINISHED) else "…"
