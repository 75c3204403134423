import datetime
import xml.etree.ElementTree as ET

from confessions.models import Status
from tests.confessions.factories import make_story

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(client):
    response = client.get("/confessions/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content).findall(f"{ATOM}entry")  # noqa: S314 - our own feed


def test_it_lists_approved_stories_newest_first(client):
    make_story(title="Older", published_month=datetime.date(2025, 2, 1))
    make_story(title="Newer", published_month=datetime.date(2026, 7, 1))
    make_story(title="Pending", status=Status.PENDING)
    titles = [entry.find(f"{ATOM}title").text for entry in entries(client)]
    assert titles == ["Newer", "Older"]


def test_entries_are_dated_to_the_first_of_the_month_only(client):
    make_story(published_month=datetime.date(2026, 7, 1))
    (entry,) = entries(client)
    assert entry.find(f"{ATOM}updated").text == "2026-07-01T00:00:00+00:00"
    assert entry.find(f"{ATOM}published").text == "2026-07-01T00:00:00+00:00"


def test_entries_link_to_the_story_and_carry_its_tags_and_lessons(client):
    story = make_story(tags=("budgets", "agile"), what_we_learned="Ask <first> & listen.")
    (entry,) = entries(client)
    assert entry.find(f"{ATOM}link").get("href").endswith(story.get_absolute_url())
    assert {c.get("term") for c in entry.findall(f"{ATOM}category")} == {"budgets", "agile"}
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    # The summary is HTML in which the story's own text stays text.
    assert "Ask &lt;first&gt; &amp; listen." in summary.text


def test_the_feed_accepts_only_safe_methods(client):
    assert client.post("/confessions/feed/").status_code == 405
