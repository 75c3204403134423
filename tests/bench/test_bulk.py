import io
import string
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, F
from taggit.models import Tag, TaggedItem

from bench import bulk
from confessions.models import Cause, Confession, Sector, Status, TaggedStory

pytestmark = pytest.mark.django_db


def _tag_counts() -> dict[int, int]:
    rows = TaggedStory.objects.values("content_object_id").annotate(tags=Count("id"))
    return {row["content_object_id"]: row["tags"] for row in rows}


def test_it_creates_exactly_n_approved_stories_with_tags():
    assert bulk.create_approved(40) == 40

    stories = Confession.objects.all()
    assert stories.count() == 40
    assert set(stories.values_list("status", flat=True)) == {Status.APPROVED}
    tag_counts = _tag_counts()
    assert set(tag_counts) == set(stories.values_list("id", flat=True))
    assert all(1 <= count <= 4 for count in tag_counts.values())
    story = stories.first()
    assert story.tags.exists()
    assert all(getattr(story, field) for field in bulk.SECTION_LENGTHS)
    # Stories' tags have their own table; taggit's generic one is not used for them.
    assert not TaggedItem.objects.exists()


def test_it_reuses_tags_that_other_content_already_has():
    Tag.objects.create(name="Social media", slug="social-media")
    Tag.objects.create(name="procurement", slug="procurement-2")

    bulk.create_approved(300)

    assert Tag.objects.filter(slug="social-media").count() == 1
    assert Tag.objects.filter(name="procurement").count() == 1
    used = set(TaggedStory.objects.values_list("tag__name", flat=True))
    assert {"Social media", "procurement"} <= used


def test_it_gives_every_story_a_unique_slug_and_an_unmatchable_receipt_hash():
    bulk.create_approved(200)

    slugs = list(Confession.objects.values_list("slug", flat=True))
    hashes = list(Confession.objects.values_list("receipt_hash", flat=True))
    assert len(set(slugs)) == 200
    assert len(set(hashes)) == 200
    # Receipt codes are looked up by a hexadecimal digest: a bulk hash can never equal one.
    assert all(h.startswith("bulk-") and len(h) <= 64 for h in hashes)
    assert all(not set(h) <= set(string.hexdigits) for h in hashes)


def test_it_covers_every_sector_and_many_months_on_the_first_of_the_month():
    bulk.create_approved(300)

    assert set(Confession.objects.values_list("sector", flat=True)) == set(Sector.values)
    months = set(Confession.objects.values_list("published_month", flat=True))
    assert len(months) >= 24
    assert {month.day for month in months} == {1}
    assert not Confession.objects.exclude(submitted_on__lte=F("published_month")).exists()


def test_it_tops_up_instead_of_doubling_when_run_twice():
    assert bulk.create_approved(20) == 20
    assert bulk.create_approved(20) == 0
    assert bulk.create_approved(25, seed=2) == 5

    assert Confession.objects.count() == 25
    assert len(_tag_counts()) == 25


def test_it_is_called_by_seed_demo_and_seed_demo_is_safe_to_run_twice():
    call_command("seed_demo", confessions=30, stdout=io.StringIO())
    output = io.StringIO()
    call_command("seed_demo", confessions=30, stdout=output)

    assert "0 created, 30 in all" in output.getvalue()

    assert bulk.bulk_count() == 30


def test_it_is_not_run_by_seed_demo_without_a_count_of_stories():
    output = io.StringIO()
    call_command("seed_demo", stdout=output)

    assert "Bulk stories" not in output.getvalue()
    assert bulk.bulk_count() == 0


def test_it_leaves_stories_that_are_not_bulk_alone():
    bulk.create_approved(10)
    Confession.objects.create(
        slug="a-real-story-abc123",
        title="A real story",
        sector=Sector.HEALTH,
        what_happened="x",
        what_went_wrong="x",
        what_we_learned="x",
        what_we_would_do_differently="x",
        receipt_hash="a" * 64,
    )

    assert bulk.bulk_count() == 10
    assert bulk.create_approved(10) == 0


def test_it_is_reproducible_for_a_seed():
    first, second, other = bulk.StoryWriter(7), bulk.StoryWriter(7), bulk.StoryWriter(8)

    titles = [first.title() for _ in range(20)]
    assert titles == [second.title() for _ in range(20)]
    assert titles != [other.title() for _ in range(20)]


def test_it_makes_stories_findable_by_the_generated_search_vector():
    bulk.create_approved(50)
    story = Confession.objects.first()
    word = story.title.split()[-1]

    assert Confession.objects.filter(search_vector=word).filter(id=story.id).exists()


def test_it_draws_words_like_real_writing_a_few_common_and_most_rare():
    stories = 2000
    bulk.create_approved(stories)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ndoc FROM ts_stat('SELECT search_vector FROM confessions_confession') "
            "ORDER BY ndoc DESC"
        )
        frequencies = [row[0] / stories for row in cursor.fetchall()]

    assert len(frequencies) > 1500
    # Some words in about a third of the stories or more ...
    assert 0.25 <= frequencies[0] <= 0.75
    assert sum(f >= 0.25 for f in frequencies) >= 5
    # ... and most words in very few of them.
    assert sum(f < 0.01 for f in frequencies) / len(frequencies) > 0.5


def test_every_bulk_story_has_one_to_three_causes_from_the_list():
    bulk.create_approved(300)

    causes = list(Confession.objects.values_list("causes", flat=True))
    assert all(1 <= len(c) <= 3 and set(c) <= set(Cause.values) for c in causes)
    counts = Counter(cause for c in causes for cause in c)
    # Every cause is used, and the commonest are used more than the rarest.
    assert set(counts) == set(Cause.values)
    assert counts.most_common()[0][1] > 2 * counts.most_common()[-1][1]
