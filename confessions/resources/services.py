from django.db import transaction

from confessions.resources.models import Resource


def resource_suggest(
    *, title: str, url: str, description: str, causes, tags, language: str = "en"
) -> Resource:
    """A suggestion, waiting for a moderator; nothing about who sent it is stored."""
    with transaction.atomic():
        resource = Resource(
            title=title,
            url=url,
            description=description,
            causes=list(causes),
            language=language,
        )
        resource.full_clean()
        resource.save()
        if tags:
            resource.tags.add(*tags)
    return resource
