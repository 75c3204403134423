"""A client that drops its cookies still counts only a few times per story."""

from django.test import Client

from confessions import me_too
from confessions.models import Confession
from tests.caches import shared_cache_text
from tests.confessions.factories import make_story


def press_from(address: str, story) -> None:
    browser = Client(REMOTE_ADDR=address)  # a fresh browser each time: no cookie kept
    browser.get(story.get_absolute_url())
    browser.post(f"/confessions/{story.slug}/me-too/")


def test_a_client_counts_at_most_a_few_times_a_story_however_many_browsers(db):
    story = make_story()
    for _ in range(me_too.CLIENT_PRESSES + 4):
        press_from("203.0.113.77", story)
    assert Confession.objects.get(pk=story.pk).me_too_count == me_too.CLIENT_PRESSES
    press_from("198.51.100.5", story)
    assert Confession.objects.get(pk=story.pk).me_too_count == me_too.CLIENT_PRESSES + 1
    assert "203.0.113.77" not in shared_cache_text()


def test_an_ipv6_client_cannot_step_around_it_within_its_64(db):
    story = make_story()
    for last in range(me_too.CLIENT_PRESSES + 3):
        press_from(f"2001:db8:7:7::{last + 1}", story)
    assert Confession.objects.get(pk=story.pk).me_too_count == me_too.CLIENT_PRESSES


def test_the_limit_is_per_story(db):
    first, second = make_story(), make_story()
    for _ in range(me_too.CLIENT_PRESSES):
        press_from("203.0.113.78", first)
    press_from("203.0.113.78", second)
    assert Confession.objects.get(pk=second.pk).me_too_count == 1
