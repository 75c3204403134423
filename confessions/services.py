"""Writes to stories: submission by the public, and every moderation decision.

Cached public pages go stale by themselves: PostgreSQL raises the stories' version in the same
transaction as any change to a published story (see failshare/models.py).
"""

import uuid
from collections.abc import Sequence

from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone
from taggit.models import Tag

from confessions.models import Confession, Decision, ModerationDecision, Status, new_slug
from confessions.receipts import receipt_hash

WITHDRAWN_TITLE = "Withdrawn story"
WITHDRAWN_TEXT = "The writer withdrew this story."
_TEXT_FIELDS = (
    "what_happened",
    "what_went_wrong",
    "what_we_learned",
    "what_we_would_do_differently",
)
_EDITABLE_COLUMNS = {"title", "sector", "organisation_size", "impact", *_TEXT_FIELDS}


class AlreadySubmitted(Exception):
    """The form with this one-time key was sent before: the story is stored once."""

    def __init__(self, confession: Confession):
        super().__init__("already submitted")
        self.confession = confession


class TransitionNotAllowed(Exception):
    """A withdrawn story cannot be moderated any more."""


def confession_submit(
    *,
    title: str,
    sector: str,
    what_happened: str,
    what_went_wrong: str,
    what_we_learned: str,
    what_we_would_do_differently: str,
    organisation_size: str = "",
    impact: str = "",
    tags: Sequence[str] = (),
    receipt_code: str,
    submission_key: uuid.UUID,
) -> Confession:
    """Store a new story waiting for moderation. Nothing about the writer is taken or kept.

    Moderators hear of it from the scheduled digest (``manage.py notify_moderators``), never
    from anything that follows this call: its time would date the story.
    """
    previous = Confession.objects.filter(submission_key=submission_key).first()
    if previous is not None:
        raise AlreadySubmitted(previous)
    hashed = receipt_hash(receipt_code)
    confession = Confession(
        slug=new_slug(title),
        title=title,
        sector=sector,
        organisation_size=organisation_size,
        what_happened=what_happened,
        what_went_wrong=what_went_wrong,
        what_we_learned=what_we_learned,
        what_we_would_do_differently=what_we_would_do_differently,
        impact=impact,
        receipt_hash=hashed,
        submission_key=submission_key,
    )
    # Uniqueness is left to the INSERT below: checked here, it would race with a double post.
    confession.full_clean(validate_unique=False)
    with transaction.atomic():
        # ON CONFLICT DO NOTHING: the same form sent twice at the same moment is expected, and
        # a refused INSERT would make PostgreSQL log the whole story with the time.
        Confession.objects.bulk_create([confession], ignore_conflicts=True)
        stored = Confession.objects.filter(submission_key=submission_key).first()
        if stored is None:  # only a random slug or receipt hash could clash: never silently lost
            raise IntegrityError("the story could not be stored")
        if stored.receipt_hash != hashed:
            raise AlreadySubmitted(stored)
        stored.tags.set(list(tags))
    return stored


def confession_find_by_receipt(*, code: str) -> Confession | None:
    """The story a receipt code belongs to, or None for any wrong or malformed code."""
    try:
        hashed = receipt_hash(code)
    except ValueError:
        return None
    return Confession.objects.filter(receipt_hash=hashed).first()


def _locked(confession: Confession) -> Confession:
    locked = Confession.objects.select_for_update().get(pk=confession.pk)
    if locked.status == Status.WITHDRAWN:
        raise TransitionNotAllowed(f"{confession.pk} was withdrawn")
    return locked


def _record(confession: Confession, moderator: AbstractBaseUser, decision: str, reason: str = ""):
    record = ModerationDecision(
        confession=confession, moderator=moderator, decision=decision, reason=reason
    )
    record.full_clean()
    record.save()
    return record


