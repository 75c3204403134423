from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, JSONObject
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from failshare.models import language_field


class Kind(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    CONFERENCE = "conference", _("Conference")
    WEBINAR = "webinar", _("Webinar")
    # Translators: a kind of event: a discussion held online, e.g. on social media with a hashtag.
    ONLINE_CHAT = "online-chat", _("Online chat")


class Region(models.TextChoices):
    """The UK nations, England's regions, and online."""

    NORTH_EAST = "north-east", _("North East England")
    NORTH_WEST = "north-west", _("North West England")
    YORKSHIRE = "yorkshire", _("Yorkshire and the Humber")
    EAST_MIDLANDS = "east-midlands", _("East Midlands")
    WEST_MIDLANDS = "west-midlands", _("West Midlands")
    EAST = "east", _("East of England")
    LONDON = "london", _("London")
    SOUTH_EAST = "south-east", _("South East England")
    SOUTH_WEST = "south-west", _("South West England")
    SCOTLAND = "scotland", _("Scotland")
    WALES = "wales", _("Wales")
    NORTHERN_IRELAND = "northern-ireland", _("Northern Ireland")
    # Translators: a region of the events list: events held online.
    ONLINE = "online", _("Online")


class EventStatus(models.TextChoices):
    # Translators: an event's status: a draft has no public page yet.
    DRAFT = "draft", _("Draft (not shown)")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")


class RegistrationState(models.TextChoices):
    """What the public can do about an event right now."""

    # Translators: what the public can do about an event now: places can be taken.
    OPEN = "open", _("Places left")
    WAITING_LIST = "waiting-list", _("Waiting list")
    NOT_OPEN_YET = "not-open-yet", _("Registration not open yet")
    CLOSED = "closed", _("Registration closed")
    CANCELLED = "cancelled", _("Cancelled")
    PAST = "past", _("Past event")


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=EventStatus.PUBLISHED)

    def visible(self):
        """Events with a public page: published, and cancelled ones so their links say so."""
        return self.filter(status__in=[EventStatus.PUBLISHED, EventStatus.CANCELLED])

    def filtered(self, *, region: str = "", kind: str = ""):
        """The events list's filters; an empty value does not filter."""
        events = self
        if region:
            events = events.filter(region=region)
        if kind:
            events = events.filter(kind=kind)
        return events

    def with_resources(self):
        """Annotate ``resource_list`` (title, url, kind of each resource) in the same query."""
        resources = (
            EventResource.objects.filter(event=OuterRef("pk"))
            .order_by("order", "id")
            .values(json=JSONObject(title="title", url="url", kind="kind"))
        )
        return self.annotate(resource_list=ArraySubquery(resources))

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
    region = models.CharField(
        max_length=20,
        choices=Region.choices,
        blank=True,
        db_index=True,
        help_text='For the events list\'s filter and "events near you".',
    )
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
    price = models.DecimalField(
        "price for non-members",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="In pounds. Blank: free. Payment happens outside the site: priced places are "
        "invoiced, unless a member organisation's complimentary place covers them.",
    )
    discussion_questions = models.TextField(
        blank=True,
        help_text="For online chats: the questions to be discussed, one per line, shown on the "
        "event's page with its hashtag.",
    )
    after_summary = models.TextField(
        "summary afterwards",
        blank=True,
        max_length=5000,
        help_text="Plain text, shown on the past event's page; a blank line starts a paragraph.",
    )
    reminder_days = models.PositiveSmallIntegerField(
        "reminder, days before",
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text="Confirmed attendees are emailed this many days before the event, with links "
        "to say whether they can still come.",
    )
    hashtag = models.CharField(max_length=60, blank=True, validators=[hashtag_validator])
    organisers = models.CharField("organisers or facilitators", max_length=300, blank=True)
    organiser_staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name="organisers to alert",
        blank=True,
        limit_choices_to={"is_staff": True},
        related_name="events_organised",
        help_text="Staff emailed when the event is half full, 80% full and full.",
    )
    # The highest CapacityLevel recorded, read with the event's lock: no other query is needed
    # to know that a level has been alerted already.
    alerted_level = models.PositiveSmallIntegerField(default=0, editable=False)
    language = language_field()
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
            return gettext("This event has been cancelled, so it no longer takes registrations.")
        if self.status != EventStatus.PUBLISHED:
            return gettext("This event is not open for registration.")
        if self.starts_at <= now:
            return gettext("This event has already started or taken place.")
        if self.registration_opens_at and now < self.registration_opens_at:
            # Day and month names follow the language shown.
            when = dateformat.format(timezone.localtime(self.registration_opens_at), "l j F Y, H:i")
            # Translators: the date and time, e.g. "Monday 5 January 2026, 10:00".
            return gettext("Registration opens on %(when)s.") % {"when": when}
        if now >= self.registration_closes:
            return gettext("Registration for this event has closed.")
        return ""

    @property
    def discussion_question_list(self) -> list[str]:
        return [line.strip() for line in self.discussion_questions.splitlines() if line.strip()]

    @property
    def is_priced(self) -> bool:
        return bool(self.price)

    @property
    def membership_year(self) -> int:
        """Complimentary places are counted per calendar year of the event's start (UK time)."""
        return timezone.localtime(self.starts_at).year

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
    SHORT = "short", _("Short answer")
    LONG = "long", _("Long answer")
    ONE_CHOICE = "one-choice", _("One choice")
    SEVERAL_CHOICES = "several-choices", _("Several choices")


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
    CONFIRMED = "confirmed", _("Place confirmed")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


