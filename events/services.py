"""Writes about events that must not race: registering, cancelling, changing places.

Every write that could change how many places are taken first locks the event's row, so they
happen one at a time per event; email leaves only once the change is committed. Cached pages go
stale by themselves: PostgreSQL raises the "events" version in the same transaction
(events/migrations/0004).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from allauth.account.models import EmailAddress
from django.db import IntegrityError, models, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext
from django_tasks_db import DatabaseBackend

from events import tasks
from events.models import (
    LIVE_STATUSES,
    Answer,
    CapacityAlert,
    CapacityLevel,
    Event,
    EventStatus,
    FeedbackAnswer,
    FeedbackResponse,
    Membership,
    OrganiserMessage,
    Payment,
    Question,
    Registration,
    RegistrationStatus,
)
from failshare.models import ContentLanguage


class RegistrationRefused(Exception):
    """Registration is not possible now; the message says why, for the person."""


class AlreadyRegistered(RegistrationRefused):
    pass


class CannotCancel(Exception):
    """The registration cannot be cancelled now; the message says why."""


def _lock_event(event_id: int) -> Event:
    """Lock the event's row until commit: every write that counts places waits its turn here."""
    return Event.objects.select_for_update().get(pk=event_id)


def _lock_membership(membership_id: int) -> Membership:
    """Lock a member's year until commit, always after the event's (the fixed order keeps two
    registrations from waiting on each other): its complimentary places are counted here."""
    return Membership.objects.select_for_update().select_related("tier").get(pk=membership_id)


def membership_for(user, year: int) -> Membership | None:
    """The membership for ``year`` of the organisation whose domain is on one of the person's
    verified email addresses (the primary address's organisation first)."""
    addresses = EmailAddress.objects.filter(user=user, verified=True).order_by("-primary", "id")
    emails = addresses.values_list("email", flat=True)
    domains = [email.rsplit("@", 1)[-1].lower() for email in emails]
    if not domains:
        return None
    memberships = {
        membership.domain: membership
        for membership in Membership.objects.filter(
            year=year, organisation__domains__domain__in=domains
        )
        .select_related("organisation", "tier")
        .annotate(domain=models.F("organisation__domains__domain"))
    }
    return next((memberships[d] for d in domains if d in memberships), None)


@dataclass
class PriceQuote:
    """What a registration would cost the person, said on the form before they confirm."""

    payment: str
    membership: Membership | None = None
    left: int = 0  # complimentary places left before this registration


def price_quote(*, event: Event, user) -> PriceQuote:
    """Unlocked, for the form: ``registration_create`` decides again under the locks."""
    if not event.is_priced:
        return PriceQuote(Payment.FREE)
    membership = membership_for(user, event.membership_year)
    if membership is None:
        return PriceQuote(Payment.INVOICE)
    left = max(membership.places - membership.registrations.live().count(), 0)
    return PriceQuote(Payment.COMPLIMENTARY if left else Payment.INVOICE, membership, left)


def _payment(event: Event, user) -> tuple[str, Membership | None]:
    """How this registration is paid for. The event must be locked; locks the member's year."""
    if not event.is_priced:
        return Payment.FREE, None
    found = membership_for(user, event.membership_year)
    if found is None:
        return Payment.INVOICE, None
    membership = _lock_membership(found.pk)
    # Counted after the lock, so it sees every complimentary place committed before this one.
    if membership.registrations.live().count() < membership.places:
        return Payment.COMPLIMENTARY, membership
    return Payment.INVOICE, None


def _enqueue_after_commit(task, *args) -> None:
    """Queue a task in this transaction on the database queue, or after commit on another."""
    enqueue = partial(task.enqueue, *args)
    if isinstance(task.get_backend(), DatabaseBackend):
        enqueue()
    else:
        transaction.on_commit(enqueue)


def _alert_capacity(event: Event, confirmed: int | None = None) -> None:
    """Record each level of places taken the event has newly reached, and email its organisers
    about the highest. The event must be locked (and read with the lock): two writers never
    record the same level, and ``alerted_level`` says what is recorded without a query."""
    if event.capacity is None:
        return
    if confirmed is None:
        confirmed = event.registrations.confirmed().count()
    new = [
        level
        for level in CapacityLevel
        if level > event.alerted_level and confirmed * 100 >= level * event.capacity
    ]
    if not new:
        return
    event.alerted_level = max(new)
    Event.objects.filter(pk=event.pk).update(alerted_level=event.alerted_level)
    # The constraint stays the last word, for writes that skip the lock: they record nothing twice.
    CapacityAlert.objects.bulk_create(
        [CapacityAlert(event=event, level=level, sent=level != max(new)) for level in new],
        ignore_conflicts=True,
    )
    if event.organiser_staff.exists():
        _enqueue_after_commit(tasks.send_capacity_alert, event.pk, max(new))


