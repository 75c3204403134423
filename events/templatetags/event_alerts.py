from datetime import timedelta
from itertools import groupby

from django import template
from django.utils import timezone

from events.models import CapacityAlert, CapacityLevel, ResourceKind

register = template.Library()

DAYS_SHOWN = 7


@register.simple_tag
def events_filled_by_day() -> list[tuple]:
    """(day, events) for each of the last days on which events filled, newest first."""
    since = timezone.localdate() - timedelta(days=DAYS_SHOWN - 1)
    alerts = (
        CapacityAlert.objects.filter(level=CapacityLevel.FULL, day__gte=since)
        .select_related("event")
        .order_by("-day", "event__starts_at", "event_id")
    )
    return [(day, [a.event for a in group]) for day, group in groupby(alerts, lambda a: a.day)]


@register.filter
def resource_kind(value: str) -> str:
    """A resource's kind in words, from its stored value."""
    return ResourceKind(value).label if value in ResourceKind.values else ""
