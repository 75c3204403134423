"""Email about registrations, sent in the background by the task worker.

A failed send never touches the registration: the task enqueues itself again later, a bounded
number of times, because the tasks framework does not retry on its own; when it gives up it
raises, so its result ends FAILED and is listed in the admin with a "send again" action.
Each email is recorded as sent the moment it leaves (``SentEmail``) and checked before
sending, so a task run twice (a retry, a worker killed after sending) sends it once.
"""

import logging
from datetime import timedelta
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from events.ical import event_calendar
from events.models import EventStatus, Registration, RegistrationStatus, SentEmail

logger = logging.getLogger(__name__)


class EmailNotSent(Exception):
    """Every attempt to send failed: the task's result is FAILED, for a person to look at."""


# Seconds to wait before each further attempt; one more attempt than delays in all.
RETRY_DELAYS = [60, 300, 1800, 7200]
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1

SUBJECTS = {
    "confirmed": "Your place at {event}",
    "waiting": "You are on the waiting list for {event}",
    "promoted": "A place has come up for you at {event}",
    "event-cancelled": "Cancelled: {event}",
}


def _still_true(registration: Registration, kind: str) -> bool:
    """Whether the news is still news: a place may have been cancelled before the email left."""
    if kind == "event-cancelled":
        return registration.event.status == EventStatus.CANCELLED
    if kind == "waiting":
        return registration.status == RegistrationStatus.WAITING
    return registration.status == RegistrationStatus.CONFIRMED


def registration_email(registration: Registration, kind: str) -> EmailMessage:
    event = registration.event
    context = {
        "registration": registration,
        "event": event,
        "event_url": settings.SITE_URL + event.get_absolute_url(),
        "mine_url": settings.SITE_URL + reverse("events:mine"),
        "events_url": settings.SITE_URL + reverse("events:list"),
        "SITE_NAME": settings.SITE_NAME,
    }
    if kind == "waiting":
        context["position"] = event.registrations.waiting().filter(id__lte=registration.id).count()
    message = EmailMessage(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + SUBJECTS[kind].format(event=event.title),
        body=render_to_string(f"events/email/{kind}.txt", context),
        to=[registration.user.email],
    )
    if kind in ("confirmed", "promoted"):
        message.attach(
            f"{event.slug}.ics",
            event_calendar(event, with_online_link=True),
            "text/calendar; charset=utf-8",
        )
    return message


@task()
def send_registration_email(registration_id: int, kind: str, attempt: int = 1) -> str:
    registration = (
        Registration.objects.select_related("event", "user").filter(pk=registration_id).first()
    )
    if registration is None or not _still_true(registration, kind):
        return "no longer needed"
    if SentEmail.objects.filter(registration=registration, kind=kind).exists():
        return "already sent"
    try:
        registration_email(registration, kind).send()
    except (SMTPException, OSError) as error:
        if attempt >= MAX_ATTEMPTS:
            logger.exception(
                "Gave up sending %s email for registration %s after %s attempts",
                kind,
                registration_id,
                attempt,
            )
            raise EmailNotSent(f"{kind} email for registration {registration_id}") from error
        logger.warning(
            "Sending %s email for registration %s failed (attempt %s); will retry",
            kind,
            registration_id,
            attempt,
        )
        retry = send_registration_email
        if retry.get_backend().supports_defer:
            delay = timedelta(seconds=RETRY_DELAYS[attempt - 1])
            retry = retry.using(run_after=timezone.now() + delay)
        retry.enqueue(registration_id, kind, attempt + 1)
        return "will retry"
    SentEmail.objects.get_or_create(registration=registration, kind=kind)
    return "sent"
