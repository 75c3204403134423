"""Story keys give away nothing of the order stories arrived in (issue 12, point 2)."""

import datetime
import importlib
import uuid
from pathlib import Path

from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from taggit.models import Tag

import confessions
from confessions.models import RANDOM_KEY_MAX, RANDOM_KEY_MIN, Confession, Status, TaggedStory
from confessions.receipts import new_receipt_code
from confessions.services import TAG_KEY_MAX, TAG_KEY_MIN, confession_submit
from failshare.models import STORIES
from failshare.pagecache import versions
from tests.confessions.factories import make_story

MONTH = datetime.date(2026, 10, 1)


def _submit(number: int) -> Confession:
    return confession_submit(
        title=f"Story {number} about a portal",
        sector="health",
        what_happened="The portal went live without testing.",
        what_went_wrong="Nobody tried it first.",
        what_we_learned="Test with the people who use it.",
        what_we_would_do_differently="Try it with five people first.",
        tags=[f"topic-{number}", "portals"],
        receipt_code=new_receipt_code(),
        submission_key=uuid.uuid4(),
    )


def test_a_stored_story_has_a_random_16_digit_key_not_a_sequence():
    keys = [_submit(number).pk for number in range(12)]
    assert all(RANDOM_KEY_MIN <= key < RANDOM_KEY_MAX for key in keys)
    assert all(len(str(key)) == 16 for key in keys)
    # A sequence gives keys in the order of arrival; random keys almost never (1 in 12!).
    assert keys != sorted(keys)


def test_the_links_to_its_tags_have_random_keys_too():
    for number in range(12):
        _submit(number)
    keys = list(TaggedStory.objects.values_list("pk", flat=True))
    assert len(keys) == 24 and all(RANDOM_KEY_MIN <= key < RANDOM_KEY_MAX for key in keys)
    portals = TaggedStory.objects.filter(tag__name="portals")
    titles = [f"Story {n} about a portal" for n in range(12)]
    by_arrival = [portals.get(content_object__title=title).pk for title in titles]
    assert by_arrival != sorted(by_arrival)


def _slugs_in_order(body: str, stories) -> list[str]:
    found = [(body.index(story.slug), story.slug) for story in stories if story.slug in body]
    return [slug for _, slug in sorted(found)]


def test_a_months_stories_are_listed_by_key_not_by_arrival(client):
    stories = [make_story(published_month=MONTH) for _ in range(12)]
    body = client.get("/confessions/").content.decode()
    listed = _slugs_in_order(body, stories)
    assert listed == [s.slug for s in sorted(stories, key=lambda s: s.pk, reverse=True)]
    assert listed != [s.slug for s in reversed(stories)]  # newest arrival first would tell


def test_the_moderators_queue_lists_a_days_stories_by_key_not_by_arrival(moderator_client):
    stories = [make_story(status=Status.PENDING) for _ in range(12)]
    body = moderator_client.get("/admin/confessions/confession/").content.decode()
    positions = sorted((body.index(f">{story.title}<"), story) for story in stories)
    in_queue = [story.pk for _, story in positions]
    assert in_queue == sorted(in_queue, reverse=True)
    assert in_queue != [s.pk for s in reversed(stories)]


def _migration():
    folder = Path(confessions.__file__).parent / "migrations"
    (name,) = [path.stem for path in folder.glob("*_random_story_keys.py")]
    return importlib.import_module(f"confessions.migrations.{name}")


def test_the_migration_gives_old_stories_random_keys_and_every_reference_follows(moderator):
    for name in ("shared", "old-1", "old-2", "old-3"):  # as taggit's sequence made them
        Tag.objects.create(name=name)
    unused = Tag.objects.create(name="used by no story")
    old = [make_story(id=number, tags=(f"old-{number}", "shared")) for number in (1, 2, 3)]
    for number, link in enumerate(TaggedStory.objects.all(), start=1):  # as a sequence left them
        TaggedStory.objects.filter(pk=link.pk).update(id=number)
    old[1].decisions.create(moderator=moderator, decision="approved")
    LogEntry.objects.create(
        user=moderator,
        content_type=ContentType.objects.get_for_model(Confession),
        object_id="2",
        object_repr=old[1].title,
        action_flag=CHANGE,
        change_message="[]",
    )

    class Editor:
        connection = connection

        @staticmethod
        def quote_name(name):
            return connection.ops.quote_name(name)

    (before,) = versions(STORIES)
    _migration().give_random_keys(apps, Editor)
    (after,) = versions(STORIES)
    assert after > before  # cached pages name the old keys nowhere, but go stale anyway

    stories = {story.title: story for story in Confession.objects.all()}
    assert len(stories) == 3
    assert all(RANDOM_KEY_MIN <= story.pk < RANDOM_KEY_MAX for story in stories.values())
    assert all(link.pk >= RANDOM_KEY_MIN for link in TaggedStory.objects.all())
    for number, before in enumerate(old, start=1):
        story = stories[before.title]
        assert set(story.tags.names()) == {f"old-{number}", "shared"}
    assert all(TAG_KEY_MIN <= tag.pk < TAG_KEY_MAX for tag in Tag.objects.exclude(pk=unused.pk))
    assert Tag.objects.get(name="used by no story").pk == unused.pk
    second = stories[old[1].title]
    assert second.decisions.count() == 1
    assert LogEntry.objects.get().object_id == str(second.pk)


def test_a_tag_a_writer_brings_gets_a_random_key_that_does_not_advance_the_sequence():
    before = Tag.objects.create(name="made by an organiser before")
    story = _submit(1)
    after = Tag.objects.create(name="made by an organiser after")
    assert after.pk == before.pk + 1  # the story took nothing from the shared sequence
    for tag in story.tags.all():
        assert TAG_KEY_MIN <= tag.pk < TAG_KEY_MAX
        assert tag.slug == tag.name  # taggit's slug: these names are slugs already


def test_a_new_tag_whose_slug_is_taken_gets_taggits_next_slug():
    Tag.objects.create(name="User Research")
    story = confession_submit(
        title="A story about research",
        sector="health",
        what_happened="We skipped research.",
        what_went_wrong="Nobody asked.",
        what_we_learned="Ask.",
        what_we_would_do_differently="Ask early.",
        tags=["user research", "user-research"],
        receipt_code=new_receipt_code(),
        submission_key=uuid.uuid4(),
    )
    slugs = dict(story.tags.values_list("name", "slug"))
    assert slugs == {"user research": "user-research_1", "user-research": "user-research_2"}
    assert all(tag.pk >= TAG_KEY_MIN for tag in story.tags.all())


def test_existing_tags_are_reused_not_made_again():
    existing = Tag.objects.create(name="portals")
    story = _submit(2)
    assert story.tags.get(name="portals").pk == existing.pk
    assert Tag.objects.filter(name="portals").count() == 1
