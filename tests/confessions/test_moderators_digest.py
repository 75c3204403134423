"""Moderators hear that stories wait from a scheduled digest, never because one arrived."""

import io

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from tests.confessions.stories import make_confession

pytestmark = pytest.mark.django_db


def test_it_emails_how_many_stories_wait_without_quoting_any(settings, mailoutbox):
    settings.MODERATOR_EMAILS = ["mods@example.org", "lead@example.org"]
    make_confession(title="A very particular title")
    make_confession(title="Another particular title")
    call_command("notify_moderators", stdout=io.StringIO())
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["mods@example.org", "lead@example.org"]
    assert mail.subject == "[failshare] Stories are waiting for a moderator"
    assert "2 stories are waiting for a moderator" in mail.body
    assert "/admin/confessions/confession/?status__exact=pending" in mail.body
    assert "particular title" not in mail.subject + mail.body
    assert "new story" not in mail.subject + mail.body


def test_it_sends_nothing_when_no_story_waits(settings, mailoutbox):
    settings.MODERATOR_EMAILS = ["mods@example.org"]
    call_command("notify_moderators", stdout=io.StringIO())
    assert mailoutbox == []


def test_it_sends_nothing_without_a_moderator_address(settings, mailoutbox):
    settings.MODERATOR_EMAILS = []
    make_confession()
    call_command("notify_moderators", stdout=io.StringIO())
    assert mailoutbox == []


def test_the_digest_is_queued_for_the_worker_by_the_command_alone(settings):
    settings.MODERATOR_EMAILS = ["mods@example.org"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    make_confession()
    assert DBTaskResult.objects.count() == 0
    call_command("notify_moderators", stdout=io.StringIO())
    assert DBTaskResult.objects.get().task_path == "confessions.tasks.notify_moderators"
