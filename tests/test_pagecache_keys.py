"""What an anonymous visitor can make the page cache hold, and what it puts back into a page."""

import pytest
from django.core.cache import caches
from django.test import Client

from failshare import pagecache
from failshare.pagecache import CSRF_PLACEHOLDER
from tests.caches import forget_pages
from tests.confessions.factories import make_story

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_pages():
    forget_pages()
    yield
    forget_pages()


def page_keys() -> set[str]:
    return {key for key in caches["pages"]._cache if ":page:" in key or "page:" in key}


def test_query_strings_a_page_does_not_read_make_no_new_copy(client):
    client.get("/confessions/")
    before = page_keys()
    for number in range(5):
        assert client.get(f"/confessions/?utm_source=x{number}&junk={number}").status_code == 200
        assert client.get(f"/events/?junk={number}").status_code == 200
        assert client.get(f"/?junk={number}").status_code == 200
    client.get("/events/")
    client.get("/")
    assert len(page_keys()) == len(before) + 2


def test_the_parameters_a_page_reads_still_make_their_own_copies(client):
    client.get("/confessions/")
    client.get("/confessions/?sort=me-too")
    client.get("/confessions/?q=portal")
    assert len(page_keys()) == 3


def test_the_placeholder_cannot_be_typed_into_a_cached_page(client):
    assert CSRF_PLACEHOLDER != "__failshare_csrf_token__" and len(CSRF_PLACEHOLDER) > 40
    typed = "__failshare_csrf_token__ csrf-"
    for visitor in (client, Client()):
        body = visitor.get("/confessions/", {"q": typed}).content.decode()
        assert "__failshare_csrf_token__" in body  # echoed as typed, never replaced
        assert CSRF_PLACEHOLDER not in body


def test_the_placeholder_depends_on_the_secret_key():
    assert pagecache.CSRF_PLACEHOLDER.startswith("csrf-")
    assert "failshare" not in pagecache.CSRF_PLACEHOLDER


def test_addresses_of_stories_events_and_tags_that_do_not_exist_make_no_copy(client):
    client.get("/confessions/")
    before = page_keys()
    for number in range(5):
        assert client.get(f"/confessions/no-such-story-{number}/").status_code == 404
        assert client.get(f"/events/no-such-event-{number}/").status_code == 404
        assert client.get(f"/tags/no-such-tag-{number}/").status_code == 404
    assert page_keys() == before


def test_a_story_page_and_a_tag_page_ignore_query_strings_they_do_not_read(client):
    story = make_story(tags=("budgets",))
    client.get(story.get_absolute_url())
    client.get("/tags/budgets/")
    before = page_keys()
    for number in range(5):
        assert client.get(story.get_absolute_url(), {"junk": number}).status_code == 200
        assert client.get("/tags/budgets/", {"utm_source": number}).status_code == 200
    assert page_keys() == before
