from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import dateformat, timezone
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase


class Kind(models.TextChoices):
    WORKSHOP = "workshop", "Workshop"
    CONFERENCE = "conference", "Conference"
    WEBINAR = "webinar", "Webinar"
    ONLINE_CHAT = "online-chat", "Online chat"


class EventStatus(models.TextChoices):
    DRAFT = "draft", "Draft (not shown)"
    PUBLISHED = "published", "Published"
    CANCELLED = "cancelled", "Cancelled"


class RegistrationState(models.TextChoices):
    """What the public can do about an event right now."""

    OPEN = "open", "Places left"
    WAITING_LIST = "waiting-list", "Waiting list"
    NOT_OPEN_YET = "not-open-yet", "Registration not open yet"
    CLOSED = "closed", "Registration closed"
    CANCELLED = "cancelled", "Cancelled"
    PAST = "past", "Past event"


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=EventStatus.PUBLISHED)

    def visible(self):
        """Events with a public page: published, and cancelled ones so their links say so."""
        return self.filter(status__in=[EventStatus.PUBLISHED, EventStatus.CANCELLED])

    def upcoming(self):
        return self.published().filter(ends_at__gt=timezone.now()).order_by("starts_at", "id")

    def past(self):
        return self.published().filter(ends_at__lte=timezone.now()).order_by("-starts_at", "-id")

    def with_counts(self):
        """Annotate ``confirmed_count`` and ``waiting_count`` in the same query."""
        return self.annotate(
            confirmed_count=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)
            ),
            waiting_count=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.WAITING)
            ),
        )


hashtag_validator = RegexValidator(
    r"^#?\w+$", "A hashtag is one word of letters, digits or underscores, e.g. #LearnFromFailure."
)


def one_line(value: str) -> None:
    """A title goes into every email's subject, where a line break makes the email fail."""
    if any(character in value for character in "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"):
        raise ValidationError("Write the title on one line, without line breaks.", code="one_line")


class Event(models.Model):
    title = models.CharField(max_length=200, validators=[one_line])
    slug = models.SlugField(max_length=80, unique=True, help_text="The event's web address.")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.WORKSHOP)
    summary = models.CharField(max_length=300, help_text="One or two sentences for lists.")
    description = models.TextField(blank=True)
    starts_at = models.DateTimeField("starts", help_text="UK time.")
    ends_at = models.DateTimeField("ends", help_text="UK time.")
    venue = models.CharField(max_length=200, blank=True, help_text="Leave blank if online only.")
    address = models.TextField(blank=True)
    online_url = models.URLField(
        "online joining link", blank=True, help_text="Shown only to confirmed attendees."
    )
    city = models.CharField("city or region", max_length=100, blank=True)
    capacity = models.PositiveIntegerField(
        "places",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Leave blank for unlimited places.",
    )
    registration_opens_at = models.DateTimeField(
        "registration opens", null=True, blank=True, help_text="Blank: open once published."
    )
    registration_closes_at = models.DateTimeField(
        "registration closes", null=True, blank=True, help_text="Blank: closes when it starts."
    )
    hashtag = models.CharField(max_length=60, blank=True, validators=[hashtag_validator])
    organisers = models.CharField("organisers or facilitators", max_length=300, blank=True)
    tags = TaggableManager(
        through="TaggedEvent", blank=True, help_text="Comma-separated topics, shared with stories."
    )
    status = models.CharField(
        max_length=16, choices=EventStatus.choices, default=EventStatus.DRAFT, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_it_starts"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="event_capacity_at_least_one",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", args=[self.slug])

    def clean(self) -> None:
        self.hashtag = self.hashtag.lstrip("#")
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = "The event must end after it starts."
        if not self.venue and not self.online_url:
            errors["venue"] = "Give a venue, an online joining link, or both."
        closes = self.registration_closes_at
        if closes and self.starts_at and closes > self.starts_at:
            errors["registration_closes_at"] = "Registration must close by the time it starts."
        opens = self.registration_opens_at
        if opens and ((closes and opens >= closes) or (self.starts_at and opens >= self.starts_at)):
            errors["registration_opens_at"] = "Registration must open before it closes."
        if self.pk and self.capacity is not None:
            # services.event_save runs this with the event locked, so the count holds until saved.
            confirmed = self.registrations.confirmed().count()
            if self.capacity < confirmed:
                errors["capacity"] = (
                    f"{confirmed} places are already confirmed: capacity cannot be lower. "
                    "Cancel registrations first if you need fewer places."
                )
        if errors:
            raise ValidationError(errors)

    @property
    def address_one_line(self) -> str:
        return ", ".join(line.strip() for line in self.address.splitlines() if line.strip())

    @property
    def registration_closes(self) -> datetime:
        return self.registration_closes_at or self.starts_at

    def registration_state(self, now: datetime | None = None) -> str:
        """Needs ``confirmed_count`` (see ``EventQuerySet.with_counts``)."""
        now = now or timezone.now()
        if self.status == EventStatus.CANCELLED:
            return RegistrationState.CANCELLED
        if self.ends_at <= now:
            return RegistrationState.PAST
        if self.registration_opens_at and now < self.registration_opens_at:
            return RegistrationState.NOT_OPEN_YET
        if now >= self.registration_closes:
            return RegistrationState.CLOSED
        if self.places_left == 0:
            return RegistrationState.WAITING_LIST
        return RegistrationState.OPEN

    def registration_refusal(self, now: datetime | None = None) -> str:
        """Why nobody can register now, in words for the public; empty when they can."""
        now = now or timezone.now()
        if self.status == EventStatus.CANCELLED:
            return "This event has been cancelled, so it no longer takes registrations."
        if self.status != EventStatus.PUBLISHED:
            return "This event is not open for registration."
        if self.starts_at <= now:
            return "This event has already started or taken place."
        if self.registration_opens_at and now < self.registration_opens_at:
            when = dateformat.format(timezone.localtime(self.registration_opens_at), "l j F Y, H:i")
            return f"Registration opens on {when}."
        if now >= self.registration_closes:
            return "Registration for this event has closed."
        return ""

    @property
    def places_left(self) -> int | None:
        """None when places are unlimited. Needs ``confirmed_count``."""
        if self.capacity is None:
            return None
        return max(self.capacity - self.confirmed_count, 0)


