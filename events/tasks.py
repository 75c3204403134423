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
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from events.ical import event_calendar
from events.models import (
    CapacityAlert,
    EventStatus,
    OrganiserMessage,
    Registration,
    RegistrationStatus,
    SentEmail,
)
from events.replies import feedback_token, reply_token
from failshare.models import in_language

logger = logging.getLogger(__name__)


class EmailNotSent(Exception):
    """Every attempt to send failed: the task's result is FAILED, for a person to look at."""


# Seconds to wait before each further attempt; one more attempt than delays in all.
RETRY_DELAYS = [60, 300, 1800, 7200]
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1

# Email subjects, each with the event's title.
SUBJECTS = {
    "confirmed": _("Your place at %(event)s"),
    "waiting": _("You are on the waiting list for %(event)s"),
    "promoted": _("A place has come up for you at %(event)s"),
    # Translators: an email's subject: the event has been cancelled.
    "event-cancelled": _("Cancelled: %(event)s"),
    "reminder": _("Can you still come to %(event)s?"),
    # Translators: an email's subject asking those who came for feedback, which takes a minute.
    "feedback": _("How was %(event)s? Your feedback, in a minute"),
}


def _retry_or_give_up(retry, args: tuple, attempt: int, error: Exception, what: str) -> str:
    """After a failed send: enqueue the task again later, or raise when the attempts are spent
    (the task's result then ends FAILED)."""
    if attempt >= MAX_ATTEMPTS:
        logger.exception("Gave up sending %s after %s attempts", what, attempt)
        raise EmailNotSent(what) from error
    logger.warning("Sending %s failed (attempt %s); will retry", what, attempt)
    if retry.get_backend().supports_defer:
        delay = timedelta(seconds=RETRY_DELAYS[attempt - 1])
        retry = retry.using(run_after=timezone.now() + delay)
    retry.enqueue(*args, attempt + 1)
    return "will retry"


def _still_true(registration: Registration, kind: str) -> bool:
    """Whether the news is still news: a place may have been cancelled before the email left."""
    if kind == "event-cancelled":
        return registration.event.status == EventStatus.CANCELLED
    if kind == "waiting":
        return registration.status == RegistrationStatus.WAITING
    if kind == "feedback":
        return registration.attended and not registration.feedback_given
    if kind == "reminder":
        return registration.can_cancel and registration.status == RegistrationStatus.CONFIRMED
    return registration.status == RegistrationStatus.CONFIRMED


def registration_email(registration: Registration, kind: str) -> EmailMessage:
    with in_language(registration.language):
        return _registration_email(registration, kind)


def _event_email_context(event) -> dict:
    """What every email about an event links to: the event, and the attendee's own events."""
    return {
        "event": event,
        "event_url": settings.SITE_URL + event.get_absolute_url(),
        "mine_url": settings.SITE_URL + reverse("events:mine"),
        "SITE_NAME": settings.SITE_NAME,
    }


def _registration_email(registration: Registration, kind: str) -> EmailMessage:
    event = registration.event
    context = {
        **_event_email_context(event),
        "registration": registration,
        "events_url": settings.SITE_URL + reverse("events:list"),
    }
    if kind == "reminder":
        for action in ("coming", "not-coming"):
            url = reverse(f"events:reply-{action}", args=[reply_token(registration, action)])
            context[f"{action.replace('-', '_')}_url"] = settings.SITE_URL + url
    if kind == "feedback":
        url = reverse("events:feedback", args=[feedback_token(registration)])
        context["feedback_url"] = settings.SITE_URL + url
    if kind == "waiting":
        context["position"] = event.registrations.waiting().filter(id__lte=registration.id).count()
    message = EmailMessage(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + SUBJECTS[kind] % {"event": event.title},
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
        return _retry_or_give_up(
            send_registration_email,
            (registration_id, kind),
            attempt,
            error,
            f"{kind} email for registration {registration_id}",
        )
    SentEmail.objects.get_or_create(registration=registration, kind=kind)
    return "sent"


@task()
def send_capacity_alert(event_id: int, level: int, attempt: int = 1) -> str:
    """Tell an event's organisers that it is half full, 80% full or full; once."""
    alert = (
        CapacityAlert.objects.select_related("event").filter(event=event_id, level=level).first()
    )
    if alert is None:
        return "no longer needed"
    if alert.sent:
        return "already sent"
    event = alert.event
    recipients = list(event.organiser_staff.filter(is_active=True).values_list("email", flat=True))
    if not recipients:
        return "no organisers to tell"
    confirmed = event.registrations.confirmed().count()
    context = {
        "event": event,
        "alert": alert,
        "confirmed": confirmed,
        "waiting": event.registrations.waiting().count(),
        "event_url": settings.SITE_URL + event.get_absolute_url(),
        "admin_url": settings.SITE_URL + reverse("admin:events_event_change", args=[event.pk]),
        "SITE_NAME": settings.SITE_NAME,
    }
    # Translators: an email's subject to an event's organisers: "half full", "80% full" or "full".
    subject = gettext("%(event)s is %(level)s") % {
        "event": event.title,
        "level": alert.get_level_display(),
    }
    try:
        EmailMessage(
            subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
            body=render_to_string("events/email/capacity-alert.txt", context),
            to=recipients,
        ).send()
    except (SMTPException, OSError) as error:
        return _retry_or_give_up(
            send_capacity_alert,
            (event_id, level),
            attempt,
            error,
            f"capacity alert {level} for event {event_id}",
        )
    CapacityAlert.objects.filter(pk=alert.pk).update(sent=True)
    return "sent"


@task()
def send_organiser_message(message_id: int, registration_id: int, attempt: int = 1) -> str:
    """One person's copy of an organiser's message; recorded as sent, so sent once."""
    message = OrganiserMessage.objects.select_related("event").filter(pk=message_id).first()
    registration = Registration.objects.select_related("user").filter(pk=registration_id).first()
    if message is None or registration is None or not registration.is_live:
        return "no longer needed"
    if SentEmail.objects.filter(registration=registration, kind=message.email_kind).exists():
        return "already sent"
    with in_language(registration.language):
        email = organiser_email(message, registration)
    try:
        email.send()
    except (SMTPException, OSError) as error:
        return _retry_or_give_up(
            send_organiser_message,
            (message_id, registration_id),
            attempt,
            error,
            f"organiser message {message_id} for registration {registration_id}",
        )
    SentEmail.objects.get_or_create(registration=registration, kind=message.email_kind)
    return "sent"


def organiser_email(message: OrganiserMessage, registration: Registration) -> EmailMessage:
    event = message.event
    context = {**_event_email_context(event), "message": message}
    return EmailMessage(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + f"{event.title}: {message.subject}",
        body=render_to_string("events/email/organiser-message.txt", context),
        to=[registration.user.email],
    )
