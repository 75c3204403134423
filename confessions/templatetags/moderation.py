from django import template

from confessions.models import Confession

register = template.Library()


@register.simple_tag
def pending_confession_count() -> int:
    """How many stories wait for a moderator (shown on the admin index)."""
    return Confession.objects.pending().count()