class TaggedEvent(TaggedItemBase):
    """An event's tag: taggit's shared Tag table (shared with stories), by a real foreign key."""

    content_object = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="tagged_items", db_index=False
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="one_tag_per_event"),
        ]

    def __str__(self) -> str:
        return f"{self.content_object_id}: {self.tag_id}"


class QuestionKind(models.TextChoices):
    SHORT = "short", "Short answer"
    LONG = "long", "Long answer"
    ONE_CHOICE = "one-choice", "One choice"
    SEVERAL_CHOICES = "several-choices", "Several choices"


CHOICE_KINDS = {QuestionKind.ONE_CHOICE, QuestionKind.SEVERAL_CHOICES}


class Question(models.Model):
    """One question of an event's registration form."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="questions")
    label = models.CharField(max_length=200)
    help_text = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=16, choices=QuestionKind.choices, default=QuestionKind.SHORT)
    choices = models.TextField(blank=True, help_text="For choice questions: one choice per line.")
    required = models.BooleanField(default=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    def clean(self) -> None:
        if self.kind in CHOICE_KINDS and len(self.choice_list) < 2:
            raise ValidationError({"choices": "A choice question needs at least two choices."})
        if self.kind not in CHOICE_KINDS and self.choice_list:
            raise ValidationError({"choices": "Only choice questions have choices."})


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", "Place confirmed"
    WAITING = "waiting", "On the waiting list"
    CANCELLED = "cancelled", "Cancelled"


LIVE_STATUSES = [RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING]


class RegistrationQuerySet(models.QuerySet):
    def live(self):
        return self.filter(status__in=LIVE_STATUSES)

    def confirmed(self):
        return self.filter(status=RegistrationStatus.CONFIRMED)

    def waiting(self):
        """The waiting list, first in line first: ids follow the order the event lock was won."""
        return self.filter(status=RegistrationStatus.WAITING).order_by("id")

    def with_waiting_position(self):
        """Annotate ``waiting_position`` (1 is next in line; None unless waiting)."""
        ahead = (
            Registration.objects.filter(
                event=OuterRef("event"), status=RegistrationStatus.WAITING, id__lte=OuterRef("id")
            )
            .order_by()
            .values("event")
            .annotate(n=Count("id"))
            .values("n")
        )
        return self.annotate(
            waiting_position=models.Case(
                models.When(
                    status=RegistrationStatus.WAITING,
                    then=Coalesce(Subquery(ahead, output_field=models.IntegerField()), 0),
                ),
                default=None,
                output_field=models.IntegerField(),
            )
        )


class Registration(models.Model):
    """A person's place, or place in line, at one event."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations"
    )
    status = models.CharField(max_length=16, choices=RegistrationStatus.choices)
    created_at = models.DateTimeField("registered", default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(default=False)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=Q(status__in=LIVE_STATUSES),
                name="one_live_registration_per_person_per_event",
                violation_error_message="You are already registered for this event.",
            )
        ]
        indexes = [models.Index(fields=["event", "status", "id"], name="registration_line_idx")]

    def __str__(self) -> str:
        return f"{self.user.email} at {self.event}"

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    @property
    def can_cancel(self) -> bool:
        event = self.event
        return (
            self.is_live
            and event.status == EventStatus.PUBLISHED
            and event.starts_at > timezone.now()
        )


class Answer(models.Model):
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    # Several choices are kept one per line, as choices are written.
    value = models.TextField(blank=True)

    class Meta:
        ordering = ["question__order", "question_id"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "question"], name="one_answer_each")
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.display}"

    @property
    def display(self) -> str:
        return ", ".join(self.value.splitlines())


class SentEmail(models.Model):
    """A registration email that has left: a task run again (a retry, a worker killed after
    sending) finds it here and sends nothing twice. No time is kept: none is needed."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="sent_emails"
    )
    kind = models.CharField(max_length=32)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "kind"], name="one_email_of_a_kind_per_registration"
            )
        ]

    def __str__(self):
        return f"{self.kind} email for registration {self.registration_id}"
