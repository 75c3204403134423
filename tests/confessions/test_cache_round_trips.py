"""A search page costs as few round trips to the shared cache as it can: each is dear in a rush."""

import pytest
from django.core.cache import cache

from confessions import browse
from tests.confessions.factories import make_stories

ROUND_TRIPS = ("get", "get_many", "set", "set_many", "add", "incr", "delete")


@pytest.fixture
def round_trips(monkeypatch):
    """The names of the shared cache's calls, outermost only (get_many may call get)."""
    calls: list[str] = []
    inside = []

    def counting(name, call):
        def counted(*args, **kwargs):
            if not inside:
                calls.append(name)
            inside.append(name)
            try:
                return call(*args, **kwargs)
            finally:
                inside.pop()

        return counted

    for name in ROUND_TRIPS:
        monkeypatch.setattr(cache, name, counting(name, getattr(cache, name)))
    return calls


@pytest.mark.django_db
def test_a_new_search_reads_the_cache_once_and_writes_its_page_once(client, round_trips):
    make_stories(25, title="A supplier story")
    client.get("/confessions/")  # the counts, kept in this process
    round_trips.clear()
    response = client.get("/confessions/", {"q": "supplier"})
    assert response.status_code == 200
    assert round_trips == ["get_many", "set"]


@pytest.mark.django_db
def test_the_same_search_again_is_one_read(client, round_trips):
    make_stories(25, title="A supplier story")
    client.get("/confessions/", {"q": "supplier"})
    round_trips.clear()
    body = client.get("/confessions/", {"q": "supplier"}).content.decode()
    assert "A <mark>supplier</mark> story" in body
    assert round_trips == ["get_many"]


@pytest.mark.django_db
def test_the_next_page_of_a_search_reuses_its_candidates(
    client, round_trips, django_assert_max_num_queries
):
    make_stories(45, title="A supplier story")
    client.get("/confessions/", {"q": "supplier"})
    with django_assert_max_num_queries(1):  # its cards only
        response = client.get("/confessions/", {"q": "supplier", "page": 2})
    assert len(response.context["listing"].page.object_list) == browse.SEARCH_PAGE_SIZE
