import secrets

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import (
    SearchQuery,
    SearchVector,
    SearchVectorField,
)
from django.core.validators import MaxLengthValidator
from django.db import connection, models
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Window
from django.db.models.functions import Left, RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from taggit.managers import TaggableManager
from taggit.models import TaggedItem

SEARCH_CONFIG = "english"


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


TITLE_MAX = 120
SECTION_MAX = 5000


# The keys a list can be sorted by, most significant first; every one is descending.
SORT_KEYS = {
    "newest": ("published_month", "id"),
    "me-too": ("me_too_count", "published_month", "id"),
}
# Markers ts_headline puts around matches; private-use characters never typed in a story.
HIGHLIGHT_START = "\ue000"
HIGHLIGHT_STOP = "\ue001"
EXCERPT_CHARS = 320
# A search card's lessons snippet is looked for in this much of the lessons.
HIGHLIGHT_CHARS = 1000
# A quoted phrase is looked for among at most this many of the newest stories with its words.
PHRASE_POOL = 2000


def search_query(text: str) -> SearchQuery:
    return SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)


class ConfessionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.APPROVED)

    def pending(self):
        return self.filter(status=Status.PENDING)

    def in_sector(self, sector: str | None):
        return self.filter(sector=sector) if sector else self

    def tagged(self, tag_id: int | None):
        if tag_id is None:
            return self
        # EXISTS probes taggit's (content type, object, tag) index row by row, so a list walks
        # its sort index and stops after one page instead of joining every tagged story.
        story_type = ContentType.objects.get_for_model(self.model)
        tagged_items = TaggedItem.objects.filter(
            content_type=story_type, tag_id=tag_id, object_id=OuterRef("pk")
        )
        return self.filter(Exists(tagged_items))

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
        """Only what a story card shows: no long texts, a lessons excerpt (tags: cards.py)."""
        return self.only("slug", "title", "sector", "published_month", "me_too_count").annotate(
            lessons_excerpt=Left("what_we_learned", EXCERPT_CHARS)
        )

    def highlighted_cards(self, ids: list[int], text: str) -> dict[int, dict]:
        """Card columns of these stories, with the title and a lessons snippet marked up where
        they match (between HIGHLIGHT_START and _STOP), by id.

        ts_headline reparses each text, so it runs on these rows only, and on the opening
        HIGHLIGHT_CHARS of the lessons (what a card has room for), not all of them. Written in
        SQL: building this query with the ORM costs more than running it."""
        options = f"StartSel='{HIGHLIGHT_START}', StopSel='{HIGHLIGHT_STOP}'"
        lessons_options = (
            f"{options}, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=' … '"
        )
        table = self.model._meta.db_table
        sql = (
            "SELECT id, slug, title, sector, published_month, me_too_count, "  # noqa: S608
            "ts_headline(%s::regconfig, title, q, %s), "
            f"ts_headline(%s::regconfig, left(what_we_learned, {HIGHLIGHT_CHARS}), q, %s) "
            f"FROM {table}, websearch_to_tsquery(%s::regconfig, %s) AS q "
            "WHERE id = ANY(%s) AND status = %s"
        )
        params = (
            SEARCH_CONFIG,
            f"{options}, HighlightAll=true",
            SEARCH_CONFIG,
            lessons_options,
            SEARCH_CONFIG,
            text,
            list(ids),
            Status.APPROVED,
        )
        names = ("id", "slug", "title", "sector", "published_month", "me_too_count")
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return {
                row[0]: {
                    **dict(zip(names, row[:6], strict=True)),
                    "title_marked": row[6],
                    "lessons_marked": row[7],
                }
                for row in cursor.fetchall()
            }

    def search_candidates(self, text: str, limit: int, slice_months: tuple = ()) -> list[tuple]:
        """Up to ``limit`` newest matches as (id, sector, me_too_count, published_month, rank,
        tag ids).

        Ranking every match of a common word would read tens of thousands of search vectors;
        only the newest ``limit`` matches are ranked and have their tags looked up, in an outer
        query so PostgreSQL does that work after the limit.

        ``slice_months`` (newest first) split the stories into the newest few thousand, the next
        few thousand, and the rest. Each slice is searched in turn, newest first, and
        PostgreSQL stops as soon as ``limit`` matches are found, so the result is the same as
        one search of everything. Within a bounded slice it can intersect the GIN index with the
        recency index and read only the matching rows: a word in a few per cent of the stories
        would otherwise walk thousands of rows of the recency index reading each search vector."""
        query = search_query(text)
        matches = self.filter(search_vector=query)
        if '"' in text:
            # A quoted phrase of common words that are seldom side by side would walk the whole
            # recency index checking word positions: look for it only among the newest stories
            # that contain all of its words.
            loose = search_query(text.replace('"', " "))
            pool = self.filter(search_vector=loose).sorted_by("newest").values("id")[:PHRASE_POOL]
            matches = matches.filter(id__in=pool)
        # The matching query is built once by the ORM; each slice wraps it with its months, and
        # PostgreSQL folds the wrapper into the same plan as a slice written out in full.
        columns = ("id", "sector", "me_too_count", "published_month", "search_vector")
        match_sql, match_params = matches.values_list(*columns).order_by().query.sql_with_params()
        bounds: list[tuple[str, list]] = []
        newer_than = None
        for month in slice_months:
            if newer_than:
                bounds.append(
                    ("s.published_month >= %s AND s.published_month < %s", [month, newer_than])
                )
            else:
                bounds.append(("s.published_month >= %s", [month]))
            newer_than = month
        if newer_than:
            bounds.append(("(s.published_month < %s OR s.published_month IS NULL)", [newer_than]))
        else:
            bounds.append(("TRUE", []))
        parts, params = [], []
        for condition, bound_params in bounds:
            parts.append(
                f"(SELECT * FROM ({match_sql}) AS s WHERE {condition} "  # noqa: S608
                f"ORDER BY s.published_month DESC, s.id DESC LIMIT {int(limit)})"
            )
            params.extend([*match_params, *bound_params])
        inner_sql = " UNION ALL ".join(parts) + (f" LIMIT {int(limit)}" if len(parts) > 1 else "")
        rank = "ts_rank(search_vector, websearch_to_tsquery(%s::regconfig, %s))"
        tagged_items = TaggedItem._meta.db_table
        tag_ids = f"ARRAY(SELECT tag_id FROM {tagged_items} WHERE content_type_id = %s AND object_id = m.id)"  # noqa: S608, E501
        story_type = ContentType.objects.get_for_model(self.model)
        # The inner SQL is Django's own, with its parameters kept apart.
        sql = f"SELECT id, sector, me_too_count, published_month, {rank}, {tag_ids} FROM ({inner_sql}) AS m"  # noqa: S608, E501
        with connection.cursor() as cursor:
            cursor.execute(sql, (SEARCH_CONFIG, text, story_type.id, *params))
            return [tuple(row) for row in cursor.fetchall()]

    def related_to(self, confession: "Confession", tag_ids: list[int], pool: int = 300):
        """Stories sharing the most tags with ``confession``, newest first among equals.

        Only the ``pool`` most recent stories sharing a tag are compared: a common tag is on
        tens of thousands of stories, and counting shared tags for all of them is slow."""
        if not tag_ids:
            return self.none()
        story_type = ContentType.objects.get_for_model(self.model)
        recent_sharing = (
            TaggedItem.objects.filter(content_type=story_type, tag_id__in=tag_ids)
            .exclude(object_id=confession.pk)
            .order_by("-object_id")
            .values("object_id")[:pool]
        )
        # A correlated count, not a join through the tags relation: that join casts taggit's
        # integer object_id to our bigint id, which keeps PostgreSQL off taggit's index.
        shared_tags = (
            TaggedItem.objects.filter(
                content_type=story_type, tag_id__in=tag_ids, object_id=OuterRef("pk")
            )
            .order_by()
            .values("object_id")
            .annotate(n=Count("id"))
            .values("n")
        )
        return (
            self.filter(id__in=recent_sharing)
            .annotate(shared_tags=Subquery(shared_tags))
            .only("slug", "title", "sector", "published_month")
            .order_by("-shared_tags", "-published_month", "-id")
        )


