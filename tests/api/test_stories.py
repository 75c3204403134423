"""The open data API's story list and story: filters, cursor paging, errors, query counts."""

import datetime
from urllib.parse import urlparse

from confessions.models import Sector, Status
from tests.confessions.factories import make_stories, make_story


def _pages(client, url):
    """Every story the list gives, following the next links."""
    seen, pages = [], 0
    while url:
        response = client.get(url)
        assert response.status_code == 200
        body = response.json()
        seen += [story["slug"] for story in body["results"]]
        url = body["next"] and urlparse(body["next"])._replace(scheme="", netloc="").geturl()
        pages += 1
    return seen, pages


def test_it_lists_published_stories_newest_first_with_their_text(client):
    make_story(title="Older story", published_month=datetime.date(2025, 1, 1), tags=("cloud",))
    newer = make_story(title="Newer story", published_month=datetime.date(2026, 3, 1))
    make_story(title="Waiting story", status=Status.PENDING)

    body = client.get("/api/stories/").json()

    assert [s["title"] for s in body["results"]] == ["Newer story", "Older story"]
    first = body["results"][0]
    assert first["published"] == "2026-03"
    assert first["url"].endswith(newer.get_absolute_url())
    assert first["what_we_learned"] == newer.what_we_learned
    assert body["results"][1]["tags"] == ["cloud"]
    assert "CC BY 4.0" in body["licence"]
    assert body["next"] is None


def test_it_gives_no_writer_details(client):
    make_story()
    story = client.get("/api/stories/").json()["results"][0]
    for private in ("receipt_hash", "submitted_on", "submission_key", "status", "id"):
        assert private not in story


def test_cursor_paging_returns_each_story_once_even_within_one_month(client):
    # Several stories share each month: the cursor carries the id too.
    stories = [make_story(published_month=datetime.date(2026, 1 + i % 3, 1)) for i in range(23)]

    seen, pages = _pages(client, "/api/stories/?page_size=5")

    assert sorted(seen) == sorted(s.slug for s in stories)
    assert len(seen) == len(set(seen)) == 23
    assert pages == 5


def test_cursor_paging_of_a_search_returns_each_match_once(client):
    matches = [
        make_story(title=f"Supplier lock-in number {i}", published_month=datetime.date(2026, 1, 1))
        for i in range(7)
    ]
    make_story(
        title="Nothing alike",
        what_happened="x",
        what_went_wrong="y",
        what_we_learned="z",
        what_we_would_do_differently="w",
    )

    seen, _ = _pages(client, "/api/stories/?q=supplier&page_size=3")

    assert sorted(seen) == sorted(s.slug for s in matches)


def test_it_filters_by_sector_tag_and_month_range(client):
    wanted = make_story(
        sector=Sector.HEALTH, tags=("cloud",), published_month=datetime.date(2026, 5, 1)
    )
    make_story(sector=Sector.HEALTH, tags=("cloud",), published_month=datetime.date(2026, 7, 1))
    make_story(sector=Sector.HEALTH, tags=("budgets",), published_month=datetime.date(2026, 5, 1))
    make_story(sector=Sector.HOUSING, tags=("cloud",), published_month=datetime.date(2026, 5, 1))

    url = "/api/stories/?sector=health&tag=cloud&published_from=2026-04&published_to=2026-06"
    body = client.get(url).json()

    assert [s["slug"] for s in body["results"]] == [wanted.slug]


def test_an_unknown_tag_lists_nothing(client):
    make_story(tags=("cloud",))
    assert client.get("/api/stories/?tag=nothing-has-this").json()["results"] == []


def test_bad_parameters_get_a_400_naming_them(client):
    response = client.get("/api/stories/?sector=space&published_from=2026-13&page_size=0")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"sector", "published_from", "page_size"}


def test_a_forged_cursor_gets_a_400(client):
    response = client.get("/api/stories/?cursor=not-a-cursor")
    assert response.status_code == 400
    assert "cursor" in response.json()["errors"]


def test_one_story_and_a_missing_one(client):
    story = make_story(title="One story")
    pending = make_story(status=Status.PENDING)

    assert client.get(f"/api/stories/{story.slug}/").json()["story"]["title"] == "One story"
    missing = client.get(f"/api/stories/{pending.slug}/")
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/json"


def test_writes_are_refused(client):
    assert client.post("/api/stories/", {}).status_code == 405
    assert client.delete("/api/stories/").status_code == 405


# On an empty cache: the versions, the facet table (3), the page and its tags, and the rate
# limit's reads and writes in the database cache (about 6; none with Redis), with one more when
# the rate limit's minute closes between two requests (the database cache deletes the expired
# count as it reads it). However many stories there are.
MOST_QUERIES = 14


def test_the_list_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    make_stories(3)
    with django_assert_max_num_queries(MOST_QUERIES):
        client.get("/api/stories/?page_size=100")
    make_stories(40, tags=("a", "b", "c", "d"))
    from tests.caches import forget_pages

    forget_pages()
    with django_assert_max_num_queries(MOST_QUERIES):
        assert len(client.get("/api/stories/?page_size=100").json()["results"]) == 43
    with django_assert_max_num_queries(MOST_QUERIES + 1):
        client.get("/api/stories/?q=supplier&sector=health&tag=a&page_size=100")


def test_it_filters_by_cause_and_gives_each_story_its_causes(client):
    from confessions.models import Cause

    wanted = make_story(causes=[Cause.PROCUREMENT, Cause.DATA])
    make_story(causes=[Cause.DATA])

    body = client.get("/api/stories/?cause=procurement").json()

    assert [s["slug"] for s in body["results"]] == [wanted.slug]
    assert body["results"][0]["causes"] == ["procurement", "data"]
    searched = client.get("/api/stories/?cause=procurement&q=supplier").json()
    assert [s["slug"] for s in searched["results"]] == [wanted.slug]
    assert client.get("/api/stories/?cause=weather").status_code == 400


def test_an_empty_month_or_page_size_is_an_error_not_ignored(client):
    response = client.get("/api/stories/?published_from=&page_size=")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"published_from", "page_size"}
