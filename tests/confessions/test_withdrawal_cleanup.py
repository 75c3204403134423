"""Withdrawing a story removes its text from the places it was copied to, not only its row."""

import json

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from taggit.models import Tag

from confessions.models import Confession
from confessions.services import WITHDRAWN_TITLE, confession_withdraw
from tests.confessions.stories import make_confession
from tests.events.conftest import make_event

pytestmark = pytest.mark.django_db

TITLE = "How the Wibbleton rota failed 4e2a"


def admin_history(confession, moderator, message: str):
    """A row of the admin's history as the admin writes one when a moderator saves a story."""
    return LogEntry.objects.create(
        user=moderator,
        content_type=ContentType.objects.get_for_model(Confession),
        object_id=str(confession.pk),
        object_repr=str(confession),
        action_flag=CHANGE,
        change_message=message,
    )


def test_the_admin_history_keeps_the_fact_of_each_change_not_the_text(moderator):
    confession, _ = make_confession(title=TITLE)
    fields = json.dumps([{"changed": {"fields": ["Title"]}}])
    structured = admin_history(confession, moderator, fields)
    free_text = admin_history(confession, moderator, f"Renamed from {TITLE}")
    confession_withdraw(confession=confession)
    structured.refresh_from_db()
    free_text.refresh_from_db()
    assert structured.object_repr == free_text.object_repr == WITHDRAWN_TITLE
    assert structured.change_message == fields  # which fields changed, by whom, when
    assert free_text.change_message == ""
    assert (structured.user, structured.action_flag) == (moderator, CHANGE)
    assert "Wibbleton" not in repr(list(LogEntry.objects.values()))


def test_tags_that_nothing_else_uses_are_deleted_and_shared_ones_kept():
    confession, _ = make_confession(tags=["wibbleton rota", "procurement", "events too"])
    make_confession(title="Another story", tags=["procurement"])
    make_event().tags.add("events too")
    confession_withdraw(confession=confession)
    assert set(Tag.objects.values_list("name", flat=True)) == {"procurement", "events too"}


def test_other_stories_history_is_left_alone(moderator):
    withdrawn, _ = make_confession(title=TITLE)
    kept, _ = make_confession(title="A story that stays")
    entry = admin_history(kept, moderator, "A note")
    confession_withdraw(confession=withdrawn)
    entry.refresh_from_db()
    assert (entry.object_repr, entry.change_message) == ("A story that stays", "A note")
