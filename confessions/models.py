import re
import secrets

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchVector,
    SearchVectorField,
)
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q, Window
from django.db.models.functions import Left, RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

SEARCH_CONFIG = "english"
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
            "Remove the control characters (invisible characters copied from another program) "
            "from this text.",
            code="control_characters",
        )


class Sector(models.TextChoices):
    LOCAL_GOVERNMENT = "local-government", "Local government"
    CENTRAL_GOVERNMENT = "central-government", "Central government"
    HEALTH = "health", "Health"
    HOUSING = "housing", "Housing"
    SOCIAL_CARE = "social-care", "Social care"
    CHARITY = "charity", "Charity and voluntary"
    EDUCATION = "education", "Education"
    DIGITAL = "digital", "Digital and technology"
    OTHER = "other", "Other"


class OrganisationSize(models.TextChoices):
    SMALL = "small", "Small (fewer than 50 people)"
    MEDIUM = "medium", "Medium (50 to 250 people)"
    LARGE = "large", "Large (250 to 5,000 people)"
    VERY_LARGE = "very-large", "Very large (more than 5,000 people)"


class Impact(models.TextChoices):
    LOW = "low", "Low: some time or money lost"
    MEDIUM = "medium", "Medium: a project or service set back"
    HIGH = "high", "High: people or services seriously affected"


class Status(models.TextChoices):
    PENDING = "pending", "Waiting for a moderator"
    APPROVED = "approved", "Published"
    REJECTED = "rejected", "Not published"
    WITHDRAWN = "withdrawn", "Withdrawn"


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


def search_query(text: str) -> SearchQuery:
    return SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)


class ConfessionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(PUBLISHED)

    def pending(self):
        return self.filter(status=Status.PENDING)

    def in_sector(self, sector: str | None):
        return self.filter(sector=sector) if sector else self

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

    def for_cards(self):
        """Only what a story card shows (``confessions/_card.html``): no long texts, an excerpt
        of the lessons, and the tags."""
        return (
            self.only("slug", "title", "sector", "published_month", "me_too_count")
            .annotate(lessons_excerpt=Left("what_we_learned", EXCERPT_CHARS))
            .prefetch_related("tags")
        )

    def search(self, text: str, *, limit: int, month_slices=(), sector="", tag_id=None):
        """The newest ``limit`` published stories that match ``text``, ranked, as
        ``confessions.search.Candidate`` rows (whatever this queryset was filtered by)."""
        from confessions import search

        return search.candidates(
            text, limit=limit, month_slices=month_slices, sector=sector, tag_id=tag_id
        )

    def highlighted(self, text: str):
        """Annotate ``title_marked`` and ``lessons_marked``: the title, and a snippet of the
        lessons' opening, with the words ``text`` finds between the highlight marks."""
        query = search_query(text)
        marks = {"config": SEARCH_CONFIG, "start_sel": HIGHLIGHT_START, "stop_sel": HIGHLIGHT_STOP}
        return self.annotate(
            title_marked=SearchHeadline("title", query, highlight_all=True, **marks),
            lessons_marked=SearchHeadline(
                Left("what_we_learned", HIGHLIGHT_CHARS),
                query,
                max_words=35,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
                **marks,
            ),
        )

    def related_to(self, confession: "Confession", tag_ids: list[int], pool: int = 300):
        """Stories sharing the most tags with ``confession``, newest first among equals.

        Only the ``pool`` most recent stories sharing a tag are compared: a common tag is on
        tens of thousands of stories, and counting shared tags for all of them is slow."""
        if not tag_ids:
            return self.none()
        sharing = TaggedStory.objects.filter(tag_id__in=tag_ids).exclude(content_object=confession)
        recent_sharing = sharing.order_by("-content_object_id").values("content_object_id")[:pool]
        return (
            self.filter(id__in=recent_sharing)
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


class Confession(models.Model):
    """An anonymous story. Nothing here may link it to a person: no user, address or exact time."""

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

    receipt_hash = models.CharField(max_length=64, unique=True, editable=False)
    submission_key = models.UUIDField(unique=True, null=True, blank=True, editable=False)

    # Title and lessons weigh most in ranking. Generated by PostgreSQL, so always in step.
    search_vector = models.GeneratedField(
        expression=(
            SearchVector("title", weight="A", config=SEARCH_CONFIG)
            + SearchVector("what_we_learned", weight="A", config=SEARCH_CONFIG)
            + SearchVector("what_we_would_do_differently", weight="B", config=SEARCH_CONFIG)
            + SearchVector("what_went_wrong", weight="C", config=SEARCH_CONFIG)
            + SearchVector("what_happened", weight="D", config=SEARCH_CONFIG)
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


class TaggedStory(TaggedItemBase):
    """A story's tag: taggit's shared Tag table, linked by a real foreign key."""

    content_object = models.ForeignKey(
        Confession, on_delete=models.CASCADE, related_name="tagged_items", db_index=False
    )

    class Meta:
        constraints = [
            # Also the index for "has this story this tag?" and for a story's tags.
            models.UniqueConstraint(fields=["content_object", "tag"], name="one_tag_per_story"),
        ]
        # Stories with a tag, newest (highest id) first: related stories and tag pages.
        indexes = [models.Index(fields=["tag", "-content_object"], name="taggedstory_tag_idx")]

    def __str__(self) -> str:
        return f"{self.content_object_id}: {self.tag_id}"


class Decision(models.TextChoices):
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    RETURNED = "pending", "Returned to pending"
    EDITED = "edited", "Edited"


class ModerationDecision(models.Model):
    """The audit trail: who decided what about a story, when, and why."""

    confession = models.ForeignKey(Confession, on_delete=models.CASCADE, related_name="decisions")
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="moderation_decisions"
    )
    decision = models.CharField(max_length=16, choices=Decision.choices)
    reason = models.TextField(blank=True)
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} by {self.moderator} on {self.decided_at:%d %b %Y}"
