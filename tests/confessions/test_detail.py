import datetime

import pytest

from confessions.models import Impact, OrganisationSize, Sector, Status
from tests.confessions.factories import make_story


def test_it_shows_the_story_in_sections_with_its_facts(client):
    story = make_story(
        title="The portal nobody used",
        sector=Sector.HOUSING,
        organisation_size=OrganisationSize.MEDIUM,
        impact=Impact.HIGH,
        published_month=datetime.date(2026, 4, 1),
        tags=("user research", "portals"),
        what_happened="We built a portal.",
        what_went_wrong="Nobody asked tenants.",
        what_we_learned="Ask first.",
        what_we_would_do_differently="Research before building.",
    )
    body = client.get(story.get_absolute_url()).content.decode()
    for heading in (
        "What happened",
        "What went wrong and why",
        "What we learned",
        "What we would do differently",
    ):
        assert f"<h2>{heading}</h2>" in body
    for text in ("We built a portal.", "Nobody asked tenants.", "Ask first.", "Research before"):
        assert text in body
    assert "Housing" in body
    assert "Medium (50 to 250 people)" in body
    assert "High: people or services seriously affected" in body
    assert "April 2026" in body
    assert 'href="/tags/user-research/"' in body
    assert 'href="/tags/portals/"' in body


def test_it_leaves_out_size_and_impact_when_not_given(client):
    body = client.get(make_story().get_absolute_url()).content.decode()
    assert "Organisation size" not in body
    assert "Impact" not in body


def test_it_escapes_the_story_text(client):
    story = make_story(what_happened="<img src=x onerror=alert(1)>")
    body = client.get(story.get_absolute_url()).content.decode()
    assert "<img src=x" not in body
    assert "&lt;img src=x onerror=alert(1)&gt;" in body


@pytest.mark.parametrize("status", [Status.PENDING, Status.REJECTED, Status.WITHDRAWN])
def test_unpublished_stories_answer_404(client, status):
    story = make_story(status=status)
    assert client.get(f"/confessions/{story.slug}/").status_code == 404


def test_an_unknown_story_answers_404(client):
    assert client.get("/confessions/no-such-story-abc123/").status_code == 404


def test_the_story_page_accepts_only_safe_methods(client):
    story = make_story()
    assert client.post(story.get_absolute_url()).status_code == 405


def test_it_shows_up_to_three_related_stories_sharing_the_most_tags(client):
    story = make_story(title="Main", tags=("budgets", "agile", "cloud"))
    make_story(title="Shares three", tags=("budgets", "agile", "cloud"))
    make_story(title="Shares two", tags=("budgets", "agile"))
    make_story(
        title="Shares one, newer", tags=("cloud",), published_month=datetime.date(2026, 9, 1)
    )
    make_story(
        title="Shares one, older", tags=("cloud",), published_month=datetime.date(2020, 1, 1)
    )
    make_story(title="Shares none", tags=("housing",))
    make_story(title="Pending shares all", status=Status.PENDING, tags=("budgets", "agile"))
    related = client.get(story.get_absolute_url()).context["related"]
    assert [r.title for r in related] == ["Shares three", "Shares two", "Shares one, newer"]


def test_a_story_sharing_no_tag_and_no_words_has_no_related_stories(client):
    # Stories sharing no tag are related by their words (tests/confessions/test_similar.py).
    make_story(title="Tagged", tags=("budgets",))
    story = make_story(
        title="Alone",
        what_happened="Quokkas.",
        what_went_wrong="Narwhals.",
        what_we_learned="Axolotls.",
        what_we_would_do_differently="Pangolins.",
    )
    response = client.get(story.get_absolute_url())
    assert response.context["related"] == []
    assert "Related stories" not in response.content.decode()
