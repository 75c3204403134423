from django.core.management import call_command

from confessions.models import Confession, Status


def test_seeding_creates_a_dozen_published_stories_across_sectors_and_some_pending():
    call_command("seed_demo", verbosity=0)
    published = Confession.objects.published()
    assert published.count() == 12
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
