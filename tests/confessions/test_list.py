import datetime
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from confessions import browse
from confessions.models import Confession, Sector, Status
from tests.confessions.factories import make_stories, make_story


def titles(response) -> list[str]:
    return [story.title for story in response.context["listing"].page.object_list]


def test_it_lists_only_approved_stories_newest_first(client):
    old = make_story(title="An older story", published_month=datetime.date(2025, 1, 1))
    new = make_story(title="A newer story", published_month=datetime.date(2026, 5, 1))
    for status in (Status.PENDING, Status.REJECTED, Status.WITHDRAWN):
        make_story(title=f"A {status} story", status=status)
    response = client.get("/confessions/")
    assert response.status_code == 200
    assert titles(response) == [new.title, old.title]
    assert b"pending story" not in response.content


def test_it_shows_twenty_stories_a_page_with_links_between_pages(client):
    make_stories(45, tags=())
    first = client.get("/confessions/")
    assert len(titles(first)) == 20
    assert 'href="/confessions/?page=2"' in first.content.decode()
    last = client.get("/confessions/?page=3")
    assert len(titles(last)) == 5
    assert 'href="/confessions/?page=2"' in last.content.decode()
    assert "Page 3 of 3" in last.content.decode()


def test_each_card_shows_title_sector_month_tags_lessons_and_me_too_count(client):
    make_story(
        title="The portal nobody used",
        sector=Sector.HOUSING,
        published_month=datetime.date(2026, 3, 1),
        tags=("user research",),
        me_too_count=7,
        what_we_learned="Ask tenants before building anything.",
    )
    body = client.get("/confessions/").content.decode()
    assert "The portal nobody used" in body
    assert "Housing" in body
    assert "March 2026" in body
    assert not re.search(r"\b1 March 2026\b|2026-03-01", body)
    assert 'href="/tags/user-research/"' in body
    assert "Ask tenants before building anything." in body
    assert "7 readers said" in body


def test_it_links_the_atom_feed_from_the_head(client):
    head = client.get("/confessions/").content.decode().split("</head>")[0]
    assert 'type="application/atom+xml"' in head
    assert 'href="/confessions/feed/"' in head


def test_it_filters_by_sector_and_shows_counts(client):
    make_story(title="Health one", sector=Sector.HEALTH)
    make_story(title="Health two", sector=Sector.HEALTH)
    make_story(title="Housing one", sector=Sector.HOUSING)
    response = client.get("/confessions/?sector=health")
    assert sorted(titles(response)) == ["Health one", "Health two"]
    facets = {f.label: f.count for f in response.context["listing"].sector_facets}
    assert facets == {"Health": 2, "Housing": 1}
    assert response.context["listing"].total == 2


def test_it_filters_by_tag_and_shows_counts(client):
    make_story(title="Tagged budgets", tags=("budgets", "agile"))
    make_story(title="Tagged agile", tags=("agile",))
    make_story(title="Untagged")
    response = client.get("/confessions/?tag=budgets")
    assert titles(response) == ["Tagged budgets"]
    everything = client.get("/confessions/").context["listing"]
    assert {f.label: f.count for f in everything.tag_facets} == {"agile": 2, "budgets": 1}


def test_sector_and_tag_filters_combine(client):
    make_story(title="Health budgets", sector=Sector.HEALTH, tags=("budgets",))
    make_story(title="Health other", sector=Sector.HEALTH, tags=("agile",))
    make_story(title="Housing budgets", sector=Sector.HOUSING, tags=("budgets",))
    response = client.get("/confessions/?sector=health&tag=budgets")
    assert titles(response) == ["Health budgets"]
    listing = response.context["listing"]
    # Each facet counts with the other filter kept.
    assert {f.label: f.count for f in listing.sector_facets} == {"Health": 1, "Housing": 1}
    assert {f.label: f.count for f in listing.tag_facets} == {"agile": 1, "budgets": 1}


def test_it_sorts_by_most_this_happened_to_us_too(client):
    make_story(title="Few", me_too_count=1, published_month=datetime.date(2026, 9, 1))
    make_story(title="Many", me_too_count=30, published_month=datetime.date(2025, 1, 1))
    make_story(title="Some", me_too_count=5, published_month=datetime.date(2026, 1, 1))
    assert titles(client.get("/confessions/?sort=me-too")) == ["Many", "Some", "Few"]
    assert titles(client.get("/confessions/?sort=newest")) == ["Few", "Some", "Many"]