def _email_after_commit(kind: str, registration_ids: Iterable[int]) -> None:
    """Queue the email so that it leaves only if, and once, the change is committed.

    The database queue's row is written in the same transaction as the change: both commit, or
    neither does, and no second transaction is spent on it. A queue outside the database (or
    one that runs tasks at once) is handed the task after commit instead.
    """
    email = tasks.send_registration_email
    in_this_transaction = isinstance(email.get_backend(), DatabaseBackend)
    for registration_id in registration_ids:
        enqueue = partial(email.enqueue, registration_id, kind)
        if in_this_transaction:
            enqueue()
        else:
            transaction.on_commit(enqueue)


ONE_LIVE_CONSTRAINT = "one_live_registration_per_person_per_event"


def _breaks_one_live_rule(error: IntegrityError) -> bool:
    diagnostics = getattr(error.__cause__, "diag", None)
    return getattr(diagnostics, "constraint_name", None) == ONE_LIVE_CONSTRAINT


def registration_create(
    *, event: Event, user, answers: Iterable[tuple[Question, str]] = ()
) -> Registration:
    """Give the person a place if one is left, otherwise a place on the waiting list.

    The event's row is locked before counting, so two people never both take the last place,
    and before looking for the person's live registration, so a double click makes one.
    """
    try:
        with transaction.atomic():
            try:
                event = _lock_event(event.pk)
            except Event.DoesNotExist:
                raise RegistrationRefused(
                    gettext("This event is not open for registration.")
                ) from None
            refusal = event.registration_refusal()
            if refusal:
                raise RegistrationRefused(refusal)
            # Counted after the lock, so it sees every registration committed before this one.
            # The person's own live registration is looked for under the same lock, which every
            # registration for the event takes, so a double click is told here: a refused
            # INSERT would make PostgreSQL log the statement.
            counts = event.registrations.aggregate(
                confirmed=Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED)),
                mine=Count("pk", filter=Q(user=user, status__in=LIVE_STATUSES)),
            )
            if counts["mine"]:
                raise AlreadyRegistered(gettext("You are already registered for this event."))
            confirmed = counts["confirmed"]
            has_place = event.capacity is None or confirmed < event.capacity
            payment, membership = _payment(event, user)
            now = timezone.now()
            # No full_clean(): the check above is the rule; the database's partial unique
            # constraint stays as the last word, for writes that skip this function.
            registration = Registration.objects.create(
                event=event,
                user=user,
                status=RegistrationStatus.CONFIRMED if has_place else RegistrationStatus.WAITING,
                created_at=now,
                confirmed_at=now if has_place else None,
                payment=payment,
                membership=membership,
                # The language of the page they registered on: their emails are written in it.
                language=ContentLanguage.of_page(),
            )
            rows = [
                Answer(registration=registration, question=question, value=value)
                for question, value in answers
            ]
            if rows:
                Answer.objects.bulk_create(rows)
            _email_after_commit("confirmed" if has_place else "waiting", [registration.pk])
            if has_place:
                _alert_capacity(event, confirmed + 1)
    except IntegrityError as error:
        if _breaks_one_live_rule(error):
            raise AlreadyRegistered(
                gettext("You are already registered for this event.")
            ) from error
        raise
    return registration


def registration_cancel(*, registration: Registration) -> list[Registration]:
    """Free the place and give it to the first person waiting; returns who was promoted."""
    with transaction.atomic():
        event = _lock_event(registration.event_id)
        registration = Registration.objects.get(pk=registration.pk)
        if not registration.is_live:
            return []
        if event.status == EventStatus.CANCELLED:
            raise CannotCancel(
                gettext("This event has been cancelled already: there is nothing to do.")
            )
        if event.starts_at <= timezone.now():
            raise CannotCancel(
                gettext("This event has already started, so places can no longer change.")
            )
        if registration.membership_id:
            # The complimentary place goes back to the member, in the same lock order.
            _lock_membership(registration.membership_id)
        was_confirmed = registration.status == RegistrationStatus.CONFIRMED
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "cancelled_at"])
        promoted = _fill_free_places(event) if was_confirmed else []
    return promoted


def _fill_free_places(event: Event) -> list[Registration]:
    """Promote people from the waiting list, first in line first. The event must be locked."""
    if event.status != EventStatus.PUBLISHED or event.starts_at <= timezone.now():
        return []
    waiting = event.registrations.waiting()
    confirmed = None
    if event.capacity is not None:
        confirmed = event.registrations.confirmed().count()
        free = event.capacity - confirmed
        if free <= 0:
            return []
        waiting = waiting[:free]
    promoted = list(waiting)
    if not promoted:
        return []
    now = timezone.now()
    Registration.objects.filter(pk__in=[r.pk for r in promoted]).update(
        status=RegistrationStatus.CONFIRMED, confirmed_at=now
    )
    for registration in promoted:
        registration.status = RegistrationStatus.CONFIRMED
        registration.confirmed_at = now
    _email_after_commit("promoted", [r.pk for r in promoted])
    if confirmed is not None:
        _alert_capacity(event, confirmed + len(promoted))
    return promoted