LIVE_STATUSES = [RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING]


class RegistrationQuerySet(models.QuerySet):
    def reminders_due(self, now: datetime | None = None):
        """Confirmed places at published events starting within their reminder days, whose
        reminder has not left yet."""
        now = now or timezone.now()
        reminder_from = models.ExpressionWrapper(
            models.F("event__starts_at") - models.F("event__reminder_days") * timedelta(days=1),
            output_field=models.DateTimeField(),
        )
        return (
            self.confirmed()
            .filter(event__status=EventStatus.PUBLISHED, event__starts_at__gt=now)
            .alias(reminder_from=reminder_from)
            .filter(reminder_from__lte=now)
            .exclude(sent_emails__kind="reminder")
        )

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


class Payment(models.TextChoices):
    # Translators: how a place at an event is paid for: it costs nothing.
    FREE = "free", _("Free")
    COMPLIMENTARY = "complimentary", _("Complimentary member place")
    INVOICE = "invoice", _("To be invoiced")


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
    payment = models.CharField(max_length=16, choices=Payment.choices, default=Payment.FREE)
    feedback_given = models.BooleanField(default=False)
    # The language of the page the person registered on: their emails about it are in it.
    language = language_field()
    # The member's year whose complimentary place this live registration holds (given back on
    # cancellation, by no longer being live).
    membership = models.ForeignKey(
        "Membership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registrations",
    )

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=Q(status__in=LIVE_STATUSES),
                name="one_live_registration_per_person_per_event",
                violation_error_message="You are already registered for this event.",
            ),
            models.CheckConstraint(
                condition=Q(payment="complimentary", membership__isnull=False)
                | (~Q(payment="complimentary") & Q(membership__isnull=True)),
                name="complimentary_place_names_its_membership",
            ),
        ]
        indexes = [models.Index(fields=["event", "status", "id"], name="registration_line_idx")]

    def __str__(self) -> str:
        return f"{self.user.email} at {self.event}"

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    @property
    def can_change_answers(self) -> bool:
        event = self.event
        return (
            self.is_live
            and event.status == EventStatus.PUBLISHED
            and timezone.now() < event.registration_closes
        )

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


class MembershipTier(models.Model):
    """A membership package, as sold: e.g. "Associate" with 2 complimentary places a year."""

    name = models.CharField(max_length=100, unique=True)
    places_per_year = models.PositiveIntegerField("complimentary places each year")

    class Meta:
        ordering = ["places_per_year", "name"]

    def __str__(self) -> str:
        return f"{self.name}: {self.places_per_year} places"