@pytest.mark.parametrize("sort", ["newest", "me-too"])
@pytest.mark.parametrize("filters", ["", "&sector=health", "&tag=agile"])
def test_deep_pages_start_from_cached_keys_and_match_plain_order(
    client, monkeypatch, sort, filters
):
    monkeypatch.setattr(browse, "KEYSET_FROM", 6)
    monkeypatch.setattr(browse, "BLOCK", 4)
    monkeypatch.setattr(browse, "PAGE_SIZE", 3)
    for i in range(30):
        make_story(
            title=f"Story {i:02d}",
            sector=Sector.HEALTH if i % 3 else Sector.HOUSING,
            published_month=datetime.date(2024 + i % 3, 1 + i % 5, 1),
            me_too_count=i % 4,
            tags=("agile",) if i % 2 else ("budgets",),
        )
    everything, page, last = [], 1, 1
    while page <= last:
        response = client.get(f"/confessions/?sort={sort}{filters}&page={page}")
        everything += titles(response)
        last = response.context["listing"].page.paginator.num_pages
        page += 1

    assert page > 3
    expected = Confession.objects.published()
    if "sector" in filters:
        expected = expected.filter(sector="health")
    if "tag" in filters:
        expected = expected.filter(tags__slug="agile")
    assert everything == [c.title for c in expected.sorted_by(sort)]


def test_it_says_when_nothing_matches_and_suggests_removing_filters(client):
    make_story(title="Housing story", sector=Sector.HOUSING, tags=("agile",))
    response = client.get("/confessions/?sector=health&tag=agile&q=procurement")
    body = response.content.decode()
    assert response.status_code == 200
    assert "No stories found" in body
    assert "removing the sector filter" in body
    assert "removing the tag filter" in body
    assert "removing the search" in body


def test_a_tag_known_only_from_unpublished_stories_is_not_revealed(client):
    make_story(title="Pending", status=Status.PENDING, tags=("Barchester Council",))
    response = client.get("/confessions/?tag=barchester-council")
    body = response.content.decode()
    assert "No published stories have the tag “barchester-council”" in body
    assert "Barchester Council" not in body


def test_out_of_range_pages_are_clamped_with_a_message(client):
    make_stories(25, tags=())
    response = client.get("/confessions/?page=999")
    assert response.context["listing"].page.number == 2
    assert "There is no page “999”, so page 2 is shown." in response.content.decode()
    assert client.get("/confessions/?page=-3").context["listing"].page.number == 1
    assert client.get("/confessions/?page=two").context["listing"].page.number == 1


def test_unknown_sector_and_sort_are_ignored_with_a_message(client):
    make_story(title="Any story")
    body = client.get("/confessions/?sector=space&sort=loudest").content.decode()
    assert "There is no such sector" in body
    assert "That sort order is unknown" in body
    assert "Any story" in body


def test_a_too_long_or_null_search_is_explained_and_kept_for_editing(client):
    long_query = "procurement " * 30
    body = client.get("/confessions/", {"q": long_query}).content.decode()
    assert "Your search must be at most 200 characters" in body
    assert 'value="procurement procurement' in body
    response = client.get("/confessions/", {"q": "budget\x00s"})
    assert response.status_code == 200
    assert "Your search must be at most 200 characters" in response.content.decode()


def test_the_list_accepts_only_safe_methods(client):
    assert client.post("/confessions/").status_code == 405


@settings(
    max_examples=60,
    deadline=None,  # a loaded machine is no bug; a server error is
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    params=st.dictionaries(
        st.sampled_from(["q", "sector", "tag", "sort", "page"]),
        st.one_of(
            st.text(max_size=300),
            st.integers(min_value=-(10**30), max_value=10**30).map(str),
            st.sampled_from(["health", "me-too", "relevance", "9" * 5000, "1e9", "%00"]),
        ),
    )
)
def test_no_combination_of_parameters_gives_a_server_error(client, params):
    make_story(title="Budget overrun", tags=("budgets",))
    response = client.get("/confessions/", params)
    assert response.status_code == 200


def test_the_list_and_a_story_page_each_have_one_h1(client):
    story = make_story(tags=("budgets",))
    for path in ("/confessions/", "/confessions/?q=zeppelin", story.get_absolute_url()):
        body = client.get(path).content.decode()
        assert len(re.findall(r"<h1[\s>]", body)) == 1, path


def test_the_chosen_sector_and_order_are_marked_for_browsers_and_screen_readers(client):
    make_story(title="Health story", sector=Sector.HEALTH, tags=("agile",))
    make_story(title="Housing story", sector=Sector.HOUSING, tags=("agile",))
    body = client.get("/confessions/", {"sector": "health", "sort": "me-too"}).content.decode()
    link = '<a href="/confessions/?sector=health&amp;sort=me-too" aria-current="true">Health</a>'
    assert link in body
    assert '<option value="health" selected>Health (1)</option>' in body
    assert '<option value="me-too" selected>' in body
    # Once among the filters (the site's navigation marks "Stories" as the current section).
    assert body.split('<main id="main"', 1)[1].count('aria-current="true"') == 1