def event_save(*, event: Event) -> list[Registration]:
    """Save an organiser's changes to an event.

    Capacity may not drop below the places already confirmed (``Event.clean``, run here with the
    event locked, so no place can be taken before the save); more places go to the people
    waiting; an event that has just been cancelled tells everyone registered.
    """
    with transaction.atomic():
        was_cancelled = False
        if event.pk:
            locked = _lock_event(event.pk)
            was_cancelled = locked.status == EventStatus.CANCELLED
            # Not on the organiser's form: kept as registrations left it, not as it was read.
            event.alerted_level = locked.alerted_level
        event.full_clean()
        event.save()
        promoted: list[Registration] = []
        if event.status == EventStatus.CANCELLED and not was_cancelled:
            _email_after_commit(
                "event-cancelled", event.registrations.live().values_list("id", flat=True)
            )
        else:
            promoted = _fill_free_places(event)
            if event.status == EventStatus.PUBLISHED:
                _alert_capacity(event)  # fewer places may make it full
    return promoted


def event_cancel(*, event: Event) -> bool:
    """Cancel the event and tell everyone registered. False if it was cancelled already."""
    with transaction.atomic():
        event = _lock_event(event.pk)
        if event.status == EventStatus.CANCELLED:
            return False
        event.status = EventStatus.CANCELLED
        event.save(update_fields=["status", "updated_at"])
        _email_after_commit(
            "event-cancelled", event.registrations.live().values_list("id", flat=True)
        )
    return True


def registrations_cancel(*, registrations: Iterable[Registration]) -> tuple[int, int, int]:
    """Cancel several registrations (an organiser's action): (cancelled, promoted, skipped)."""
    cancelled = promoted = skipped = 0
    for registration in registrations:
        try:
            if not registration.is_live:
                raise CannotCancel("Already cancelled.")
            promoted += len(registration_cancel(registration=registration))
        except CannotCancel:
            skipped += 1
        else:
            cancelled += 1
    return cancelled, promoted, skipped


def reminders_queue() -> int:
    """Queue a reminder for each confirmed attendee whose event is within its reminder days."""
    due = list(Registration.objects.reminders_due().values_list("pk", flat=True))
    for registration_id in due:
        tasks.send_registration_email.enqueue(registration_id, "reminder")
    return len(due)


def answers_change(*, registration: Registration, answers: Iterable[tuple[Question, str]]) -> None:
    """Replace a person's answers, while registration is open for the event."""
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update().select_related("event").get(pk=registration.pk)
        )
        if not registration.can_change_answers:
            raise CannotCancel(
                gettext("Registration has closed, so the answers can no longer change.")
            )
        registration.answers.all().delete()
        Answer.objects.bulk_create(
            Answer(registration=registration, question=question, value=value)
            for question, value in answers
        )


def message_send(
    *, event: Event, audience: str, subject: str, body: str, sender
) -> OrganiserMessage:
    """Record an organiser's message and queue one copy for each person in the audience now."""
    with transaction.atomic():
        event = _lock_event(event.pk)  # the audience is who is confirmed or waiting at this moment
        registrations = event.registrations.filter(status=audience)
        ids = list(registrations.values_list("pk", flat=True))
        message = OrganiserMessage.objects.create(
            event=event,
            audience=audience,
            subject=subject,
            body=body,
            sent_by=sender,
            recipients=len(ids),
        )
        for registration_id in ids:
            _enqueue_after_commit(tasks.send_organiser_message, message.pk, registration_id)
    return message


FEEDBACK_ASKED_FOR_DAYS = 30


def feedback_requests_queue() -> int:
    """Queue the feedback email for people marked as attended at events that ended in the last
    30 days and have feedback questions; the task sends it once (``SentEmail``)."""
    now = timezone.now()
    due = (
        Registration.objects.filter(
            attended=True,
            feedback_given=False,
            event__ends_at__lte=now,
            event__ends_at__gte=now - timedelta(days=FEEDBACK_ASKED_FOR_DAYS),
            event__feedback_questions__isnull=False,
        )
        .exclude(sent_emails__kind="feedback")
        .values_list("pk", flat=True)
        .distinct()
    )
    due = list(due)
    for registration_id in due:
        tasks.send_registration_email.enqueue(registration_id, "feedback")
    return len(due)


class FeedbackRefused(Exception):
    pass


def feedback_give(*, registration: Registration, answers: Iterable[tuple]) -> FeedbackResponse:
    """Keep the answers apart from the person; mark only that they have answered, once."""
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.feedback_given:
            raise FeedbackRefused("You have already given your feedback. Thank you.")
        response = FeedbackResponse.objects.create(event_id=registration.event_id)
        FeedbackAnswer.objects.bulk_create(
            FeedbackAnswer(response=response, question=question, value=value)
            for question, value in answers
        )
        registration.feedback_given = True
        registration.save(update_fields=["feedback_given"])
    return response
