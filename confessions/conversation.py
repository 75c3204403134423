"""The conversation around a story: messages between a moderator and the writer (through the
receipt), the text the writer last agreed to (consent to a rewording), readers' responses, and
reports of stories and responses.

Nothing a writer, responder or reporter sends carries who sent it or when to finer than the day.
"""

from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from confessions.models import (
    SECTION_MAX,
    TITLE_MAX,
    Confession,
    no_control_characters,
    today,
)
from failshare.models import language_field

MESSAGE_MAX = 2000
RESPONSE_MAX = 3000
REPORT_NOTE_MAX = 500
# What a redaction puts in place of a detail: the same mark as the writer's own "Remove it".
REDACTION = "[removed]"


class Author(models.TextChoices):
    # Translators: who wrote a message in the conversation shown to a story's writer.
    MODERATOR = "moderator", _("Moderator")
    # Translators: the writer of the story, reading their own conversation with the moderators.
    WRITER = "writer", _("You")


class Message(models.Model):
    """One message between the moderators and the writer of a story, dated to the day."""

    confession = models.ForeignKey(Confession, on_delete=models.CASCADE, related_name="messages")
    # The order within the conversation (1, 2, 3 ...): no time is kept to order them by.
    position = models.PositiveIntegerField(editable=False)
    author = models.CharField(max_length=16, choices=Author.choices)
    text = models.TextField(validators=[MaxLengthValidator(MESSAGE_MAX), no_control_characters])
    sent_on = models.DateField(default=today, editable=False)
    # For the writer's answers: not yet read by a moderator.
    unread = models.BooleanField(default=False)

    class Meta:
        ordering = ["confession", "position"]
        constraints = [
            models.UniqueConstraint(fields=["confession", "position"], name="one_message_per_place")
        ]
        indexes = [
            models.Index(
                fields=["confession"], name="message_unread_idx", condition=models.Q(unread=True)
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_author_display()} on {self.sent_on:%d %b %Y}"

    @property
    def speaker(self) -> str:
        return self.get_author_display()


class AgreedText(models.Model):
    """The text of a story as its writer last agreed to it, kept while a moderator rewords it.

    ``asked_on`` is the day a moderator approved a rewording: from then the story waits for the
    writer's agreement before it is published (``confessions.consent``).
    """

    confession = models.OneToOneField(
        Confession, on_delete=models.CASCADE, primary_key=True, related_name="agreed_text"
    )
    title = models.CharField(max_length=TITLE_MAX)
    what_happened = models.TextField(validators=[MaxLengthValidator(SECTION_MAX)])
    what_went_wrong = models.TextField(validators=[MaxLengthValidator(SECTION_MAX)])
    what_we_learned = models.TextField(validators=[MaxLengthValidator(SECTION_MAX)])
    what_we_would_do_differently = models.TextField(validators=[MaxLengthValidator(SECTION_MAX)])
    asked_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "text the writer agreed to"
        verbose_name_plural = "texts the writers agreed to"

    def __str__(self) -> str:
        return f"Agreed text of story {self.confession_id}"


class ResponseStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a moderator")
    APPROVED = "approved", _("Published")
    REJECTED = "rejected", _("Not published")
    REPORTED = "reported", _("Hidden after reports")


RESPONSE_PUBLISHED = models.Q(status=ResponseStatus.APPROVED)


class StoryResponseQuerySet(models.QuerySet):
    def published(self):
        return self.filter(RESPONSE_PUBLISHED)

    def pending(self):
        return self.filter(status=ResponseStatus.PENDING)


class StoryResponse(models.Model):
    """A reader's response under a published story: what happened to them, or what worked."""

    confession = models.ForeignKey(Confession, on_delete=models.CASCADE, related_name="responses")
    text = models.TextField(
        "response", validators=[MaxLengthValidator(RESPONSE_MAX), no_control_characters]
    )
    status = models.CharField(
        max_length=16, choices=ResponseStatus.choices, default=ResponseStatus.PENDING
    )
    rejection_reason = models.TextField(blank=True)
    submitted_on = models.DateField(default=today, editable=False)
    published_month = models.DateField(null=True, blank=True, editable=False)
    helped_count = models.PositiveIntegerField(default=0, editable=False)
    language = language_field()
    submission_key = models.UUIDField(unique=True, null=True, blank=True, editable=False)

    objects = StoryResponseQuerySet.as_manager()

    class Meta:
        verbose_name = "response"
        ordering = ["published_month", "id"]
        indexes = [
            models.Index(
                fields=["confession", "published_month", "id"],
                name="response_published_idx",
                condition=RESPONSE_PUBLISHED,
            ),
            models.Index(fields=["status"], name="response_status_idx"),
        ]

    def __str__(self) -> str:
        return f"Response {self.pk} to story {self.confession_id}"

    def get_absolute_url(self) -> str:
        return f"{self.confession.get_absolute_url()}#response-{self.pk}"


class ReportReason(models.TextChoices):
    IDENTIFIES = "identifies", _("It could identify a person or an organisation")
    OFFENSIVE = "offensive", _("It is offensive or abusive")
    SPAM = "spam", _("It is spam or advertising")
    UNTRUE = "untrue", _("It is not a real story or is misleading")
    OTHER = "other", _("Something else")


class Report(models.Model):
    """One report of a published story or response. Nothing says who sent it; only the day."""

    confession = models.ForeignKey(
        Confession, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    response = models.ForeignKey(
        StoryResponse, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    reason = models.CharField(max_length=16, choices=ReportReason.choices)
    note = models.TextField(
        blank=True, validators=[MaxLengthValidator(REPORT_NOTE_MAX), no_control_characters]
    )
    reported_on = models.DateField(default=today, editable=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(confession__isnull=False, response__isnull=True)
                | models.Q(confession__isnull=True, response__isnull=False),
                name="report_has_one_target",
            )
        ]

    def __str__(self) -> str:
        return self.get_reason_display()