def new_slug(title: str) -> str:
    """A readable, unguessable address: never a sequential id."""
    base = slugify(title)[:60].strip("-") or "story"
    return f"{base}-{secrets.token_hex(3)}"


def today():
    return timezone.localdate()


class Confession(models.Model):
    """An anonymous story. Nothing here may link it to a person: no user, address or exact time."""

    slug = models.SlugField(max_length=80, unique=True, editable=False)
    title = models.CharField(max_length=TITLE_MAX)
    sector = models.CharField(max_length=32, choices=Sector.choices)
    organisation_size = models.CharField(
        "organisation size", max_length=16, choices=OrganisationSize.choices, blank=True
    )
    what_happened = models.TextField(validators=[MaxLengthValidator(SECTION_MAX)])
    what_went_wrong = models.TextField(
        "what went wrong and why", validators=[MaxLengthValidator(SECTION_MAX)]
    )
    what_we_learned = models.TextField(validators=[MaxLengthValidator(SECTION_MAX)])
    what_we_would_do_differently = models.TextField(validators=[MaxLengthValidator(SECTION_MAX)])
    impact = models.CharField(max_length=16, choices=Impact.choices, blank=True)
    tags = TaggableManager(blank=True, help_text="Comma-separated topics, e.g. procurement")

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
                condition=~models.Q(status="approved") | models.Q(published_month__isnull=False),
                name="confession_published_has_month",
            ),
        ]
        indexes = [
            GinIndex(fields=["search_vector"], name="confession_search_gin"),
            models.Index(
                fields=["-published_month", "-id"],
                name="confession_published_idx",
                condition=models.Q(status="approved"),
            ),
            models.Index(
                fields=["sector", "-published_month", "-id"],
                name="confession_sector_idx",
                condition=models.Q(status="approved"),
            ),
            models.Index(
                fields=["-me_too_count", "-published_month", "-id"],
                name="confession_me_too_idx",
                condition=models.Q(status="approved"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("confessions:detail", args=[self.slug])


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
