"""Causes: a fixed list of what went wrong, chosen on the story form, checked by moderators, and
a way to find stories (the list's facet and filter, the search, the story page)."""

import datetime
import re

from confessions.models import Cause, Confession, Status
from confessions.services import confession_withdraw
from tests.confessions.factories import make_story
from tests.confessions.stories import (
    CHANGELIST,
    NEW,
    change_form_data,
    change_url,
    make_confession,
    post_step,
    submit,
)

LIST = "/confessions/"


def test_a_story_keeps_its_causes_and_can_be_found_by_one():
    both = make_story(causes=[Cause.PROCUREMENT, Cause.DATA])
    make_story(causes=[Cause.SKILLS])
    make_story()
    assert Confession.objects.get(pk=both.pk).causes == ["procurement", "data"]
    assert list(Confession.objects.with_cause(Cause.PROCUREMENT)) == [both]


def test_a_story_without_causes_has_an_empty_list():
    assert make_story().causes == []


# The story form


def test_the_form_offers_every_cause_as_a_checkbox_in_a_fieldset(client):
    body = client.get(NEW).content.decode()
    group = body[body.index('<fieldset class="checkboxes"') : body.index("</fieldset>")]
    assert "<legend>What caused it (optional)</legend>" in group
    for value, label in Cause.choices:
        assert f'type="checkbox" name="causes" value="{value}"' in group
        assert str(label) in group


def test_the_causes_chosen_are_stored_with_the_story(client):
    response, code = submit(client, causes=["procurement", "communication"])
    assert code
    stored = Confession.objects.get()
    assert stored.causes == ["procurement", "communication"]
    assert stored.status == Status.PENDING


def test_a_story_can_be_sent_without_causes(client):
    submit(client)
    assert Confession.objects.get().causes == []


def test_a_cause_not_on_the_list_is_refused_with_the_sites_wording(client):
    response = post_step(client, "preview", causes=["procurement", "bad-luck"])
    body = response.content.decode()
    assert "There is a problem" in body
    assert '<a href="#id_causes">Choose causes from the list</a>' in body
    assert 'id="id_causes_error"' in body
    assert Confession.objects.count() == 0


def test_the_check_page_shows_the_causes_and_carries_them_on(client):
    response = post_step(client, "preview", causes=["procurement", "data"])
    body = response.content.decode()
    assert "<dt>Causes</dt>" in body
    assert "<dd><p>Procurement and suppliers, Data</p></dd>" in body
    hidden = re.findall(r'<input type="hidden" name="causes" value="([^"]+)"', body)
    assert hidden == ["procurement", "data"]


def test_changing_the_story_keeps_the_ticks(client):
    body = post_step(client, "edit", causes=["skills"]).content.decode()
    assert re.search(r'name="causes" value="skills"[^>]*checked', body)
    assert not re.search(r'name="causes" value="data"[^>]*checked', body)


# The story page


def test_the_story_page_names_its_causes_each_a_link_to_the_list(client):
    story = make_story(causes=[Cause.DATA, Cause.PROCUREMENT])
    body = client.get(story.get_absolute_url()).content.decode()
    facts = body[body.index("<dt>Causes</dt>") : body.index("<dt>Published</dt>")]
    # In the list's order, whatever order they were stored in.
    assert re.findall(r'href="/confessions/\?cause=(\w+)">([^<]+)<', facts) == [
        ("procurement", "Procurement and suppliers"),
        ("data", "Data"),
    ]


def test_a_story_without_causes_shows_none(client):
    story = make_story()
    assert "<dt>Causes</dt>" not in client.get(story.get_absolute_url()).content.decode()


# Moderators


def test_moderators_tick_the_causes_and_the_change_is_recorded(moderator_client):
    confession, _ = make_confession(causes=["data"])
    body = moderator_client.get(change_url(confession)).content.decode()
    assert re.search(r'type="checkbox" name="causes" value="data"[^>]*checked', body)
    data = change_form_data(confession, causes=["procurement", "leadership"])
    response = moderator_client.post(change_url(confession), data)
    assert response.status_code == 302
    confession.refresh_from_db()
    assert sorted(confession.causes) == ["leadership", "procurement"]
    assert confession.decisions.get().reason == "Changed: causes"


