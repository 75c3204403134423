"""Writes to stories: submission by the public, and every moderation decision.

Cached public pages go stale by themselves: PostgreSQL raises the stories' version in the same
transaction as any change to a published story (see failshare/models.py).
"""

import datetime
import secrets
import uuid
from collections.abc import Sequence

from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone
from taggit.models import Tag

from confessions import consent
from confessions.api.exports import build_open_data
from confessions.conversation import AgreedText
from confessions.digests.services import publication_record
from confessions.models import (
    Confession,
    Decision,
    ModerationDecision,
    Status,
    UnvacuumedWithdrawal,
    new_slug,
)
from confessions.receipts import receipt_hash
from failshare.models import ContentLanguage

WITHDRAWN_TITLE = "Withdrawn story"
WITHDRAWN_TEXT = "The writer withdrew this story."
_TEXT_FIELDS = (
    "what_happened",
    "what_went_wrong",
    "what_we_learned",
    "what_we_would_do_differently",
)
_EDITABLE_COLUMNS = {"title", "sector", "organisation_size", "impact", "causes", *_TEXT_FIELDS}
# Keys for the tags a writer brings: taggit's key is a 32-bit integer whose sequence is shared
# with the tags organisers and moderators make, so a story's new tag would sit between two
# made at known times. Random keys from the top half of the range never meet the sequence.
TAG_KEY_MIN = 2**30
TAG_KEY_MAX = 2**31


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
    causes: Sequence[str] = (),
    tags: Sequence[str] = (),
    language: str = ContentLanguage.ENGLISH,
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
        causes=list(causes),
        language=language,
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
        make_tags_with_random_keys(tags)
        stored.tags.set(list(tags))
    return stored


def make_tags_with_random_keys(names: Sequence[str], attempts: int = 3) -> None:
    """Create the tags among ``names`` that do not exist yet, with random keys and taggit's
    slugs. ``INSERT ... ON CONFLICT DO NOTHING``: two stories bringing the same new tag at the
    same moment fail nothing inside PostgreSQL (whose log would name the tag and the time)."""
    names = list(dict.fromkeys(names))
    for _ in range(attempts):
        existing = set(Tag.objects.filter(name__in=names).values_list("name", flat=True))
        missing = [name for name in names if name not in existing]
        if not missing:
            return
        new: list[Tag] = []
        for name in missing:
            base = Tag().slugify(name)
            taken = set(Tag.objects.filter(slug__startswith=base).values_list("slug", flat=True))
            taken |= {tag.slug for tag in new}
            slug, suffix = base, 0
            while slug in taken:
                suffix += 1
                slug = Tag().slugify(name, suffix)
            key = TAG_KEY_MIN + secrets.randbelow(TAG_KEY_MAX - TAG_KEY_MIN)
            new.append(Tag(id=key, name=name, slug=slug))
        Tag.objects.bulk_create(new, ignore_conflicts=True)
    # Still missing after clashing keys or slugs every time: taggit makes the rest itself.


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


def _record(
    confession: Confession, moderator: AbstractBaseUser | None, decision: str, reason: str = ""
):
    # A step without a moderator was taken by the writer or by readers: dated to the day only.
    at = timezone.now()
    if moderator is None:
        at = datetime.datetime.combine(timezone.localdate(), datetime.time.min, tzinfo=datetime.UTC)
    record = ModerationDecision(
        confession=confession, moderator=moderator, decision=decision, reason=reason, decided_at=at
    )
    record.full_clean()
    record.save()
    return record


_PUBLICATIONS = (Decision.APPROVED, Decision.WRITER_AGREED, Decision.PUBLISHED_REDACTED)


def _publish(
    confession: Confession,
    moderator: AbstractBaseUser | None,
    decision: str,
    agreed: AgreedText | None = None,
):
    """Publish a locked story, dated to the current month; the agreed text is no longer needed."""
    first_publication = not confession.decisions.filter(decision__in=_PUBLICATIONS).exists()
    if first_publication:
        # The address is made from the title as moderated, not as first written.
        confession.slug = new_slug(confession.title)
    confession.status = Status.APPROVED
    confession.rejection_reason = ""
    confession.published_month = timezone.localdate().replace(day=1)
    confession.full_clean()
    confession.save(update_fields=["slug", "status", "rejection_reason", "published_month"])
    if agreed is not None:
        agreed.delete()
    # Reports are settled by the decision: the reporters' counts start again.
    confession.reports.all().delete()
    _record(confession, moderator, decision)
    publication_record(confession=confession)
    return confession


