"""Links to tag pages. A search page shows some thirty, and reversing each one cost more than
the rest of its card: the address of a tag only changes with the language and the script
prefix, so each is reversed once per process."""

from functools import lru_cache

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.translation import get_language

register = template.Library()


@lru_cache(maxsize=4096)
def _tag_url(slug: str, language: str | None, script_prefix: str) -> str:
    # reverse() reads the active language and script prefix itself: they are this call's key.
    return reverse("tag", args=[slug])


@register.filter
def tag_url(slug: str) -> str:
    """The address of the tag page for ``slug``, in the active language."""
    return _tag_url(slug, get_language(), get_script_prefix())
