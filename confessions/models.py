import re
import secrets

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import (
    SearchConfig,
    SearchQuery,
    SearchVector,
    SearchVectorField,
)
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Func,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Left, RowNumber
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from failshare.models import ContentLanguage, language_field

SEARCH_CONFIG = "english"
# PostgreSQL has no Welsh stemmer: Welsh stories are indexed and searched word for word.
WELSH_SEARCH_CONFIG = "simple"
# Marks ts_headline puts around the words a search found: control characters, which no story
# can contain (no_control_characters), so a writer can never type a mark of their own.
HIGHLIGHT_START = "\x02"
HIGHLIGHT_STOP = "\x03"
# A search card's lessons snippet is looked for in this much of the lessons.
HIGHLIGHT_CHARS = 1000
# Control characters other than tab and line breaks cannot be shown or put in a feed.
_CONTROL_CHARACTERS = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")


def no_control_characters(value: str) -> None:
    if _CONTROL_CHARACTERS.search(value):
        raise ValidationError(
            gettext(
                "Remove the control characters (invisible characters copied from another "
                "program) from this text."
            ),
            code="control_characters",
        )


class Sector(models.TextChoices):
    LOCAL_GOVERNMENT = "local-government", _("Local government")
    CENTRAL_GOVERNMENT = "central-government", _("Central government")
    HEALTH = "health", _("Health")
    HOUSING = "housing", _("Housing")
    SOCIAL_CARE = "social-care", _("Social care")
    CHARITY = "charity", _("Charity and voluntary")
    EDUCATION = "education", _("Education")
    DIGITAL = "digital", _("Digital and technology")
    OTHER = "other", _("Other")


class OrganisationSize(models.TextChoices):
    SMALL = "small", _("Small (fewer than 50 people)")
    MEDIUM = "medium", _("Medium (50 to 250 people)")
    LARGE = "large", _("Large (250 to 5,000 people)")
    VERY_LARGE = "very-large", _("Very large (more than 5,000 people)")


class Impact(models.TextChoices):
    LOW = "low", _("Low: some time or money lost")
    MEDIUM = "medium", _("Medium: a project or service set back")
    HIGH = "high", _("High: people or services seriously affected")


class Cause(models.TextChoices):
    """What went wrong: a short fixed list, so stories can be counted and compared by cause."""

    REQUIREMENTS = "requirements", _("Requirements and user needs")
    PROCUREMENT = "procurement", _("Procurement and suppliers")
    LEADERSHIP = "leadership", _("Leadership and governance")
    COMMUNICATION = "communication", _("Communication")
    TECHNOLOGY = "technology", _("Technology")
    FUNDING = "funding", _("Funding and timing")
    SKILLS = "skills", _("Skills and capacity")
    DATA = "data", _("Data")
    PARTNERSHIP = "partnership", _("Partnership")


