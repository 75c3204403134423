"""Background work for stories, run by the tasks worker (``manage.py run_worker``)."""

import logging
from datetime import timedelta
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django_tasks import task

from confessions.conversation_services import unread_answers
from confessions.models import Confession, ModeratorDigestSent

logger = logging.getLogger(__name__)

# As for registration emails (events/tasks.py): seconds before each further attempt.
RETRY_DELAYS = [60, 300, 1800, 7200]
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1


class DigestNotSent(Exception):
    """Every attempt to send the digest failed: the task's result is FAILED, for a person to
    look at (the admin's task list, where it can be sent again)."""


@task()
def notify_moderators(key: str | None = None, attempt: int = 1) -> str:
    """Tell moderators how many stories wait. The email names no story: mailboxes keep things.

    Queued only by the scheduled ``manage.py notify_moderators``, never because a story
    arrived, so neither this task's row, the worker's log lines nor the email's ``Date:``
    follow a story's arrival. ``key`` names this digest: once it has left, running the task
    again (a retry, a worker killed after sending) sends nothing. A failed send queues the
    task again later, a bounded number of times; then it raises, and its result is FAILED.
    """
    if not settings.MODERATOR_EMAILS:
        return "no moderator address"
    if key and ModeratorDigestSent.objects.filter(key=key).exists():
        return "already sent"
    waiting = Confession.objects.pending().count()
    answers = unread_answers()
    if not waiting and not answers:
        return "no story waits"
    queue = settings.SITE_URL + reverse("admin:confessions_confession_changelist")
    message = ""
    if waiting:
        message = ngettext(
            "%(count)s story is waiting for a moderator.",
            "%(count)s stories are waiting for a moderator.",
            waiting,
        ) % {"count": waiting}
        message += "\n\n"
        message += gettext("Work the queue: %(url)s") % {"url": f"{queue}?status__exact=pending"}
        message += "\n"
    if answers:
        # That an answer waits, never what it says.
        message += "\n"
        message += ngettext(
            "%(count)s story has an answer from the writer waiting to be read: %(url)s",
            "%(count)s stories have an answer from the writer waiting to be read: %(url)s",
            answers,
        ) % {"count": answers, "url": f"{queue}?attention=answer"}
        message += "\n"
    try:
        send_mail(
            subject=f"[{settings.SITE_NAME}] " + gettext("Stories are waiting for a moderator"),
            message=message,
            from_email=None,
            recipient_list=settings.MODERATOR_EMAILS,
        )
    except (SMTPException, OSError) as error:
        if attempt >= MAX_ATTEMPTS:
            logger.exception("Gave up sending the moderators' digest after %s attempts", attempt)
            raise DigestNotSent("the moderators' digest") from error
        logger.warning("Sending the moderators' digest failed (attempt %s); will retry", attempt)
        retry = notify_moderators
        if retry.get_backend().supports_defer:
            delay = timedelta(seconds=RETRY_DELAYS[attempt - 1])
            retry = retry.using(run_after=timezone.now() + delay)
        retry.enqueue(key, attempt + 1)
        return "will retry"
    if key:
        ModeratorDigestSent.objects.get_or_create(key=key)
    return "sent"