class MemberOrganisation(models.Model):
    name = models.CharField(max_length=200, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


domain_validator = RegexValidator(
    r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$",
    "Give a domain such as example.gov.uk, without @ or spaces.",
)


class MemberDomain(models.Model):
    """An email domain of a member's staff: a verified address on it makes a person staff."""

    organisation = models.ForeignKey(
        MemberOrganisation, on_delete=models.CASCADE, related_name="domains"
    )
    domain = models.CharField(max_length=200, unique=True, validators=[domain_validator])

    class Meta:
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain

    def clean(self) -> None:
        self.domain = self.domain.strip().lower().lstrip("@")


class MembershipQuerySet(models.QuerySet):
    def with_use(self):
        """Annotate ``used``: complimentary places held by live registrations."""
        return self.annotate(
            used=Count("registrations", filter=Q(registrations__status__in=LIVE_STATUSES))
        )


class Membership(models.Model):
    """A member organisation's membership for one year: its row is locked while its
    complimentary places are counted (after the event's, always in that order)."""

    organisation = models.ForeignKey(
        MemberOrganisation, on_delete=models.CASCADE, related_name="memberships"
    )
    year = models.PositiveIntegerField(validators=[MinValueValidator(2000)])
    tier = models.ForeignKey(MembershipTier, on_delete=models.PROTECT, related_name="memberships")

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"], name="one_membership_per_organisation_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year} ({self.tier.name})"

    @property
    def places(self) -> int:
        return self.tier.places_per_year


class CapacityLevel(models.IntegerChoices):
    # Translators: how many places an event has taken, as in "<event title> is half full".
    HALF = 50, _("half full")
    # Translators: as in "<event title> is 80% full".
    # xgettext:no-python-format
    EIGHTY = 80, _("80% full")
    # Translators: as in "<event title> is full": no places left.
    FULL = 100, _("full")


class CapacityAlert(models.Model):
    """A level of places taken that an event has reached: recorded under the event's lock, so
    each level is reached once, and its email sent once (``sent``). The day only, for the
    admin's "filled today" line."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="capacity_alerts")
    level = models.PositiveSmallIntegerField(choices=CapacityLevel.choices)
    day = models.DateField(default=timezone.localdate)
    sent = models.BooleanField(default=False)

    class Meta:
        ordering = ["event", "level"]
        constraints = [
            models.UniqueConstraint(fields=["event", "level"], name="one_alert_per_level")
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.get_level_display()}"


class RegionChoice(models.Model):
    """The region a signed-in person chose, to see events near them first (visitors keep
    theirs in a cookie)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_region"
    )
    region = models.CharField(max_length=20, choices=Region.choices)

    def __str__(self) -> str:
        return self.get_region_display()


class Audience(models.TextChoices):
    CONFIRMED = "confirmed", _("Everyone with a confirmed place")
    WAITING = "waiting", _("Everyone on the waiting list")


class OrganiserMessage(models.Model):
    """A message an organiser sent to an event's attendees: each recipient's copy is a task,
    recorded in ``SentEmail`` (kind ``message-<id>``) when it leaves, so none goes twice."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="messages")
    audience = models.CharField(max_length=16, choices=Audience.choices)
    subject = models.CharField(max_length=150, validators=[one_line])
    body = models.TextField(max_length=5000)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    day = models.DateField(default=timezone.localdate)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.subject

    @property
    def email_kind(self) -> str:
        return f"message-{self.pk}"


class ResourceKind(models.TextChoices):
    SLIDES = "slides", _("Slides")
    RECORDING = "recording", _("Recording")
    WRITE_UP = "write-up", _("Write-up")
    # Translators: a kind of link shared after an event (slides, a recording, a write-up...).
    OTHER = "other", _("Other")


class EventResource(models.Model):
    """A link shared after the event: slides, a recording, a write-up."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="resources")
    kind = models.CharField(
        max_length=16, choices=ResourceKind.choices, default=ResourceKind.SLIDES
    )
    title = models.CharField(max_length=200, validators=[one_line])
    url = models.URLField("link", max_length=500)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title


class FeedbackQuestion(models.Model):
    """One question of an event's feedback form, sent to those who attended."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="feedback_questions")
    label = models.CharField(max_length=200)
    help_text = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=16, choices=QuestionKind.choices, default=QuestionKind.SHORT)
    choices = models.TextField(blank=True, help_text="For choice questions: one choice per line.")
    required = models.BooleanField(default=False)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.label

    choice_list = Question.choice_list
    clean = Question.clean


class FeedbackResponse(models.Model):
    """One person's feedback, kept apart from who they are: no user, no registration, no
    time (``Registration.feedback_given`` alone says that someone answered)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="feedback")

    def __str__(self) -> str:
        return f"Feedback {self.pk} on {self.event}"


class FeedbackAnswer(models.Model):
    response = models.ForeignKey(FeedbackResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(FeedbackQuestion, on_delete=models.CASCADE, related_name="answers")
    value = models.TextField(blank=True)

    class Meta:
        ordering = ["question__order", "question_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="one_feedback_answer_each"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.value}"
