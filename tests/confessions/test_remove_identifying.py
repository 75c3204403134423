""" "Remove it" and "Keep it" beside each detail on the check page: plain form posts."""

import re

import pytest

from confessions.models import Confession
from tests.confessions.stories import NEW, form_token, story_data, tokens_in

pytestmark = pytest.mark.django_db

STORY = "Jenny on reception rang Leeds City Council. Jenny said it was fine."


def choices_in(body: str, name: str) -> list[str]:
    return re.findall(rf'name="{name}" value="([^"]+)"', body)


def check_page(client, **fields):
    data = story_data(what_happened=STORY, **fields)
    data.update(step="preview", token=form_token(client))
    return data, client.post(NEW, data)


def test_each_finding_is_marked_in_the_quoted_text_with_its_kind(client):
    _, response = check_page(client)
    body = response.content.decode()
    assert (
        '<mark>Jenny<span class="identifying__kind"> (name of a person)</span></mark> on reception'
        in body
    )
    assert "<mark>Leeds City Council<span" in body
    assert choices_in(body, "remove") == ["what_happened:0", "what_happened:1"]
    assert choices_in(body, "keep") == ["what_happened:Jenny", "what_happened:Leeds City Council"]


def test_remove_it_replaces_the_detail_and_keeps_everything_else(client):
    data, page = check_page(client)
    response = client.post(NEW, {**data, "step": "", "remove": "what_happened:0"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Check your story before you send it" in body
    assert "that detail now reads <q>[removed]</q>" in body
    # Every time it appears in that part, and nothing else.
    expected = "[removed] on reception rang Leeds City Council. [removed] said it was fine."
    assert f'name="what_happened" value="{expected}"' in body
    assert 'name="title" value="The portal nobody could use"' in body
    assert 'name="what_we_learned" value="Test with real users early, and often."' in body
    assert 'name="tags" value="User research, Procurement"' in body
    assert choices_in(body, "remove") == ["what_happened:0"]  # only the council is left
    assert tokens_in(response) == tokens_in(page)
    assert Confession.objects.count() == 0


def test_the_story_is_sent_as_it_reads_after_removing(client):
    data, _ = check_page(client)
    removed = client.post(NEW, {**data, "step": "", "remove": "what_happened:1"}).content.decode()
    carried = dict(re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', removed))
    carried["what_happened"] = carried["what_happened"].replace("&#x27;", "'")
    client.post(NEW, {**data, **carried, "step": "submit"})
    stored = Confession.objects.get()
    assert stored.what_happened == ("Jenny on reception rang [removed]. Jenny said it was fine.")


def test_keep_it_leaves_the_detail_and_carries_the_choice(client):
    data, _ = check_page(client)
    response = client.post(NEW, {**data, "step": "", "keep": "what_happened:Jenny"})
    body = response.content.decode()
    assert f'name="what_happened" value="{STORY}"' in body
    assert "(kept for the moderator)" in body
    assert choices_in(body, "kept") == ["what_happened:Jenny"]
    assert choices_in(body, "remove") == ["what_happened:1"]
    assert Confession.objects.count() == 0


@pytest.mark.parametrize(
    "choice", ["what_happened:9", "what_happened:x", "sector:0", "nothing", "", "title:-1"]
)
def test_a_choice_that_matches_no_finding_changes_nothing(client, choice):
    data, _ = check_page(client)
    response = client.post(NEW, {**data, "step": "", "remove": choice})
    assert response.status_code == 200
    body = response.content.decode()
    assert f'name="what_happened" value="{STORY}"' in body
    assert "now reads" not in body


def test_remove_it_on_an_invalid_form_shows_the_form_with_its_problems(client):
    data, _ = check_page(client)
    response = client.post(NEW, {**data, "what_we_learned": "", "remove": "what_happened:0"})
    body = response.content.decode()
    assert "<h1>Share a story</h1>" in body
    assert "Enter what you learned" in body
    assert STORY in body
