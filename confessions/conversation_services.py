"""Writes to the conversation around a story: messages, the writer's consent, responses and
reports. Decisions about stories themselves are in ``confessions.services``.

A response is published like a story; PostgreSQL makes the story's cached pages stale when a
published response changes (the migration of the responses' table adds the trigger).
"""

import datetime
import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from confessions import consent
from confessions.conversation import (
    AgreedText,
    Author,
    Message,
    Report,
    ResponseStatus,
    StoryResponse,
)
from confessions.models import Confession, Decision, Status
from confessions.services import (
    TransitionNotAllowed,
    _locked,
    _locked_with_agreed_text,
    _publish,
    _record,
)
from failshare.models import ContentLanguage


class ConsentNotAsked(Exception):
    """Nothing waits for the writer's agreement (or the wait is not over yet)."""


# Messages


def message_send(*, confession: Confession, author: str, text: str) -> Message:
    """Add a message to a story's conversation, after the others. A withdrawn story takes none."""
    with transaction.atomic():
        confession = _locked(confession)
        last = confession.messages.aggregate(last=Max("position"))["last"] or 0
        message = Message(
            confession=confession,
            position=last + 1,
            author=author,
            text=text,
            unread=author == Author.WRITER,
        )
        message.full_clean()
        message.save()
    return message


def moderator_writes(*, confession: Confession, moderator: AbstractBaseUser, text: str) -> Message:
    message = message_send(confession=confession, author=Author.MODERATOR, text=text)
    _record(confession, moderator, Decision.MESSAGE)
    return message


def messages_mark_read(*, confession: Confession) -> int:
    return confession.messages.filter(unread=True).update(unread=False)


def unread_answers() -> int:
    """How many stories have an answer from their writer that no moderator has read."""
    return Confession.objects.filter(messages__unread=True).distinct().count()


# Consent


def consent_changes(confession: Confession) -> list[consent.SectionChanges] | None:
    """What the writer is asked to agree to, or None when nothing waits for them."""
    agreed = AgreedText.objects.filter(confession=confession, asked_on__isnull=False).first()
    if agreed is None or confession.status != Status.PENDING:
        return None
    return consent.changes(consent.texts(agreed), consent.texts(confession))


def writer_agrees(*, confession: Confession) -> Confession:
    """The writer publishes the version the moderator approved."""
    with transaction.atomic():
        confession, agreed = _locked_with_agreed_text(confession)
        if agreed is None or agreed.asked_on is None or confession.status != Status.PENDING:
            raise ConsentNotAsked
        return _publish(confession, None, Decision.WRITER_AGREED, agreed)


def consent_waited_long_enough(agreed: AgreedText, on: datetime.date | None = None) -> bool:
    on = on or timezone.localdate()
    return agreed.asked_on is not None and (
        on - agreed.asked_on >= datetime.timedelta(days=settings.CONSENT_WAIT_DAYS)
    )


def publish_redactions_only(*, confession: Confession, moderator: AbstractBaseUser) -> Confession:
    """After ``CONSENT_WAIT_DAYS`` without an answer: publish the writer's text with only the
    moderator's redactions in it, every other rewording left out."""
    with transaction.atomic():
        confession, agreed = _locked_with_agreed_text(confession)
        if agreed is None or not consent_waited_long_enough(agreed):
            raise ConsentNotAsked
        for name in consent.TEXT_FIELDS:
            setattr(
                confession,
                name,
                consent.redacted_only(getattr(agreed, name), getattr(confession, name)),
            )
        confession.full_clean()
        confession.save(update_fields=list(consent.TEXT_FIELDS))
        return _publish(confession, moderator, Decision.PUBLISHED_REDACTED, agreed)


# Responses


def response_submit(
    *,
    confession: Confession,
    text: str,
    submission_key: uuid.UUID,
    language: str = ContentLanguage.ENGLISH,
):
    """Store a reader's response, waiting for moderation; once only for one form."""
    if not Confession.objects.published().filter(pk=confession.pk).exists():
        raise TransitionNotAllowed("responses are only for published stories")
    response = StoryResponse(
        confession=confession, text=text, submission_key=submission_key, language=language
    )
    response.full_clean(validate_unique=False)
    StoryResponse.objects.bulk_create([response], ignore_conflicts=True)
    return StoryResponse.objects.filter(submission_key=submission_key).first()


def response_approve(*, response: StoryResponse) -> StoryResponse:
    with transaction.atomic():
        response = StoryResponse.objects.select_for_update().get(pk=response.pk)
        response.status = ResponseStatus.APPROVED
        response.rejection_reason = ""
        response.published_month = response.published_month or timezone.localdate().replace(day=1)
        response.save(update_fields=["status", "rejection_reason", "published_month"])
        response.reports.all().delete()
    return response


def response_reject(*, response: StoryResponse, reason: str) -> StoryResponse:
    if not reason.strip():
        raise ValueError("a rejection needs a reason")
    with transaction.atomic():
        response = StoryResponse.objects.select_for_update().get(pk=response.pk)
        response.status = ResponseStatus.REJECTED
        response.rejection_reason = reason.strip()
        response.save(update_fields=["status", "rejection_reason"])
        response.reports.all().delete()
    return response


def response_helped(*, response: StoryResponse) -> None:
    StoryResponse.objects.filter(pk=response.pk).update(helped_count=F("helped_count") + 1)


# Reports


def report_story(*, confession: Confession, reason: str, note: str = "") -> bool:
    """Record one report; True when it hid the story (sent back to the moderators)."""
    with transaction.atomic():
        confession = Confession.objects.select_for_update().get(pk=confession.pk)
        if confession.status != Status.APPROVED:
            return False
        report = Report(confession=confession, reason=reason, note=note)
        report.full_clean()
        report.save()
        if confession.reports.count() < settings.REPORTS_TO_HIDE:
            return False
        confession.status = Status.PENDING
        confession.save(update_fields=["status"])
        _record(confession, None, Decision.REPORTED)
    return True


def report_response(*, response: StoryResponse, reason: str, note: str = "") -> bool:
    with transaction.atomic():
        response = StoryResponse.objects.select_for_update().get(pk=response.pk)
        if response.status != ResponseStatus.APPROVED:
            return False
        report = Report(response=response, reason=reason, note=note)
        report.full_clean()
        report.save()
        if response.reports.count() < settings.REPORTS_TO_HIDE:
            return False
        response.status = ResponseStatus.REPORTED
        response.save(update_fields=["status"])
    return True