def confession_approve(*, confession: Confession, moderator: AbstractBaseUser) -> Confession:
    """Publish a story, dated to the current month."""
    with transaction.atomic():
        confession = _locked(confession)
        first_publication = not confession.decisions.filter(decision=Decision.APPROVED).exists()
        if first_publication:
            # The address is made from the title as moderated, not as first written.
            confession.slug = new_slug(confession.title)
        confession.status = Status.APPROVED
        confession.rejection_reason = ""
        confession.published_month = timezone.localdate().replace(day=1)
        confession.full_clean()
        confession.save(update_fields=["slug", "status", "rejection_reason", "published_month"])
        _record(confession, moderator, Decision.APPROVED)
    return confession


def _take_off_the_site(
    confession: Confession,
    moderator: AbstractBaseUser,
    *,
    status: str,
    decision: str,
    reason: str,
    rejection_reason: str = "",
) -> Confession:
    with transaction.atomic():
        confession = _locked(confession)
        confession.status = status
        confession.rejection_reason = rejection_reason
        confession.full_clean()
        confession.save(update_fields=["status", "rejection_reason"])
        _record(confession, moderator, decision, reason)
    return confession


def confession_reject(
    *, confession: Confession, moderator: AbstractBaseUser, reason: str
) -> Confession:
    """Refuse a story (or unpublish it); the writer sees the reason with their receipt code."""
    if not reason.strip():
        raise ValueError("a rejection needs a reason")
    return _take_off_the_site(
        confession,
        moderator,
        status=Status.REJECTED,
        decision=Decision.REJECTED,
        reason=reason.strip(),
        rejection_reason=reason.strip(),
    )


def confession_return_to_pending(
    *, confession: Confession, moderator: AbstractBaseUser, reason: str = ""
) -> Confession:
    """Put a story back in the queue (and off the public site) to look at it again."""
    return _take_off_the_site(
        confession,
        moderator,
        status=Status.PENDING,
        decision=Decision.RETURNED,
        reason=reason.strip(),
    )


def confession_record_edit(
    *, confession: Confession, moderator: AbstractBaseUser, changed_fields: Sequence[str]
) -> Confession:
    """Save a moderator's changes to a story (redaction) and note which parts changed.

    Only the changed columns are written, so a decision taken meanwhile is not undone.
    """
    with transaction.atomic():
        _locked(confession)
        columns = [name for name in changed_fields if name in _EDITABLE_COLUMNS]
        confession.full_clean()
        if columns:
            confession.save(update_fields=columns)
        if changed_fields:
            labels = [
                str(Confession._meta.get_field(name).verbose_name).lower()
                for name in changed_fields
            ]
            _record(confession, moderator, Decision.EDITED, "Changed: " + ", ".join(labels))
    return confession


def confession_withdraw(*, confession: Confession) -> Confession:
    """The writer takes the story back: it leaves the site and its text is removed for good.

    Moderators' reasons go too, since they may quote the text.
    """
    with transaction.atomic():
        confession = Confession.objects.select_for_update().get(pk=confession.pk)
        if confession.status == Status.WITHDRAWN:
            return confession
        confession.title = WITHDRAWN_TITLE
        confession.slug = new_slug("withdrawn")
        for field in _TEXT_FIELDS:
            setattr(confession, field, WITHDRAWN_TEXT)
        confession.organisation_size = ""
        confession.impact = ""
        confession.rejection_reason = ""
        confession.status = Status.WITHDRAWN
        confession.full_clean()
        confession.save()
        tag_ids = list(confession.tags.values_list("pk", flat=True))
        confession.tags.clear()
        # A tag no other story or event uses was typed by this writer: it goes too.
        Tag.objects.filter(
            pk__in=tag_ids,
            confessions_taggedstory_items__isnull=True,
            events_taggedevent_items__isnull=True,
        ).delete()
        confession.decisions.update(reason="")
        # The admin's history names the object as it was called then, and a free-text message
        # could quote it; the fact of each change stays (who, when, which fields).
        history = LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Confession),
            object_id=str(confession.pk),
        )
        history.update(object_repr=WITHDRAWN_TITLE)
        history.exclude(change_message__startswith="[").update(change_message="")
    return confession