class Status(models.TextChoices):
    PENDING = "pending", _("Waiting for a moderator")
    APPROVED = "approved", _("Published")
    REJECTED = "rejected", _("Not published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The words of a story's causes (their labels), for the search index: a PostgreSQL function,
# declared immutable so a generated column can use it (migration 0010_search_causes).
CAUSE_WORDS_FUNCTION = "confessions_cause_words"


def cause_words_sql() -> str:
    """The SQL that defines CAUSE_WORDS_FUNCTION from the labels of ``Cause``, in English
    whatever the language of the moment (the index searches English words)."""
    with translation.override(None):
        labels = [(value, str(label)) for value, label in Cause.choices]
    cases = " ".join(
        f"WHEN '{value}' THEN '{label}'" for value, label in labels if "'" not in label
    )
    return (
        # Only the fixed names and labels of Cause go into this statement.
        f"CREATE OR REPLACE FUNCTION {CAUSE_WORDS_FUNCTION}(causes varchar[]) RETURNS text "  # noqa: S608
        "LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ "
        f"SELECT coalesce(string_agg(CASE c {cases} END, ' '), '') FROM unnest(causes) AS c $$"
    )


# "Published" is defined here once: the queryset, the partial indexes, the check constraint, the
# search SQL and the triggers that make cached pages stale all derive from it.
PUBLISHED = Q(status=Status.APPROVED)

TITLE_MAX = 120
SECTION_MAX = 5000


# The keys a list can be sorted by, most significant first; every one is descending.
SORT_KEYS = {
    "newest": ("published_month", "id"),
    "me-too": ("me_too_count", "published_month", "id"),
}
EXCERPT_CHARS = 320


def search_query(text: str, config: str = SEARCH_CONFIG) -> SearchQuery:
    return SearchQuery(text, search_type="websearch", config=config)


WRITTEN_IN_WELSH = Q(language=ContentLanguage.WELSH)


def in_own_language(english, welsh):
    """``english`` for a story written in English, ``welsh`` for one written in Welsh."""
    return Case(When(WRITTEN_IN_WELSH, then=welsh), default=english)


def own_search_config() -> SearchConfig:
    """The search configuration of each story's own language."""
    return SearchConfig(
        in_own_language(SearchConfig(SEARCH_CONFIG), SearchConfig(WELSH_SEARCH_CONFIG))
    )


class ConfessionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(PUBLISHED)

    def pending(self):
        return self.filter(status=Status.PENDING)

    def in_sector(self, sector: str | None):
        return self.filter(sector=sector) if sector else self

    def with_cause(self, cause: str | None):
        # causes @> ARRAY[cause]: served by the causes GIN index.
        return self.filter(causes__contains=[cause]) if cause else self

    def tagged(self, tag_id: int | None):
        if tag_id is None:
            return self
        # EXISTS probes the (story, tag) index row by row, so a list walks its sort index and
        # stops after one page instead of joining every tagged story.
        return self.filter(
            Exists(TaggedStory.objects.filter(tag_id=tag_id, content_object=OuterRef("pk")))
        )

    def sorted_by(self, sort: str):
        return self.order_by(*(f"-{key}" for key in SORT_KEYS[sort]))

    def from_key(self, sort: str, key: tuple):
        """Rows at or after ``key`` in ``sort`` order: a keyset start that never scans an OFFSET."""
        names = SORT_KEYS[sort]
        at_or_after = Q()
        for i in reversed(range(len(names))):
            last = Q(**{f"{names[i]}__lte" if i == len(names) - 1 else f"{names[i]}__lt": key[i]})
            equal_before = Q(**{names[j]: key[j] for j in range(i)})
            at_or_after = (
                (equal_before & last) | at_or_after if at_or_after else equal_before & last
            )
        # The redundant bound on the first key lets PostgreSQL start the index scan there.
        return self.filter(at_or_after, **{f"{names[0]}__lte": key[0]})

    def page_starts(self, sort: str, every: int, total: int) -> list[tuple]:
        """The sort key of every ``every``-th row (0, every, 2*every ...), in one index pass."""
        names = SORT_KEYS[sort]
        positions = range(1, total + 1, every)
        rows = (
            self.annotate(position=Window(RowNumber(), order_by=[F(name).desc() for name in names]))
            .filter(position__in=list(positions))
            .order_by("position")
            .values_list(*names)
        )
        return [tuple(row) for row in rows]

    def for_cards(self, *, tags: bool = True):
        """Only what a story card shows (``confessions/_card.html``): no long texts, an excerpt
        of the lessons, the number of published responses, and the tags (``card_tags``), unless
        the caller has them already.

        The tags come through the story's links, in the order they were added, as one list
        per story: taggit's own prefetch builds a queryset for every story, which cost a search
        page more than its query."""
        responses = (
            StoryResponse.objects.published()
            .filter(confession=OuterRef("pk"))
            .order_by()
            .values("confession")
            .annotate(count=Count("*"))
            .values("count")
        )
        cards = self.only(
            "slug", "title", "sector", "published_month", "me_too_count", "language"
        ).annotate(
            lessons_excerpt=Left("what_we_learned", EXCERPT_CHARS),
            response_count=Coalesce(Subquery(responses), 0),
        )
        if not tags:
            return cards
        links = TaggedStory.objects.select_related("tag").order_by("pk")
        return cards.prefetch_related(Prefetch("tagged_items", links, to_attr="tag_links"))

    def search(
        self,
        text: str,
        *,
        limit: int,
        month_slices=(),
        sector="",
        tag_id=None,
        cause="",
        language="",
    ):
        """The newest ``limit`` published stories that match ``text``, ranked, as
        ``confessions.search.Candidate`` rows (whatever this queryset was filtered by)."""
        from confessions import search

        return search.candidates(
            text,
            limit=limit,
            month_slices=month_slices,
            sector=sector,
            tag_id=tag_id,
            cause=cause,
            language=language,
        )

    def matching(self, text: str):
        """The stories with the words of ``text``, each looked for in its own language."""
        return self.filter(
            ~WRITTEN_IN_WELSH & Q(search_vector=search_query(text))
            | WRITTEN_IN_WELSH & Q(search_vector=search_query(text, WELSH_SEARCH_CONFIG))
        )

    def search_cards(self, ids: list[int], text: str) -> list["Confession"]:
        """The published stories among ``ids`` (in no order) read for their cards, with
        ``title_marked`` and ``lessons_marked``: the title, and a snippet of the lessons'
        opening, with the words ``text`` finds between the highlight marks."""
        from confessions import search

        return search.marked_cards(ids, text)

    def like_text(self, title: str, text: str, *, limit: int, exclude_id: int | None = None):
        """Up to ``limit`` published stories most like this text (``confessions.search.similar``),
        best first, with what a link to each shows. The text is used once and kept nowhere."""
        from confessions import search

        ids = search.similar(title, text, limit=limit, exclude_id=exclude_id)
        if not ids:
            return []
        found = self.published().filter(id__in=ids)
        found = found.only("slug", "title", "sector", "published_month")
        by_id = {story.id: story for story in found}
        return [by_id[i] for i in ids if i in by_id]

    def related_to(self, confession: "Confession", tag_ids: list[int], pool: int = 300):
        """Stories sharing the most tags with ``confession``, newest first among equals.

        Only ``pool`` stories sharing a tag are compared, the first in key order (random, so a
        fair sample): a common tag is on tens of thousands of stories, and counting shared
        tags for all of them is slow."""
        if not tag_ids:
            return self.none()
        sharing = TaggedStory.objects.filter(tag_id__in=tag_ids).exclude(content_object=confession)
        sample = sharing.order_by("-content_object_id").values("content_object_id")[:pool]
        return (
            self.filter(id__in=sample)
            .annotate(shared_tags=Count("tagged_items", filter=Q(tagged_items__tag_id__in=tag_ids)))
            .only("slug", "title", "sector", "published_month")
            .order_by("-shared_tags", "-published_month", "-id")
        )


SECTION_VALIDATORS = [MaxLengthValidator(SECTION_MAX), no_control_characters]


def new_slug(title: str) -> str:
    """A readable, unguessable address: never a sequential id."""
    base = slugify(title)[:60].strip("-") or "story"
    return f"{base}-{secrets.token_hex(3)}"


def today():
    return timezone.localdate()


# Keys of stories (and of their tags' links) are random, not a sequence: a sequence would tell
# moderators and anyone reading the database which story arrived before which. Between 2**52
# and 2**53, so every key has 16 digits and stays exact as a JSON number.
RANDOM_KEY_MIN = 2**52
RANDOM_KEY_MAX = 2**53


def random_key() -> int:
    return RANDOM_KEY_MIN + secrets.randbelow(RANDOM_KEY_MAX - RANDOM_KEY_MIN)


class Confession(models.Model):
    """An anonymous story. Nothing here may link it to a person: no user, address or exact time,
    nor the order in which stories arrived (its key is random; lists sort by month, then key)."""

    id = models.BigIntegerField(primary_key=True, default=random_key, editable=False)
    slug = models.SlugField(max_length=80, unique=True, editable=False)
    title = models.CharField(max_length=TITLE_MAX, validators=[no_control_characters])
    sector = models.CharField(max_length=32, choices=Sector.choices)
    organisation_size = models.CharField(
        "organisation size", max_length=16, choices=OrganisationSize.choices, blank=True
    )
    what_happened = models.TextField(validators=SECTION_VALIDATORS)
    what_went_wrong = models.TextField("what went wrong and why", validators=SECTION_VALIDATORS)
    what_we_learned = models.TextField(validators=SECTION_VALIDATORS)
    what_we_would_do_differently = models.TextField(validators=SECTION_VALIDATORS)
    impact = models.CharField(max_length=16, choices=Impact.choices, blank=True)
    causes = ArrayField(
        models.CharField(max_length=16, choices=Cause.choices),
        default=list,
        blank=True,
        help_text="What went wrong: one or more causes.",
    )
    tags = TaggableManager(
        through="TaggedStory", blank=True, help_text="Comma-separated topics, e.g. procurement"
    )

    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    rejection_reason = models.TextField(blank=True)
    # Day precision on purpose: an exact time could be matched against access logs.
    submitted_on = models.DateField(default=today, editable=False)
    published_month = models.DateField(null=True, blank=True, editable=False)
    me_too_count = models.PositiveIntegerField(default=0, editable=False)
    language = language_field()

    receipt_hash = models.CharField(max_length=64, unique=True, editable=False)
    submission_key = models.UUIDField(unique=True, null=True, blank=True, editable=False)

    # Title and lessons weigh most in ranking, then the causes (chosen by the writer, checked
    # by a moderator) with what they would do differently. Generated by PostgreSQL, so always
    # in step.
    search_vector = models.GeneratedField(
        expression=(
            SearchVector("title", weight="A", config=own_search_config())
            + SearchVector("what_we_learned", weight="A", config=own_search_config())
            + SearchVector(
                Func("causes", function=CAUSE_WORDS_FUNCTION, output_field=models.TextField()),
                weight="B",
                config=SEARCH_CONFIG,
            )
            + SearchVector("what_we_would_do_differently", weight="B", config=own_search_config())
            + SearchVector("what_went_wrong", weight="C", config=own_search_config())
            + SearchVector("what_happened", weight="D", config=own_search_config())
        ),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = ConfessionQuerySet.as_manager()

    class Meta:
        ordering = ["-published_month", "-id"]
        constraints = [
            # Lists, deep pages and search sort published stories by month.
            models.CheckConstraint(
                condition=~PUBLISHED | models.Q(published_month__isnull=False),
                name="confession_published_has_month",
            ),
        ]
        indexes = [
            # The month beside the words (btree_gin) lets a search find the newest matches of
            # a word without reading each match to learn its month (confessions.search).
            GinIndex(fields=["search_vector", "published_month"], name="confession_search_gin"),
            # The few Welsh stories, searched with their own configuration beside the English
            # ones (confessions.search): a small index, so that part of a search costs little.
            GinIndex(
                fields=["search_vector", "published_month"],
                name="confession_welsh_search_gin",
                condition=WRITTEN_IN_WELSH,
            ),
            # Stories with a cause (causes @> ARRAY[...]): the causes facet and filter.
            GinIndex(fields=["causes"], name="confession_causes_gin"),
            models.Index(
                fields=["-published_month", "-id"],
                name="confession_published_idx",
                condition=PUBLISHED,
            ),
            models.Index(
                fields=["sector", "-published_month", "-id"],
                name="confession_sector_idx",
                condition=PUBLISHED,
            ),
            models.Index(
                fields=["-me_too_count", "-published_month", "-id"],
                name="confession_me_too_idx",
                condition=PUBLISHED,
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("confessions:detail", args=[self.slug])

    @property
    def sector_label(self) -> str:
        """The sector's name, as ``get_sector_display()`` gives it: cheaper on a page of cards,
        since that builds a dictionary of every choice for each call."""
        try:
            return Sector(self.sector).label
        except ValueError:
            return self.sector

    def full_text(self) -> str:
        """The four sections, as one text (to find stories like this one)."""
        return "\n".join(
            (
                self.what_happened,
                self.what_went_wrong,
                self.what_we_learned,
                self.what_we_would_do_differently,
            )
        )

    @property
    def cause_labels(self) -> list[tuple[str, str]]:
        """(value, label) of each of the story's causes, in the list's order."""
        return [(value, label) for value, label in Cause.choices if value in self.causes]

    @cached_property
    def card_tags(self) -> list:
        """The tags a card shows: from ``for_cards()``'s links when it read them (a search page
        sets them from its candidates), else from taggit."""
        links = getattr(self, "tag_links", None)
        if links is None:
            return list(self.tags.all())
        return [link.tag for link in links]


# A story's "this happened to us too" count has a content version of its own, raised by
# PostgreSQL when the count changes (migration 0009): a press makes that story's page stale,
# and only that page.
ME_TOO_NAMESPACE_PREFIX = "me-too:"


def me_too_namespace(slug: str) -> str:
    return f"{ME_TOO_NAMESPACE_PREFIX}{slug}"


class TaggedStory(TaggedItemBase):
    """A story's tag: taggit's shared Tag table, linked by a real foreign key. Its key is random
    too: a sequence, set as each story arrives, would give away the stories' order."""

    id = models.BigIntegerField(primary_key=True, default=random_key, editable=False)
    content_object = models.ForeignKey(
        Confession, on_delete=models.CASCADE, related_name="tagged_items", db_index=False
    )

    class Meta:
        constraints = [
            # Also the index for "has this story this tag?" and for a story's tags.
            models.UniqueConstraint(fields=["content_object", "tag"], name="one_tag_per_story"),
        ]
        # Stories with a tag, in key order: related stories and tag pages.
        indexes = [models.Index(fields=["tag", "-content_object"], name="taggedstory_tag_idx")]

    def __str__(self) -> str:
        return f"{self.content_object_id}: {self.tag_id}"


class Decision(models.TextChoices):
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    RETURNED = "pending", "Returned to pending"
    EDITED = "edited", "Edited"
    ASKED_CONSENT = "asked_consent", "Approved a rewording: waiting for the writer"
    WRITER_AGREED = "writer_agreed", "The writer agreed and it was published"
    PUBLISHED_REDACTED = "published_redacted", "Published with the redactions only"
    REPORTED = "reported", "Hidden after reports"
    MESSAGE = "message", "Wrote to the writer"


class ModerationDecision(models.Model):
    """The audit trail: who decided what about a story, when, and why.

    A step taken by the writer (agreeing to a rewording) or by readers' reports has no
    moderator, and is dated to the day only."""

    confession = models.ForeignKey(Confession, on_delete=models.CASCADE, related_name="decisions")
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="moderation_decisions",
        null=True,
        blank=True,
    )
    decision = models.CharField(max_length=24, choices=Decision.choices)
    reason = models.TextField(blank=True)
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_at", "-id"]

    def __str__(self) -> str:
        by = self.moderator or "the writer or readers"
        return f"{self.get_decision_display()} by {by} on {self.decided_at:%d %b %Y}"


class ModeratorDigestSent(models.Model):
    """A moderators' digest that has left, by the key its command gave it: a task run again (a
    retry, a worker killed after sending) finds it here and sends nothing twice. No time and
    no count are kept; the command that queues the next digest deletes these."""

    key = models.UUIDField(unique=True)

    def __str__(self) -> str:
        return f"digest {self.key}"


class UnvacuumedWithdrawal(models.Model):
    """A withdrawal whose old text may still be in the tables' files (PostgreSQL keeps the old
    row version until a VACUUM): ``manage.py vacuum_withdrawn`` vacuums the story tables when
    any is left, then deletes them. Nothing links it to the story."""

    class Meta:
        verbose_name = "withdrawal not vacuumed yet"

    def __str__(self) -> str:
        return "a withdrawal not vacuumed yet"


# Models of the app's own modules (their own files, so the top level stays small).
from confessions.api.models import OpenDataExport  # noqa: E402, F401

# The conversation around a story lives in its own module; imported here so Django finds it.
from confessions.conversation import (  # noqa: E402, F401
    AgreedText,
    Message,
    Report,
    StoryResponse,
)
from confessions.digests.models import DigestSent, Publication, Subscription  # noqa: E402, F401
from confessions.resources.models import Resource, TaggedResource  # noqa: E402, F401
