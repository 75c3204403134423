from django.core.management import call_command

from confessions.models import Confession, Status


def test_seeding_creates_fifteen_published_stories_across_sectors_and_some_pending():
    call_command("seed_demo", verbosity=0)
    published = Confession.objects.published()
    assert published.count() == 15
    assert published.filter(language="cy").count() == 3
    assert published.values("sector").distinct().count() >= 8
    assert all(story.tags.exists() for story in published)
    assert not published.filter(published_month__isnull=True).exists()
    assert Confession.objects.filter(status=Status.PENDING).count() == 3


def test_seeding_twice_adds_nothing_new():
    call_command("seed_demo", verbosity=0)
    before = sorted(Confession.objects.values_list("slug", flat=True))
    call_command("seed_demo", verbosity=0)
    assert sorted(Confession.objects.values_list("slug", flat=True)) == before


def test_seeded_stories_show_on_the_site(client):
    call_command("seed_demo", verbosity=0)
    body = client.get("/confessions/").content.decode()
    assert "We called it agile, but the plan was fixed a year ahead" in body
    assert "The rota spreadsheet" not in body


def test_published_demo_stories_have_causes():
    call_command("seed_demo", verbosity=0)
    published = Confession.objects.published()
    assert published.exists()
    assert all(story.causes for story in published)
    assert len({cause for story in published for cause in story.causes}) == 9


def test_a_welsh_demo_story_is_found_by_a_welsh_word(client):
    call_command("seed_demo", verbosity=0)
    response = client.get("/cy/confessions/", {"q": "cyfieithu"})
    titles = [story.title for story in response.context["listing"].page.object_list]
    assert titles == ["Lansio gwefan Saesneg yn gyntaf a chyfieithu wedyn"]
