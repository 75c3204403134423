"""Background work for stories, run by the tasks worker (``manage.py db_worker``)."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django_tasks import task

from confessions.models import Confession


@task()
def notify_moderators() -> None:
    """Tell moderators a story is waiting. The email names no story: mailboxes keep things."""
    if not settings.MODERATOR_EMAILS:
        return
    waiting = Confession.objects.pending().count()
    queue = settings.SITE_URL + reverse("admin:confessions_confession_changelist")
    stories = "1 story is" if waiting == 1 else f"{waiting} stories are"
    send_mail(
        subject=f"[{settings.SITE_NAME}] A new story is waiting for a moderator",
        message=(
            f"A new story has been shared. {stories} now waiting for a moderator.\n\n"
            f"Work the queue: {queue}?status__exact=pending\n"
        ),
        from_email=None,
        recipient_list=settings.MODERATOR_EMAILS,
    )
