"""A change to what the public sees shows at once on every cached page built from it, whoever
makes the change: here, plain ORM updates that call no code of ours, as a management command or
a shell would make them."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from taggit.models import Tag

from confessions.models import Confession, Status, me_too_namespace
from failshare import pagecache
from failshare.models import STORIES
from tests.confessions.factories import make_story

PAGES = ["/confessions/", "/confessions/?q=supplier", "/tags/budgets/", "/confessions/feed/", "/"]


@pytest.fixture
def reader():
    return Client()


def visit_all(reader, story=None) -> dict[str, str]:
    pages = PAGES + ([f"/confessions/{story.slug}/"] if story else [])
    return {path: reader.get(path).content.decode() for path in pages}


def test_it_shows_a_story_approved_anyhow_everywhere_at_once(reader):
    make_story(title="Already there recycling", tags=("budgets",))
    story = make_story(title="Newly approved recycling", status=Status.PENDING, tags=("budgets",))
    before = visit_all(reader, story)
    assert all("Newly approved" not in body for body in before.values())

    Confession.objects.filter(pk=story.pk).update(
        status=Status.APPROVED, published_month=datetime.date(2026, 11, 1)
    )

    for path, body in visit_all(reader, story).items():
        assert "Newly approved recycling" in body, path


def test_it_removes_a_withdrawn_story_everywhere_at_once(reader):
    make_story(title="Staying recycling", tags=("budgets",))
    story = make_story(title="Leaving recycling", tags=("budgets",))
    assert all("Leaving recycling" in body for body in visit_all(reader, story).values())

    Confession.objects.filter(pk=story.pk).update(status=Status.WITHDRAWN)

    assert reader.get(f"/confessions/{story.slug}/").status_code == 404
    for path, body in visit_all(reader).items():
        assert "Leaving recycling" not in body, path
        assert "Staying recycling" in body, path


def test_it_shows_an_edit_everywhere_at_once(reader):
    story = make_story(title="Before the edit recycling", tags=("budgets",))
    visit_all(reader, story)

    Confession.objects.filter(pk=story.pk).update(title="After the edit recycling")

    for path, body in visit_all(reader, story).items():
        assert "After the edit recycling" in body, path
        assert "Before the edit" not in body, path


def test_it_shows_a_renamed_tag_at_once(reader):
    make_story(title="Tagged recycling", tags=("budgets",))
    assert "budgets" in reader.get("/confessions/").content.decode()

    Tag.objects.filter(name="budgets").update(name="money matters")

    assert "money matters" in reader.get("/confessions/").content.decode()


def test_it_shows_a_tag_removed_from_a_published_story_at_once(reader):
    story = make_story(title="Tagged recycling", tags=("budgets", "waste"))
    assert "waste" in reader.get(f"/confessions/{story.slug}/").content.decode()

    story.tags.remove("waste")

    assert ">waste<" not in reader.get(f"/confessions/{story.slug}/").content.decode()


def test_it_serves_pages_from_the_cache_while_nothing_public_changes(reader):
    """Guards the tests above: the pages really are served from the cache."""
    story = make_story(title="Cached title recycling", tags=("budgets",))
    visit_all(reader, story)
    with connection.cursor() as cursor:  # behind the triggers' back
        cursor.execute("ALTER TABLE confessions_confession DISABLE TRIGGER USER")
        Confession.objects.filter(pk=story.pk).update(title="Changed title recycling")
        cursor.execute("ALTER TABLE confessions_confession ENABLE TRIGGER USER")
    assert "Cached title" in reader.get("/confessions/").content.decode()


def test_it_keeps_the_version_when_a_story_arrives_or_is_pressed_for():
    story = make_story(title="Pressed recycling")
    (before,) = pagecache.versions(STORIES)

    make_story(title="Waiting recycling", status=Status.PENDING, tags=("budgets",))
    Confession.objects.filter(pk=story.pk).update(me_too_count=5)

    assert pagecache.versions(STORIES) == (before,)


def test_a_press_shows_on_that_story_page_at_once(reader):
    story = make_story(title="Pressed recycling")
    assert "0 readers" in reader.get(f"/confessions/{story.slug}/").content.decode()

    Confession.objects.filter(pk=story.pk).update(me_too_count=7)

    assert "7 readers" in reader.get(f"/confessions/{story.slug}/").content.decode()


def test_a_press_makes_that_story_page_stale_and_no_other(reader):
    story = make_story(title="Pressed recycling")
    other = make_story(title="Not pressed recycling")
    (before,) = pagecache.versions(me_too_namespace(other.slug))

    Confession.objects.filter(pk=story.pk).update(me_too_count=3)
    Confession.objects.filter(pk=story.pk).update(title="Same count recycling")  # not a press

    (pressed,) = pagecache.versions(me_too_namespace(story.slug))
    assert pressed > 0
    assert pagecache.versions(me_too_namespace(other.slug)) == (before,)
    Confession.objects.filter(pk=story.pk).update(title="Again recycling")
    assert pagecache.versions(me_too_namespace(story.slug)) == (pressed,)


def test_a_cached_story_page_is_served_after_one_query(reader, django_assert_num_queries):
    story = make_story(title="Read often recycling", me_too_count=2)
    reader.get(f"/confessions/{story.slug}/")
    with django_assert_num_queries(1):  # the stories' version and the story's own, together
        body = reader.get(f"/confessions/{story.slug}/").content.decode()
    assert "2 readers" in body
