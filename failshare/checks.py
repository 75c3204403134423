"""System checks of the project's own (``manage.py check --deploy``)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

NO_REDIS = Warning(
    "REDIS_URL is not set: rate limits and other shared state live in the database cache, "
    "and whole pages are cached per server process.",
    hint="Set REDIS_URL in production (see README.md, 'Running in production').",
    id="failshare.W001",
)


@register(Tags.caches, deploy=True)
def redis_in_production(app_configs, **kwargs):
    return [] if settings.REDIS_URL else [NO_REDIS]
