import datetime
import re

from confessions.models import Status
from tests.confessions.factories import make_stories, make_story


def test_home_shows_the_latest_approved_stories_and_a_call_to_share(client):
    make_story(title="Old news", published_month=datetime.date(2020, 1, 1))
    for month in range(1, 6):
        make_story(title=f"Recent {month}", published_month=datetime.date(2026, month, 1))
    make_story(title="Not yet approved", status=Status.PENDING)
    body = client.get("/").content.decode()
    assert "Latest stories" in body
    assert [f"Recent {m}" for m in range(5, 0, -1)] == re.findall(r"Recent \d", body)
    assert "Old news" not in body
    assert "Not yet approved" not in body
    assert 'href="/confessions/new/"' in body
    assert len(re.findall(r"<h1[\s>]", body)) == 1


def test_home_without_stories_still_invites_people_to_share(client):
    body = client.get("/").content.decode()
    assert "No stories have been published yet." in body
    assert "Share your story" in body


def test_the_tag_page_lists_approved_stories_with_that_tag(client):
    make_story(title="Budget story", tags=("budgets",))
    make_story(title="Other story", tags=("agile",))
    make_story(title="Pending budget story", status=Status.PENDING, tags=("budgets",))
    response = client.get("/tags/budgets/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Budget story" in body
    assert "Other story" not in body
    assert "Pending budget story" not in body
    assert "1 published story with this tag" in body
    assert len(re.findall(r"<h1[\s>]", body)) == 1


def test_the_tag_page_links_to_the_full_list_when_there_are_more(client):
    make_stories(23, tags=("budgets",))
    body = client.get("/tags/budgets/").content.decode()
    assert "23 published stories with this tag, the latest 20 shown" in body
    assert 'href="/confessions/?tag=budgets"' in body


def test_an_unknown_tag_answers_404(client):
    assert client.get("/tags/no-such-tag/").status_code == 404


def test_a_tag_used_only_by_unpublished_stories_answers_404(client):
    make_story(status=Status.PENDING, tags=("Barchester Council",))
    response = client.get("/tags/barchester-council/")
    assert response.status_code == 404
    assert "Barchester" not in response.content.decode()


def test_tag_and_home_pages_accept_only_safe_methods(client):
    make_story(tags=("budgets",))
    assert client.post("/").status_code == 405
    assert client.post("/tags/budgets/").status_code == 405
