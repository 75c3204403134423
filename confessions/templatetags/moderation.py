from django import template

from confessions.models import Confession

register = template.Library()


@register.simple_tag
def pending_confession_count() -> int:
    """How many stories wait for a moderator (shown on the admin index)."""
    return Confession.objects.pending().count()


@register.simple_tag
def conversation_counts() -> dict[str, int]:
    """What else waits for a moderator: responses, writers' answers, reported responses."""
    from confessions.conversation import ResponseStatus, StoryResponse
    from confessions.conversation_services import unread_answers

    responses = StoryResponse.objects.filter(
        status__in=[ResponseStatus.PENDING, ResponseStatus.REPORTED]
    )
    return {"responses": responses.count(), "answers": unread_answers()}
