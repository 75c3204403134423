"""Every story page runs a fixed number of SQL queries, however many stories and tags it shows.

Each page is measured uncached (an empty cache: facets, counts and keys computed afresh) and
with 3 or 25 stories of five tags each; the bound is the same for both.
"""

import pytest
from django.core.cache import cache

from confessions import browse
from tests.confessions.factories import make_stories

TAGS = ("budgets", "procurement", "agile", "cloud", "user research")

# path -> most queries on an empty cache
PAGES = {
    "/confessions/": 5,
    "/confessions/?page=2": 5,
    "/confessions/?sector=health&tag=budgets": 5,
    "/confessions/?sort=me-too": 5,
    "/confessions/?q=supplier": 5,
    "/confessions/?q=supplier&sector=health&tag=agile": 7,
    "/confessions/feed/": 2,
    # Home and tag pages also hold the events section (one query on home, three on tags).
    "/": 3,
    "/tags/budgets/": 9,
}


@pytest.fixture
def warm_content_types(client):
    """Content types are looked up once per process; take that out of the counts."""
    client.get("/confessions/?tag=budgets")
    cache.clear()


@pytest.mark.parametrize("stories", [3, 25])
@pytest.mark.parametrize(("path", "most"), PAGES.items())
def test_each_listing_page_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, warm_content_types, stories, path, most
):
    make_stories(stories, tags=TAGS)
    cache.clear()
    with django_assert_max_num_queries(most):
        response = client.get(path)
    assert response.status_code == 200


@pytest.mark.parametrize("stories", [3, 25])
def test_a_deep_page_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, warm_content_types, monkeypatch, stories
):
    monkeypatch.setattr(browse, "KEYSET_FROM", 2)
    monkeypatch.setattr(browse, "BLOCK", 2)
    monkeypatch.setattr(browse, "PAGE_SIZE", 1)
    make_stories(stories, tags=TAGS)
    cache.clear()
    with django_assert_max_num_queries(6):
        response = client.get("/confessions/?page=3")
    assert len(response.context["listing"].page.object_list) == 1


@pytest.mark.parametrize("stories", [3, 25])
def test_a_story_page_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, warm_content_types, stories
):
    story = make_stories(stories, tags=TAGS)[0]
    cache.clear()
    with django_assert_max_num_queries(3):
        response = client.get(story.get_absolute_url())
    assert len(response.context["related"]) == min(3, stories - 1)


@pytest.mark.parametrize("stories", [3, 25])
def test_a_cached_page_runs_no_queries(client, django_assert_max_num_queries, stories):
    make_stories(stories, tags=TAGS)
    client.get("/confessions/")
    with django_assert_max_num_queries(0):
        client.get("/confessions/")


@pytest.mark.parametrize(("query", "most"), [("supplier", 2), ("zeppelin", 1)])
def test_a_new_search_runs_one_query_to_find_and_one_to_show(
    client, django_assert_max_num_queries, warm_content_types, query, most
):
    """Once the counts are cached: the candidates, then the marked-up cards (none if none)."""
    make_stories(25, tags=TAGS, title="A supplier story")
    client.get("/confessions/")
    with django_assert_max_num_queries(most):
        response = client.get("/confessions/", {"q": query})
    assert response.status_code == 200
