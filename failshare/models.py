"""The version of each kind of public content, kept by PostgreSQL itself.

A cached public page is served only while the versions it was built from are still the current
ones (``failshare.pagecache``). Triggers, written by the migrations of each app, raise a version
in the same transaction as any change to the rows its pages show, whoever makes the change: a
view, the admin (taggit's own tag admin included), a management command or SQL typed by hand.
So no write can forget to make a page stale, and every server process sees the change the
moment it commits.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, override
from django.utils.translation import gettext_lazy as _

STORIES = "stories"
EVENTS = "events"
NAMESPACES = (STORIES, EVENTS)


WELSH_INTERFACE = "cy"


class ContentLanguage(models.TextChoices):
    """The language a person wrote something in. Each is named in its own language, as a
    language switch names them."""

    ENGLISH = "en", "English"
    WELSH = "cy", "Cymraeg"

    @classmethod
    def of_page(cls) -> "ContentLanguage":
        """The language of the page being answered: what a form offers first."""
        return cls.WELSH if get_language() == WELSH_INTERFACE else cls.ENGLISH


def in_language(language: str):
    """Words, dates and the site's addresses in ``language`` (a ``ContentLanguage``) while the
    block runs: for emails the worker writes to someone in the language they chose."""
    return override(
        WELSH_INTERFACE if language == ContentLanguage.WELSH else settings.LANGUAGE_CODE
    )


def language_field() -> models.CharField:
    """The language a story, response, event or resource is written in, or that a person
    reads their emails in. Pages mark the text with it (``lang``); search reads it with the
    matching configuration."""
    return models.CharField(
        _("language"),
        max_length=2,
        choices=ContentLanguage.choices,
        default=ContentLanguage.ENGLISH,
        # Also the column's own default, for rows written by SQL (bulk loads among them).
        db_default=ContentLanguage.ENGLISH,
    )


class ContentVersion(models.Model):
    """One kind of public content and its current version (never reused, even after a
    rollback: the versions come from a sequence)."""

    # A kind ("stories", "events"), or one page's own part of it ("me-too:<story slug>").
    namespace = models.CharField(max_length=100, primary_key=True)
    version = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.namespace} at version {self.version}"


class StaffAction(models.TextChoices):
    SIGN_IN = "sign_in", "signed in"
    MFA_ADDED = "mfa_added", "added a second factor"
    MFA_REMOVED = "mfa_removed", "removed a second factor"
    MFA_RESET = "mfa_reset", "renewed recovery codes"
    MFA_RESET_BY_ADMIN = "mfa_reset_by_admin", "reset someone's second factor"
    GROUPS_CHANGED = "groups_changed", "changed someone's groups"
    EXPORT = "export", "exported attendees"


class StaffAuditEntryQuerySet(models.QuerySet):
    def older_than(self, days: int):
        return self.filter(at__lt=timezone.now() - timedelta(days=days))


class StaffAuditEntry(models.Model):
    """Something a staff member did that matters for the accounts' safety: who, what, when.
    The actor's email is copied so the entry still says who after the account is deleted."""

    actor = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_email = models.EmailField()
    action = models.CharField(max_length=32, choices=StaffAction.choices)
    detail = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(db_index=True)

    objects = StaffAuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "staff audit entry"
        verbose_name_plural = "staff audit log"

    def __str__(self) -> str:
        return f"{self.actor_email} {self.get_action_display()}"


class CommandRun(models.Model):
    """When a periodic command (digests, reminders, pruning, vacuum) last ran and how it
    ended, for the operator's page. Dates only, to the day, like everything on that page.
    Written by ``failshare.periodic``."""

    command = models.CharField(max_length=64, primary_key=True)
    last_ran_on = models.DateField()
    last_succeeded = models.BooleanField()
    last_success_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["command"]

    def __str__(self) -> str:
        return f"{self.command} last ran on {self.last_ran_on}"
