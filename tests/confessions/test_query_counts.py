"""Every story page runs a fixed number of SQL queries, however many stories and tags it shows.

Each page is measured uncached (an empty cache: facets, counts and keys computed afresh) and
with 3 or 25 stories of five tags each; the bound is the same for both.
"""

import re
from collections import OrderedDict

import pytest
from django.core.cache import caches

from confessions import browse
from confessions.models import Confession
from failshare import pagecache
from tests.confessions.factories import make_stories

TAGS = ("budgets", "procurement", "agile", "cloud", "user research")
CAUSES = ["procurement", "data"]

# path -> most queries on an empty cache. Every page reads the content versions first (one
# query); cards read their tags in one more.
PAGES = {
    "/confessions/": 6,
    "/confessions/?page=2": 6,
    "/confessions/?sector=health&tag=budgets": 6,
    "/confessions/?sort=me-too": 6,
    "/confessions/?q=supplier": 7,
    "/confessions/?q=supplier&sector=health&tag=agile": 9,
    "/confessions/?cause=procurement": 6,
    "/confessions/?cause=data&sector=health&tag=budgets": 6,
    "/confessions/?q=supplier&cause=data&tag=agile": 9,
    "/confessions/feed/": 3,
    # Home and tag pages also hold the events section; tag pages the resources section too (its
    # resources, and their tags when there are any).
    "/": 4,
    "/tags/budgets/": 11,
}


@pytest.fixture(autouse=True)
def _nothing_remembered(monkeypatch):
    """Counts and facets computed afresh: none kept in this process from an earlier test."""
    monkeypatch.setattr(pagecache, "_local", OrderedDict())


@pytest.mark.parametrize("stories", [3, 25])
@pytest.mark.parametrize(("path", "most"), PAGES.items())
def test_each_listing_page_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, stories, path, most
):
    make_stories(stories, tags=TAGS, causes=CAUSES)
    caches["pages"].clear()
    with django_assert_max_num_queries(most):
        response = client.get(path)
    assert response.status_code == 200


@pytest.mark.parametrize("stories", [3, 25])
def test_a_deep_page_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, monkeypatch, stories
):
    monkeypatch.setattr(browse, "KEYSET_FROM", 2)
    monkeypatch.setattr(browse, "BLOCK", 2)
    monkeypatch.setattr(browse, "PAGE_SIZE", 1)
    make_stories(stories, tags=TAGS, causes=CAUSES)
    caches["pages"].clear()
    with django_assert_max_num_queries(7):
        response = client.get("/confessions/?page=3")
    assert len(response.context["listing"].page.object_list) == 1


@pytest.mark.parametrize("stories", [3, 25])
def test_a_story_page_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, stories
):
    story = make_stories(stories, tags=TAGS, causes=CAUSES)[0]
    caches["pages"].clear()
    # The versions, its "this happened to us too" and "this helped" counts (part of its key),
    # the story, its tags, its responses and the related stories.
    with django_assert_max_num_queries(6):
        response = client.get(story.get_absolute_url())
    assert len(response.context["related"]) == min(3, stories - 1)


@pytest.mark.parametrize("stories", [3, 25])
def test_a_cached_page_runs_one_query_for_the_versions(
    client, django_assert_max_num_queries, stories
):
    make_stories(stories, tags=TAGS, causes=CAUSES)
    client.get("/confessions/")
    with django_assert_max_num_queries(1):
        client.get("/confessions/")


@pytest.mark.parametrize(("query", "most"), [("supplier", 3), ("zeppelin", 2)])
def test_a_new_search_runs_one_query_to_find_and_one_to_show(
    client, django_assert_max_num_queries, query, most
):
    """Once the counts are cached: the versions, the candidates (with their tags), then the
    marked-up cards (none if nothing is found)."""
    make_stories(25, tags=TAGS, title="A supplier story")
    client.get("/confessions/")
    with django_assert_max_num_queries(most):
        response = client.get("/confessions/", {"q": query})
    assert response.status_code == 200
    if query == "supplier":  # each card still shows its tags, in taggit's order
        body = response.content.decode()
        first_card = body[body.index('class="card story-card"') :].split("</li>\n")[0]
        slug = re.search(r'href="/confessions/([^/]+)/"', first_card)[1]
        story = Confession.objects.get(slug=slug)
        shown = re.findall(r'<a class="tag" href="/tags/[^/]+/">([^<]+)</a>', first_card)
        assert shown == [tag.name for tag in story.tags.all()]
        assert len(shown) == len(TAGS)
