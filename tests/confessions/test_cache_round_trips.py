"""A search page costs as few round trips to the pages cache as it can."""

import pytest

from confessions import browse
from tests.confessions.factories import make_stories


def names(calls: list[tuple[str, list]]) -> list[str]:
    return [name for name, _ in calls]


@pytest.mark.django_db
def test_it_reads_and_writes_a_new_search_page_once(client, cache_round_trips):
    make_stories(25, title="A supplier story")
    client.get("/confessions/")  # the counts, kept in this process
    cache_round_trips.clear()
    response = client.get("/confessions/", {"q": "supplier"})
    assert response.status_code == 200
    assert names(cache_round_trips) == ["get", "set"]


@pytest.mark.django_db
def test_it_answers_the_same_search_again_with_one_read(client, cache_round_trips):
    make_stories(25, title="A supplier story")
    client.get("/confessions/", {"q": "supplier"})
    cache_round_trips.clear()
    body = client.get("/confessions/", {"q": "supplier"}).content.decode()
    assert "A <mark>supplier</mark> story" in body
    assert names(cache_round_trips) == ["get"]


@pytest.mark.django_db
def test_it_reuses_the_candidates_for_the_next_page_of_a_search(
    client, django_assert_max_num_queries
):
    make_stories(45, title="A supplier story")
    client.get("/confessions/", {"q": "supplier"})
    with django_assert_max_num_queries(3):  # the versions, the cards and their tags
        response = client.get("/confessions/", {"q": "supplier", "page": 2})
    assert len(response.context["listing"].page.object_list) == browse.SEARCH_PAGE_SIZE
