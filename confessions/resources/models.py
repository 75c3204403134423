from urllib.parse import urlsplit

from django.contrib.postgres.fields import ArrayField
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from confessions.models import Cause, no_control_characters, today
from failshare.models import language_field


class ResourceStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a moderator")
    APPROVED = "approved", _("Published")
    REJECTED = "rejected", _("Not published")


class ResourceQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=ResourceStatus.APPROVED)

    def tagged(self, tag_id: int | None):
        return self.filter(tagged_items__tag_id=tag_id) if tag_id is not None else self

    def with_cause(self, cause: str | None):
        return self.filter(causes__contains=[cause]) if cause else self


class Resource(models.Model):
    """A link to something useful. Like a story, linked to nobody: no user, address or time."""

    title = models.CharField(max_length=120, validators=[no_control_characters])
    url = models.URLField(
        "link", max_length=500, validators=[URLValidator(schemes=["https", "http"])]
    )
    description = models.TextField(max_length=500, validators=[no_control_characters])
    causes = ArrayField(
        models.CharField(max_length=16, choices=Cause.choices), default=list, blank=True
    )
    tags = TaggableManager(through="TaggedResource", blank=True)
    status = models.CharField(
        max_length=16, choices=ResourceStatus.choices, default=ResourceStatus.PENDING
    )
    # Day precision on purpose, as for stories.
    submitted_on = models.DateField(default=today, editable=False)
    language = language_field()

    objects = ResourceQuerySet.as_manager()

    class Meta:
        app_label = "confessions"
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def domain(self) -> str:
        host = urlsplit(self.url).hostname or ""
        return host.removeprefix("www.")

    def cause_labels(self) -> list[str]:
        return [label for value, label in Cause.choices if value in self.causes]


class TaggedResource(TaggedItemBase):
    content_object = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        app_label = "confessions"
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="one_tag_per_resource")
        ]
