"""Has this happened before? Published stories like the draft on the check page, and like a
story on its page when none shares a tag with it. The draft is used for one query and kept
nowhere."""

from collections import OrderedDict

import pytest

from confessions import search
from confessions.models import Cause, Confession, Status
from failshare import pagecache
from tests.confessions.factories import make_story
from tests.confessions.stories import NEW, form_token, post_step, story_data

PROCUREMENT_DRAFT = {
    "title": "The supplier's system did not do what the contract said",
    "what_happened": "We bought a case system from a supplier after a procurement lasting a year.",
    "what_went_wrong": "The specification was written without the staff who would use it.",
    "what_we_learned": "Write the contract around outcomes that staff can test.",
    "what_we_would_do_differently": "Put caseworkers on the procurement panel.",
    "causes": ["procurement"],
    "tags": "",
}


def _published():
    supplier = make_story(
        title="A supplier contract that paid for delivery, not for working software",
        what_went_wrong="The procurement specification left out what caseworkers needed.",
        causes=[Cause.PROCUREMENT],
    )
    tender = make_story(
        title="Our tender asked suppliers for the wrong things",
        what_happened="The procurement took a year and the contract was signed in a rush.",
        causes=[Cause.PROCUREMENT, Cause.REQUIREMENTS],
    )
    hashtag = make_story(
        title="Our hashtag joke fell flat",
        what_happened="A campaign post was read the wrong way by residents.",
        what_went_wrong="Nobody outside the comms office saw the post first.",
        what_we_learned="Ask a few residents before posting.",
        what_we_would_do_differently="Show the post to people from outside the team.",
        causes=[Cause.COMMUNICATION],
    )
    make_story(
        title="A pending supplier contract story",
        what_happened="The procurement and the supplier contract went wrong.",
        status=Status.PENDING,
    )
    return supplier, tender, hashtag


def _similar_titles(response) -> list[str]:
    return [story.title for story in response.context["similar"]]


def test_the_check_page_shows_published_stories_like_the_draft_best_first(client):
    supplier, tender, hashtag = _published()
    response = post_step(client, "preview", **PROCUREMENT_DRAFT)
    assert response.status_code == 200
    titles = _similar_titles(response)
    assert set(titles[:2]) == {supplier.title, tender.title}
    assert "A pending supplier contract story" not in titles
    body = response.content.decode()
    assert '<h2 id="similar-heading">Has this happened before?</h2>' in body
    # Each opens in a new tab, so the check page (and the draft in it) stays as it is.
    assert (
        f'<a href="{supplier.get_absolute_url()}" target="_blank" rel="noopener">'
        f"{supplier.title} (opens in new tab)</a>"
    ) in body.replace("&#x27;", "'")


def test_at_most_five_are_shown(client):
    for number in range(7):
        make_story(title=f"Supplier contract procurement {number}")
    response = post_step(client, "preview", **PROCUREMENT_DRAFT)
    assert len(_similar_titles(response)) == 5


def test_a_draft_like_no_story_says_so(client):
    make_story(
        title="Our hashtag joke fell flat",
        what_happened="x",
        what_went_wrong="y",
        what_we_learned="z",
        what_we_would_do_differently="w",
    )
    response = post_step(
        client,
        "preview",
        title="Zebras",
        what_happened="Quokkas",
        what_went_wrong="Narwhals",
        what_we_learned="Axolotls",
        what_we_would_do_differently="Pangolins",
        tags="",
    )
    assert _similar_titles(response) == []
    assert "No published story is like yours yet." in response.content.decode()


def test_the_draft_is_kept_nowhere(client, cache_round_trips, monkeypatch):
    monkeypatch.setattr(pagecache, "_local", OrderedDict())
    _published()
    response = post_step(client, "preview", **PROCUREMENT_DRAFT)
    assert response.context["similar"]
    assert "no-store" in response["Cache-Control"]
    assert not Confession.objects.filter(title=PROCUREMENT_DRAFT["title"]).exists()
    # Nothing was written to the pages cache, and nothing kept in this process, for the draft.
    assert [name for name, _ in cache_round_trips if name.startswith("set")] == []
    assert not any("supplier" in repr(value).lower() for value in pagecache._local.values())


def test_the_check_page_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(3):
        _published()
    token_page = client.get(NEW)
    assert token_page.status_code == 200
    # The token is read from the form page first; then the preview alone is counted.
    data = {**story_data(**PROCUREMENT_DRAFT), "step": "preview", "token": form_token(client)}
    with django_assert_max_num_queries(3):
        response = client.post(NEW, data)
    assert len(response.context["similar"]) == 5


def test_the_draft_words_are_its_most_frequent_title_first():
    words = search.draft_words("Supplier contract", "The supplier was late. Contract contract.")
    assert words[:2] == ["contract", "supplier"]
    assert "that" not in search.draft_words("that that that", "")


# The story page


def test_a_story_sharing_no_tag_shows_the_stories_most_like_its_words(client):
    supplier, tender, hashtag = _published()
    response = client.get(supplier.get_absolute_url())
    related = [story.title for story in response.context["related"]]
    assert related[0] == tender.title
    assert supplier.title not in related
    assert "Related stories" in response.content.decode()


def test_stories_sharing_tags_come_before_stories_with_like_words(client):
    supplier, tender, _ = _published()
    Confession.objects.get(pk=supplier.pk).tags.add("budgets")
    shares = make_story(title="Shares the tag", tags=("budgets",))
    response = client.get(supplier.get_absolute_url())
    assert [story.title for story in response.context["related"]] == [shares.title]


@pytest.mark.parametrize("stories", [1, 3])
def test_a_story_page_with_like_words_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, stories
):
    for _ in range(stories):
        supplier, *_ = _published()
    # The versions, the count, the story, its tags, the stories like it, their cards and the
    # story's responses.
    with django_assert_max_num_queries(7):
        response = client.get(supplier.get_absolute_url())
    assert response.context["related"]
