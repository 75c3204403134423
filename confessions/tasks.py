"""Background work for stories, run by the tasks worker (``manage.py db_worker``)."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django_tasks import task

from confessions.models import Confession


@task()
def notify_moderators() -> None:
    """Tell moderators how many stories wait. The email names no story: mailboxes keep things.

    Queued only by the scheduled ``manage.py notify_moderators``, never because a story
    arrived, so neither this task's row, the worker's log lines nor the email's ``Date:``
    follow a story's arrival.
    """
    if not settings.MODERATOR_EMAILS:
        return
    waiting = Confession.objects.pending().count()
    if not waiting:
        return
    queue = settings.SITE_URL + reverse("admin:confessions_confession_changelist")
    stories = "1 story is" if waiting == 1 else f"{waiting} stories are"
    send_mail(
        subject=f"[{settings.SITE_NAME}] Stories are waiting for a moderator",
        message=(
            f"{stories} waiting for a moderator.\n\nWork the queue: {queue}?status__exact=pending\n"
        ),
        from_email=None,
        recipient_list=settings.MODERATOR_EMAILS,
    )
