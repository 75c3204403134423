"""Writes about events that must not race: registering, cancelling, changing places.

Every write that could change how many places are taken first locks the event's row, so they
happen one at a time per event; email leaves only once the change is committed. Cached pages go
stale by themselves: PostgreSQL raises the "events" version in the same transaction
(events/migrations/0004).
"""

from collections.abc import Iterable
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django_tasks_db import DatabaseBackend

from events import tasks
from events.models import (
    LIVE_STATUSES,
    Answer,
    Event,
    EventStatus,
    Question,
    Registration,
    RegistrationStatus,
)


class RegistrationRefused(Exception):
    """Registration is not possible now; the message says why, for the person."""


class AlreadyRegistered(RegistrationRefused):
    pass


class CannotCancel(Exception):
    """The registration cannot be cancelled now; the message says why."""


def _lock_event(event_id: int) -> Event:
    """Lock the event's row until commit: every write that counts places waits its turn here."""
    return Event.objects.select_for_update().get(pk=event_id)


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
                raise RegistrationRefused("This event is not open for registration.") from None
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
                raise AlreadyRegistered("You are already registered for this event.")
            confirmed = counts["confirmed"]
            has_place = event.capacity is None or confirmed < event.capacity
            now = timezone.now()
            # No full_clean(): the check above is the rule; the database's partial unique
            # constraint stays as the last word, for writes that skip this function.
            registration = Registration.objects.create(
                event=event,
                user=user,
                status=RegistrationStatus.CONFIRMED if has_place else RegistrationStatus.WAITING,
                created_at=now,
                confirmed_at=now if has_place else None,
            )
            rows = [
                Answer(registration=registration, question=question, value=value)
                for question, value in answers
            ]
            if rows:
                Answer.objects.bulk_create(rows)
            _email_after_commit("confirmed" if has_place else "waiting", [registration.pk])
    except IntegrityError as error:
        if _breaks_one_live_rule(error):
            raise AlreadyRegistered("You are already registered for this event.") from error
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
            raise CannotCancel("This event has been cancelled already: there is nothing to do.")
        if event.starts_at <= timezone.now():
            raise CannotCancel("This event has already started, so places can no longer change.")
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
    if event.capacity is not None:
        free = event.capacity - event.registrations.confirmed().count()
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
            was_cancelled = _lock_event(event.pk).status == EventStatus.CANCELLED
        event.full_clean()
        event.save()
        promoted: list[Registration] = []
        if event.status == EventStatus.CANCELLED and not was_cancelled:
            _email_after_commit(
                "event-cancelled", event.registrations.live().values_list("id", flat=True)
            )
        else:
            promoted = _fill_free_places(event)
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
