"""The version of each kind of public content, kept by PostgreSQL itself.

A cached public page is served only while the versions it was built from are still the current
ones (``failshare.pagecache``). Triggers, written by the migrations of each app, raise a version
in the same transaction as any change to the rows its pages show, whoever makes the change: a
view, the admin (taggit's own tag admin included), a management command or SQL typed by hand.
So no write can forget to make a page stale, and every server process sees the change the
moment it commits.
"""

from django.db import models

STORIES = "stories"
EVENTS = "events"
NAMESPACES = (STORIES, EVENTS)


class ContentVersion(models.Model):
    """One kind of public content and its current version (never reused, even after a
    rollback: the versions come from a sequence)."""

    namespace = models.CharField(max_length=32, primary_key=True)
    version = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.namespace} at version {self.version}"