def _locked_with_agreed_text(confession: Confession) -> tuple[Confession, AgreedText | None]:
    """The story, locked, with the text its writer agreed to (if a moderator reworded it)."""
    locked = (
        Confession.objects.select_for_update(of=("self",))
        .select_related("agreed_text")
        .get(pk=confession.pk)
    )
    if locked.status == Status.WITHDRAWN:
        raise TransitionNotAllowed(f"{confession.pk} was withdrawn")
    return locked, getattr(locked, "agreed_text", None)


def confession_approve(*, confession: Confession, moderator: AbstractBaseUser) -> Confession:
    """Publish a story, dated to the current month; or, when a moderator reworded it beyond
    redactions, ask the writer to agree first (the story stays unpublished until they do)."""
    with transaction.atomic():
        confession, agreed = _locked_with_agreed_text(confession)
        if _reworded(confession, agreed):
            return _ask_consent(confession, agreed, moderator)
        return _publish(confession, moderator, Decision.APPROVED, agreed)


def _reworded(confession: Confession, agreed: AgreedText | None) -> bool:
    """True when the story's text differs from what its writer agreed to beyond redactions."""
    return agreed is not None and consent.needs_consent(
        consent.texts(agreed), consent.texts(confession)
    )


def _ask_consent(confession: Confession, agreed: AgreedText, moderator: AbstractBaseUser):
    """Hold a reworded story back (off the site if it was published) until its writer agrees."""
    if confession.status == Status.APPROVED:
        confession.status = Status.PENDING
        confession.save(update_fields=["status"])
    if agreed.asked_on is None:
        agreed.asked_on = timezone.localdate()
        agreed.save(update_fields=["asked_on"])
    confession.reports.all().delete()
    _record(confession, moderator, Decision.ASKED_CONSENT)
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
        if status == Status.REJECTED:
            confession.reports.all().delete()
            AgreedText.objects.filter(confession=confession).update(asked_on=None)
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

    Only the changed columns are written, so a decision taken meanwhile is not undone. A
    published story reworded beyond redactions leaves the site at once and waits for its
    writer's agreement: readers never see words the writer did not agree to.
    """
    with transaction.atomic():
        stored = _locked(confession)
        columns = [name for name in changed_fields if name in _EDITABLE_COLUMNS]
        agreed = None
        if any(name in consent.TEXT_FIELDS for name in columns):
            # The first rewording keeps the text the writer sent, to ask them about changes.
            agreed, _ = AgreedText.objects.get_or_create(
                confession=stored, defaults=consent.texts(stored)
            )
        confession.full_clean()
        if columns:
            confession.save(update_fields=columns)
        if changed_fields:
            labels = [
                str(Confession._meta.get_field(name).verbose_name).lower()
                for name in changed_fields
            ]
            _record(confession, moderator, Decision.EDITED, "Changed: " + ", ".join(labels))
        confession.status = stored.status
        if stored.status == Status.APPROVED and _reworded(confession, agreed):
            _ask_consent(confession, agreed, moderator)
    return confession


def confession_withdraw(*, confession: Confession) -> Confession:
    """The writer takes the story back: it leaves the site and its text is removed for good.

    Moderators' reasons go too, since they may quote the text.
    """
    with transaction.atomic():
        confession = Confession.objects.select_for_update().get(pk=confession.pk)
        if confession.status == Status.WITHDRAWN:
            return confession
        was_published = confession.status == Status.APPROVED
        confession.title = WITHDRAWN_TITLE
        confession.slug = new_slug("withdrawn")
        for field in _TEXT_FIELDS:
            setattr(confession, field, WITHDRAWN_TEXT)
        confession.organisation_size = ""
        confession.impact = ""
        confession.causes = []
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
            confessions_taggedresource_items__isnull=True,
            events_taggedevent_items__isnull=True,
        ).delete()
        confession.decisions.update(reason="")
        # The conversation, the text first sent, responses and reports may all quote it.
        confession.messages.all().delete()
        AgreedText.objects.filter(confession=confession).delete()
        confession.responses.all().delete()
        confession.reports.all().delete()
        # The admin's history names the object as it was called then, and a free-text message
        # could quote it; the fact of each change stays (who, when, which fields).
        history = LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Confession),
            object_id=str(confession.pk),
        )
        history.update(object_repr=WITHDRAWN_TITLE)
        history.exclude(change_message__startswith="[").update(change_message="")
        # The old row versions still hold the text until vacuumed (manage.py vacuum_withdrawn).
        UnvacuumedWithdrawal.objects.create()
        if was_published:
            # The bulk downloads hold its text: build them again now, not at the next cron.
            transaction.on_commit(build_open_data.enqueue)
    return confession
