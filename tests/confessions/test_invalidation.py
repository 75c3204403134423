"""A change to what the public sees shows at once on every cached page built from it."""

import datetime

import pytest
from django.test import Client

from confessions.cache import published_changed
from confessions.models import Confession, Status
from failshare import pagecache
from tests.confessions.factories import make_story

PAGES = ["/confessions/", "/confessions/?q=supplier", "/tags/budgets/", "/confessions/feed/", "/"]


@pytest.fixture
def reader():
    return Client()


def visit_all(reader, story=None) -> dict[str, str]:
    pages = PAGES + ([f"/confessions/{story.slug}/"] if story else [])
    return {path: reader.get(path).content.decode() for path in pages}


def test_approving_a_story_shows_it_everywhere_at_once(reader):
    make_story(title="Already there recycling", tags=("budgets",))
    story = make_story(title="Newly approved recycling", status=Status.PENDING, tags=("budgets",))
    before = visit_all(reader, story)
    assert all("Newly approved" not in body for body in before.values())

    Confession.objects.filter(pk=story.pk).update(
        status=Status.APPROVED, published_month=datetime.date(2026, 11, 1)
    )
    published_changed()

    for path, body in visit_all(reader, story).items():
        assert "Newly approved recycling" in body, path


def test_withdrawing_a_story_removes_it_everywhere_at_once(reader):
    make_story(title="Staying recycling", tags=("budgets",))
    story = make_story(title="Leaving recycling", tags=("budgets",))
    assert all("Leaving recycling" in body for body in visit_all(reader, story).values())

    Confession.objects.filter(pk=story.pk).update(status=Status.WITHDRAWN)
    published_changed()

    assert reader.get(f"/confessions/{story.slug}/").status_code == 404
    for path, body in visit_all(reader).items():
        assert "Leaving recycling" not in body, path
        assert "Staying recycling" in body, path


def test_editing_a_story_shows_the_new_text_everywhere_at_once(reader):
    story = make_story(title="Before the edit recycling", tags=("budgets",))
    visit_all(reader, story)

    Confession.objects.filter(pk=story.pk).update(title="After the edit recycling")
    published_changed()

    for path, body in visit_all(reader, story).items():
        assert "After the edit recycling" in body, path
        assert "Before the edit" not in body, path


def test_without_the_hook_cached_pages_would_still_show_the_old_text(reader):
    """Guards the tests above: the pages really are served from the cache."""
    story = make_story(title="Cached title recycling", tags=("budgets",))
    visit_all(reader, story)
    Confession.objects.filter(pk=story.pk).update(title="Changed title recycling")
    assert "Cached title" in reader.get("/confessions/").content.decode()


def test_inside_a_transaction_pages_are_marked_stale_again_at_commit(
    reader, django_capture_on_commit_callbacks
):
    make_story(title="Some story")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        published_changed()
        reader.get("/confessions/")
        during = pagecache.versions("stories")
    assert len(callbacks) == 1
    assert pagecache.versions("stories") != during