def test_the_queue_filters_by_cause(moderator_client):
    found, _ = make_confession(title="The supplier who vanished", causes=["procurement"])
    make_confession(title="The dashboard nobody read", causes=["data"])
    body = moderator_client.get(CHANGELIST, {"cause": "procurement"}).content.decode()
    assert "The supplier who vanished" in body
    assert "The dashboard nobody read" not in body
    assert "By cause" in body


def test_withdrawing_a_story_clears_its_causes(client):
    confession, _ = make_confession(causes=["data"])
    confession_withdraw(confession=confession)
    confession.refresh_from_db()
    assert confession.causes == []


# The list: a facet with counts, and a filter


def _facets(body: str, heading: str) -> list[tuple[str, str, str]]:
    start = body.index(f"<h2>{heading}</h2>")
    section = body[start : body.index("</ul>", start)]
    return re.findall(
        r'<a href="([^"]+)"[^>]*>([^<]+)</a> <span class="facet-count">\((\d+)\)', section
    )


def _stories_with_causes():
    month = datetime.date(2026, 3, 1)
    make_story(title="Supplier and data", causes=["procurement", "data"], published_month=month)
    make_story(title="Supplier only", causes=["procurement"], sector="health", tags=("cloud",))
    make_story(title="Data only", causes=["data"], tags=("cloud",))
    make_story(title="No causes")
    make_story(title="Pending supplier", causes=["procurement"], status=Status.PENDING)


def test_the_list_counts_published_stories_by_cause(client):
    _stories_with_causes()
    body = client.get(LIST).content.decode()
    assert _facets(body, "Causes") == [
        ("/confessions/?cause=procurement", "Procurement and suppliers", "2"),
        ("/confessions/?cause=data", "Data", "2"),
    ]
    assert '<option value="procurement">Procurement and suppliers (2)</option>' in body


def test_choosing_a_cause_lists_only_its_stories_and_counts_the_rest_within_it(client):
    _stories_with_causes()
    response = client.get(LIST, {"cause": "procurement"})
    titles = [s.title for s in response.context["listing"].page.object_list]
    assert sorted(titles) == ["Supplier and data", "Supplier only"]
    body = response.content.decode()
    assert "Cause: Procurement and suppliers" in body
    assert "2 stories found" in body
    # Sectors and tags are counted within the cause; causes across every cause.
    assert ("/confessions/?sector=health&amp;cause=procurement", "Health", "1") in _facets(
        body, "Sectors"
    )
    assert _facets(body, "Tags") == [
        ("/confessions/?cause=procurement&amp;tag=cloud", "cloud", "1")
    ]
    assert ("/confessions/?cause=data", "Data", "2") in _facets(body, "Causes")


def test_a_cause_with_a_tag_and_a_sector_counts_only_stories_with_all_three(client):
    _stories_with_causes()
    response = client.get(LIST, {"cause": "data", "tag": "cloud"})
    assert [s.title for s in response.context["listing"].page.object_list] == ["Data only"]
    assert response.context["listing"].total == 1
    assert (
        client.get(LIST, {"cause": "data", "tag": "cloud", "sector": "health"})
        .context["listing"]
        .total
        == 0
    )


def test_an_unknown_cause_is_ignored_with_a_notice(client):
    _stories_with_causes()
    response = client.get(LIST, {"cause": "bad-luck"})
    assert "There is no such cause" in response.content.decode()
    assert response.context["listing"].total == 4


def test_a_search_can_be_narrowed_to_a_cause_and_counts_causes(client):
    make_story(title="The supplier who vanished", causes=["procurement"])
    make_story(title="The supplier data", causes=["data"])
    response = client.get(LIST, {"q": "supplier", "cause": "data"})
    assert [s.title for s in response.context["listing"].page.object_list] == ["The supplier data"]
    causes = _facets(response.content.decode(), "Causes")
    assert (
        "/confessions/?q=supplier&amp;cause=procurement",
        "Procurement and suppliers",
        "1",
    ) in causes


