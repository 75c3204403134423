"""The moderator's story page marks the details the writer was warned about."""

import pytest

from tests.confessions.stories import make_confession

pytestmark = pytest.mark.django_db


def test_the_story_page_marks_each_detail_in_its_text_with_its_kind(moderator_client):
    confession, _ = make_confession(
        what_happened="Jenny on reception rang Leeds City Council about it.",
        what_we_learned="Ask <the> residents, and the Head of Housing.",
        tags=["mencap"],
    )
    body = moderator_client.get(
        f"/admin/confessions/confession/{confession.pk}/change/"
    ).content.decode()
    assert (
        '<mark>Jenny<span class="identifying__kind"> (name of a person)</span></mark> on reception'
        in body
    )
    assert "<mark>Leeds City Council<span" in body
    assert "(job title of one person)" in body
    assert "Ask &lt;the&gt; residents" in body  # the story's text is escaped


def test_a_story_without_details_says_none_were_found(moderator_client):
    confession, _ = make_confession()
    body = moderator_client.get(
        f"/admin/confessions/confession/{confession.pk}/change/"
    ).content.decode()
    assert "None found (check the text yourself" in body
    assert "<mark>" not in body
