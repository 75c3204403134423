"""The check page: a "Change" button per section, and each flagged detail marked in the text."""

import re

import pytest
from django.contrib.staticfiles import finders

from tests.confessions.stories import NEW, form_token, story_data

pytestmark = pytest.mark.django_db

STORY = "Jenny on reception rang Leeds City Council. Jenny said it was fine."


def check_page(client, **fields):
    data = story_data(what_happened=STORY, causes=["technology", "communication"], **fields)
    data.update(step="preview", token=form_token(client))
    response = client.post(NEW, data)
    assert response.status_code == 200
    return data, response.content.decode()


def change(client, data: dict, name: str) -> str:
    """Press "Change" beside section ``name``: the button's own name and value, and the draft."""
    posted = {key: value for key, value in data.items() if key != "step"}
    response = client.post(NEW, {**posted, "change": name})
    assert response.status_code == 200
    return response.content.decode()


def test_each_section_has_a_change_button_naming_it(client):
    _, body = check_page(client)
    buttons = re.findall(
        r'<button type="submit" form="story-form" name="change" value="([a-z_]+)" '
        r'class="link-button">Change<span class="visually-hidden"> ([^<]+)</span></button>',
        body,
    )
    assert buttons == [
        ("language", "language"),
        ("title", "title"),
        ("sector", "sector"),
        ("organisation_size", "organisation size"),
        ("what_happened", "what happened"),
        ("what_went_wrong", "what went wrong and why"),
        ("what_we_learned", "what we learned"),
        ("what_we_would_do_differently", "what we would do differently"),
        ("impact", "impact"),
        ("causes", "causes"),
        ("tags", "tags"),
    ]
    # The buttons belong to the form that carries the draft; nothing of it goes in an address.
    assert 'id="story-form"' in body
    assert "formaction" not in body
    assert "?" not in re.search(r'<form method="post" action="([^"]*)"', body).group(1)


def test_change_goes_back_to_the_form_with_everything_kept_and_that_field_focused(client):
    data, _ = check_page(client)
    body = change(client, data, "what_we_learned")
    assert "<h1>Share a story</h1>" in body
    assert re.search(r'<textarea name="what_we_learned"[^>]*autofocus', body)
    assert body.count("autofocus") == 1
    assert "Test with real users early, and often.</textarea>" in body
    assert "Jenny on reception rang Leeds City Council." in body
    assert 'value="The portal nobody could use"' in body
    assert re.search(r'<option value="local-government" selected>', body)
    assert re.search(r'value="technology"[^>]*checked', body)
    assert re.search(r'value="communication"[^>]*checked', body)
    assert re.search(r'name="consent"[^>]*checked', body)
    assert 'class="error-summary"' not in body


def test_change_on_the_causes_focuses_their_group(client):
    data, _ = check_page(client)
    body = change(client, data, "causes")
    assert '<fieldset class="checkboxes" id="id_causes" tabindex="-1" autofocus' in body
    assert body.count("autofocus") == 1


def test_change_on_a_single_line_field_focuses_it(client):
    data, _ = check_page(client)
    body = change(client, data, "title")
    assert re.search(r'<input type="text" name="title"[^>]*autofocus', body)
    assert body.count("autofocus") == 1


@pytest.mark.parametrize("name", ["consent", "website", "token", "nonsense", "<script>"])
def test_change_on_something_not_a_section_goes_back_to_the_form_unfocused(client, name):
    data, _ = check_page(client)
    body = change(client, data, name)
    assert "<h1>Share a story</h1>" in body
    assert "autofocus" not in body
    assert "Jenny on reception rang Leeds City Council." in body


def test_change_keeps_a_detail_the_writer_removed(client):
    data, _ = check_page(client)
    removed = client.post(NEW, {**data, "step": "", "remove": "what_happened:1"})
    assert "[removed]" in removed.content.decode()
    # The check page carries the draft as it now reads.
    carried = re.search(r'name="what_happened" value="([^"]+)"', removed.content.decode()).group(1)
    body = change(client, {**data, "what_happened": carried}, "what_happened")
    assert "Jenny on reception rang [removed]. Jenny said it was fine.</textarea>" in body


def test_flagged_details_are_marked_in_the_quoted_text_with_a_hidden_prefix(client):
    _, body = check_page(client)
    dd = re.search(r"<dt>What happened</dt>\s*<dd>(.*?)</dd>", body, re.S).group(1)
    prefix = '<span class="visually-hidden">possible identifying detail: </span>'
    assert dd == (
        f"<p>{prefix}<mark>Jenny"
        '<span class="identifying__kind"> (name of a person)</span></mark> on reception rang '
        f"{prefix}<mark>Leeds City Council"
        '<span class="identifying__kind"> (name of an organisation)</span></mark>. '
        f"{prefix}<mark>Jenny"
        '<span class="identifying__kind"> (name of a person)</span></mark> said it was fine.</p>'
    )
    # Every place the detail appears is marked, since "Remove it" takes out all of them.
    # A section with nothing flagged has no marks.
    learned = re.search(r"<dt>What we learned</dt>\s*<dd>(.*?)</dd>", body, re.S).group(1)
    assert learned == "<p>Test with real users early, and often.</p>"


def test_the_marked_text_stays_escaped(client):
    _, body = check_page(client, what_went_wrong='<b>Jenny</b> said "no" & left <script>x</script>')
    dd = re.search(r"<dt>What went wrong and why</dt>\s*<dd>(.*?)</dd>", body, re.S).group(1)
    assert "<b>" not in dd and "<script>" not in dd
    assert "&lt;b&gt;" in dd and "&lt;script&gt;x&lt;/script&gt;" in dd
    assert "&amp; left" in dd
    assert "possible identifying detail: </span><mark>Jenny" in dd


def test_marks_are_shown_by_more_than_colour():
    with open(finders.find("css/site.css")) as handle:
        css = handle.read()
    rule = re.search(r"^mark \{([^}]*)\}", css, re.M).group(1)
    assert "border-bottom" in rule
