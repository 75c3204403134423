import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from confessions.models import Cause, Confession, Sector
from failshare.models import language_field


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")


def period_of(frequency: str, day: datetime.date) -> str:
    """The digest period a day falls in: an ISO week ("2026-W49") or a month ("2026-12")."""
    if frequency == Frequency.WEEKLY:
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{day:%Y-%m}"


class Publication(models.Model):
    """The order in which stories were first published, so a digest lists exactly the stories
    published since the last one. Only an order: no date, no time, nothing about a writer."""

    id = models.BigAutoField(primary_key=True)
    confession = models.OneToOneField(
        Confession, on_delete=models.CASCADE, related_name="publication"
    )

    class Meta:
        app_label = "confessions"

    def __str__(self) -> str:
        return f"publication {self.id}"


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_on__isnull=False)


class Subscription(models.Model):
    email = models.EmailField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="digest_subscriptions",
    )
    sector = models.CharField(max_length=32, choices=Sector.choices, blank=True)
    tag = models.ForeignKey("taggit.Tag", null=True, blank=True, on_delete=models.CASCADE)
    cause = models.CharField(max_length=32, choices=Cause.choices, blank=True)
    frequency = models.CharField(max_length=16, choices=Frequency.choices)
    created_on = models.DateField(default=datetime.date.today, editable=False)
    confirmed_on = models.DateField(null=True, blank=True)
    # The last publication a digest (or the confirmation) covered: the next lists those after.
    last_publication = models.BigIntegerField(default=0)
    # The language of the page the person subscribed on: the digests are written in it.
    language = language_field()

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        app_label = "confessions"
        ordering = ["email", "id"]

    def __str__(self) -> str:
        return f"{self.get_frequency_display()} digest of {self.describe()}"

    def describe(self) -> str:
        parts = [
            self.get_sector_display() if self.sector else "",
            gettext("tagged “%(tag)s”") % {"tag": self.tag.name} if self.tag_id else "",
            gettext("caused by %(cause)s") % {"cause": self.get_cause_display().lower()}
            if self.cause
            else "",
        ]
        chosen = ", ".join(part for part in parts if part)
        if chosen:
            # Translators: what a digest sends, e.g. "new stories (Health, tagged “procurement”)".
            return gettext("new stories (%(chosen)s)") % {"chosen": chosen}
        return gettext("all new stories")

    def stories(self):
        """Published stories first published after this subscription's last digest."""
        stories = Confession.objects.published().filter(publication__id__gt=self.last_publication)
        stories = stories.in_sector(self.sector).with_cause(self.cause)
        if self.tag_id:
            stories = stories.tagged(self.tag_id)
        return stories.select_related("publication").order_by("publication__id")

    def manage_url(self) -> str:
        from confessions.digests import tokens

        return reverse("digests:manage", args=[tokens.manage_token(self)])

    def unsubscribe_url(self) -> str:
        from confessions.digests import tokens

        return reverse("digests:unsubscribe", args=[tokens.manage_token(self)])


class DigestSent(models.Model):
    """One digest of one subscription for one period: at most one, by the unique constraint."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="sent")
    period = models.CharField(max_length=10)
    stories = models.PositiveIntegerField()

    class Meta:
        app_label = "confessions"
        constraints = [
            models.UniqueConstraint(fields=["subscription", "period"], name="one_digest_a_period")
        ]

    def __str__(self) -> str:
        return f"{self.subscription_id} {self.period}"
