"""Sectors and tags with counts; answers cached like the pages; CORS; the rate limit."""

from confessions.models import Sector, Status
from tests.confessions.factories import make_story
from tests.ratelimits import wait_for_a_fresh_window


def test_sectors_count_published_stories(client):
    make_story(sector=Sector.HEALTH)
    make_story(sector=Sector.HEALTH)
    make_story(sector=Sector.HOUSING, status=Status.PENDING)

    results = {row["value"]: row for row in client.get("/api/sectors/").json()["results"]}

    assert results["health"] == {"value": "health", "label": "Health", "stories": 2}
    assert results["housing"]["stories"] == 0
    assert len(results) == len(Sector.choices)


def test_tags_count_published_stories_most_used_first(client):
    make_story(tags=("cloud", "budgets"))
    make_story(tags=("cloud",))
    make_story(tags=("secret-tag",), status=Status.PENDING)

    results = client.get("/api/tags/").json()["results"]

    assert [(r["value"], r["stories"]) for r in results] == [("cloud", 2), ("budgets", 1)]


def test_answers_are_cached_until_the_stories_change(client, django_assert_max_num_queries):
    story = make_story(title="Before")
    client.get("/api/stories/")
    # The content versions, and the rate limit (kept in the database cache without Redis).
    with django_assert_max_num_queries(10) as queries:
        assert client.get("/api/stories/").json()["results"][0]["title"] == "Before"
    assert not [q for q in queries.captured_queries if "confessions_" in q["sql"]]

    story.title = "After"
    story.save()

    assert client.get("/api/stories/").json()["results"][0]["title"] == "After"


def test_any_origin_may_read_it(client):
    response = client.get("/api/sectors/", headers={"Origin": "https://elsewhere.example"})
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/api/stories/",
        headers={"Origin": "https://elsewhere.example", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 200
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]


def test_other_pages_are_not_opened_to_other_origins(client):
    response = client.get("/confessions/", headers={"Origin": "https://elsewhere.example"})
    assert "Access-Control-Allow-Origin" not in response


def test_a_client_past_the_limit_gets_429_cached_answers_included(client, settings):
    settings.API_REQUESTS_PER_MINUTE = 3
    wait_for_a_fresh_window(60)
    for _ in range(3):
        assert client.get("/api/sectors/").status_code == 200
    response = client.get("/api/sectors/")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    # Another client is not held back.
    other = client.get("/api/sectors/", REMOTE_ADDR="192.0.2.9")
    assert other.status_code == 200


def test_the_schema_is_openapi_3_and_states_the_licence(client):
    response = client.get("/api/schema/", headers={"Accept": "application/json"})
    assert response.status_code == 200
    text = response.content.decode()
    assert text.startswith("openapi: 3") or '"openapi": "3' in text
    assert "CC BY 4.0" in text
    assert "/api/stories/" in text


def test_the_open_data_page_states_the_licence(client):
    response = client.get("/api/")
    assert response.status_code == 200
    assert b"Creative Commons Attribution 4.0" in response.content


def test_causes_count_published_stories(client):
    from confessions.models import Cause

    make_story(causes=[Cause.PROCUREMENT, Cause.DATA])
    make_story(causes=[Cause.PROCUREMENT])
    make_story(causes=[Cause.DATA], status=Status.PENDING)

    results = {row["value"]: row["stories"] for row in client.get("/api/causes/").json()["results"]}

    assert results["procurement"] == 2
    assert results["data"] == 1
    assert len(results) == len(Cause.choices)
