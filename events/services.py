"""Writes about events that must not race: registering, cancelling, changing places.

Every write that could change how many places are taken first locks the event's row, so they
happen one at a time per event; email leaves, and cached pages go stale, only once it is committed.
"""

from collections.abc import Iterable
from functools import partial

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django_tasks_db import DatabaseBackend

from events import tasks
from events.models import (
    Answer,
    Event,
    EventStatus,
    Question,
    Registration,
    RegistrationStatus,
)
from failshare import pagecache


class RegistrationRefused(Exception):
    """Registration is not possible now; the message says why, for the person."""


class AlreadyRegistered(RegistrationRefused):
    pass


class CannotCancel(Exception):
    """The registration cannot be cancelled now; the message says why."""


def _lock_event(event_id: int) -> Event:
    """Lock the event's row until commit: every write that counts places waits its turn here."""
    return Event.objects.select_for_update().get(pk=event_id)


def _public_pages_changed() -> None:
    transaction.on_commit(partial(pagecache.bump, "events"))


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


# Registering is the one write that comes in rushes (a popular event opening its doors), so its
# two statements are written out: building them with the ORM cost more than running them. The
# insert bypasses Registration.save(): it writes every column itself (a test holds it to that).
_EVENTS = connection.ops.quote_name(Event._meta.db_table)
_REGISTRATIONS = connection.ops.quote_name(Registration._meta.db_table)
_LOCK_FOR_REGISTRATION = f"""
    SELECT status, starts_at, registration_opens_at, registration_closes_at, capacity
    FROM {_EVENTS} WHERE id = %s FOR UPDATE
"""  # noqa: S608 - table names from the models
# Run after the lock, so the count sees every registration committed before this one.
_JOIN_THE_LINE_COLUMNS = (
    "event_id",
    "user_id",
    "status",
    "created_at",
    "confirmed_at",
    "cancelled_at",
    "attended",
)
_JOIN_THE_LINE = f"""
    INSERT INTO {_REGISTRATIONS} ({", ".join(_JOIN_THE_LINE_COLUMNS)})
    SELECT %(event)s, %(user)s, place.status, %(now)s,
           CASE WHEN place.status = %(confirmed)s THEN %(now)s::timestamptz END, NULL, false
    FROM (
        SELECT CASE WHEN %(capacity)s::integer IS NULL OR count(*) < %(capacity)s::integer
                    THEN %(confirmed)s ELSE %(waiting)s END AS status
        FROM {_REGISTRATIONS}
        WHERE event_id = %(event)s AND status = %(confirmed)s
    ) AS place
    RETURNING id, status
"""  # noqa: S608 - table and column names from the code


def _lock_for_registration(event: Event) -> Event:
    """Lock the event's row until commit, and read again what decides who may register."""
    with connection.cursor() as cursor:
        cursor.execute(_LOCK_FOR_REGISTRATION, [event.pk])
        row = cursor.fetchone()
    if row is None:
        raise RegistrationRefused("This event is not open for registration.")
    (
        event.status,
        event.starts_at,
        event.registration_opens_at,
        event.registration_closes_at,
        event.capacity,
    ) = row
    return event


def _join_the_line(event: Event, user) -> Registration:
    """A place while places are left, otherwise the end of the waiting list."""
    now = timezone.now()
    parameters = {
        "event": event.pk,
        "user": user.pk,
        "now": now,
        "capacity": event.capacity,
        "confirmed": RegistrationStatus.CONFIRMED.value,
        "waiting": RegistrationStatus.WAITING.value,
    }
    with connection.cursor() as cursor:
        cursor.execute(_JOIN_THE_LINE, parameters)
        registration_id, status = cursor.fetchone()
    registration = Registration(
        id=registration_id,
        event=event,
        user=user,
        status=status,
        created_at=now,
        confirmed_at=now if status == RegistrationStatus.CONFIRMED else None,
    )
    registration._state.adding, registration._state.db = False, connection.alias
    return registration


def registration_create(
    *, event: Event, user, answers: Iterable[tuple[Question, str]] = ()
) -> Registration:
    """Give the person a place if one is left, otherwise a place on the waiting list.

    The event's row is locked before counting, so two people never both take the last place;
    the database's partial unique constraint refuses a second live registration (a double click).
    """
    try:
        with transaction.atomic():
            event = _lock_for_registration(event)
            refusal = event.registration_refusal()
            if refusal:
                raise RegistrationRefused(refusal)
            registration = _join_the_line(event, user)
            rows = [
                Answer(registration=registration, question=question, value=value)
                for question, value in answers
            ]
            if rows:
                Answer.objects.bulk_create(rows)
            kind = "confirmed" if registration.status == RegistrationStatus.CONFIRMED else "waiting"
            _email_after_commit(kind, [registration.pk])
            _public_pages_changed()
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
        _public_pages_changed()
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


def confirmed_count_locked(event: Event) -> int:
    """The confirmed count, with the event locked until the surrounding transaction ends."""
    _lock_event(event.pk)
    return event.registrations.confirmed().count()


def event_save(*, event: Event) -> list[Registration]:
    """Save an organiser's changes to an event.

    Capacity may not drop below the places already confirmed; more places go to the people
    waiting; an event that has just been cancelled tells everyone registered.
    """
    with transaction.atomic():
        was_cancelled = False
        if event.pk:
            was_cancelled = _lock_event(event.pk).status == EventStatus.CANCELLED
            confirmed = event.registrations.confirmed().count()
            if event.capacity is not None and event.capacity < confirmed:
                raise ValidationError(
                    {"capacity": f"{confirmed} places are confirmed: capacity cannot be lower."}
                )
        event.full_clean()
        event.save()
        promoted: list[Registration] = []
        if event.status == EventStatus.CANCELLED and not was_cancelled:
            _email_after_commit(
                "event-cancelled", event.registrations.live().values_list("id", flat=True)
            )
        else:
            promoted = _fill_free_places(event)
        _public_pages_changed()
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
        _public_pages_changed()
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