def test_the_words_of_a_cause_find_its_stories_in_a_search(client):
    # "governance" is only in the cause's label, nowhere in the story's text.
    found = make_story(title="The board that never met", causes=["leadership"])
    make_story(title="Another story")
    response = client.get(LIST, {"q": "governance"})
    assert [s.title for s in response.context["listing"].page.object_list] == [found.title]


def test_a_cause_weighs_more_in_ranking_than_the_story_of_what_happened(client):
    in_cause = make_story(
        title="First", causes=["procurement"], published_month=datetime.date(2025, 1, 1)
    )
    make_story(title="Second", what_happened="We had a procurement.")
    response = client.get(LIST, {"q": "procurement"})
    assert response.context["listing"].page.object_list[0].title == in_cause.title


def test_a_change_of_causes_makes_the_cached_list_stale(client):
    story = make_story(causes=["data"])
    assert "Data" in "".join(f[1] for f in _facets(client.get(LIST).content.decode(), "Causes"))
    Confession.objects.filter(pk=story.pk).update(causes=["skills"])
    labels = [f[1] for f in _facets(client.get(LIST).content.decode(), "Causes")]
    assert labels == ["Skills and capacity"]


# A month of publication (the insights page's bars for months link to one)


def test_a_month_lists_only_the_stories_published_in_it_with_counts_for_it(client):
    make_story(
        title="March supplier", causes=["procurement"], published_month=datetime.date(2026, 3, 1)
    )
    make_story(
        title="March data",
        causes=["data"],
        sector="health",
        published_month=datetime.date(2026, 3, 1),
    )
    make_story(
        title="April supplier", causes=["procurement"], published_month=datetime.date(2026, 4, 1)
    )
    response = client.get(LIST, {"month": "2026-03"})
    listing = response.context["listing"]
    assert sorted(s.title for s in listing.page.object_list) == ["March data", "March supplier"]
    assert listing.total == 2
    body = response.content.decode()
    assert "Published in March 2026" in body
    assert (
        "/confessions/?cause=procurement&amp;month=2026-03",
        "Procurement and suppliers",
        "1",
    ) in _facets(body, "Causes")
    assert (
        client.get(LIST, {"month": "2026-03", "cause": "procurement"}).context["listing"].total == 1
    )


def test_a_month_that_is_not_one_is_ignored_with_a_notice(client):
    make_story()
    response = client.get(LIST, {"month": "2026-13"})
    assert "That is not a month" in response.content.decode()
    assert response.context["listing"].total == 1


def test_an_impact_lists_its_stories_and_not_given_lists_those_without_one(client):
    make_story(title="High one", impact="high")
    make_story(title="Low one", impact="low")
    make_story(title="Without", impact="")
    high = client.get(LIST, {"impact": "high"})
    assert [s.title for s in high.context["listing"].page.object_list] == ["High one"]
    assert "Impact: High: people or services seriously affected" in high.content.decode()
    without = client.get(LIST, {"impact": "not-given"}).context["listing"]
    assert [s.title for s in without.page.object_list] == ["Without"]
    assert without.total == 1


def test_an_unknown_impact_is_ignored_with_a_notice(client):
    make_story()
    response = client.get(LIST, {"impact": "huge"})
    assert "There is no such impact" in response.content.decode()
    assert response.context["listing"].total == 1


def test_a_search_leaves_out_a_month_and_an_impact_and_says_so(client):
    make_story(title="The supplier story", published_month=datetime.date(2026, 3, 1))
    response = client.get(LIST, {"q": "supplier", "month": "2025-01", "impact": "high"})
    assert "so those filters were left out" in response.content.decode()
    assert [s.title for s in response.context["listing"].page.object_list] == ["The supplier story"]
