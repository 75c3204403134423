"""Hostile input at the story form, every step and every field at once, including the fields
the "check your answers" page carries hidden and the signed token: never a 500, every echoed
value escaped, and a story stored only when the site says it was received, exactly as the form
cleaned it.
"""

import html
import re

import pytest
from django.core.cache import cache
from django.utils.datastructures import MultiValueDict
from hypothesis import given
from hypothesis import strategies as st

from confessions.forms import ConfessionForm
from confessions.models import Confession
from tests.confessions.stories import NEW, form_token, story_data
from tests.fuzz.strategies import CACHE_KEYS_STAY_VALID, any_text, assert_escaped, fuzz_settings

pytestmark = [
    pytest.mark.django_db,
    CACHE_KEYS_STAY_VALID,
]

FUZZ = fuzz_settings(60)
FIELDS = [*ConfessionForm.STORY_FIELDS, "consent", "website"]
STEPS = st.sampled_from(["preview", "edit", "submit"]) | any_text
# A field sent once, several times (the last one counts), or not at all.
VALUES = any_text | st.lists(any_text, max_size=3)


@pytest.fixture(autouse=True)
def _no_minimum_writing_time(settings):
    settings.CONFESSION_MIN_SECONDS = 0


def echoed_values(values: dict) -> list[str]:
    flat = []
    for value in values.values():
        flat += value if isinstance(value, list) else [value]
    return flat


def stored_keys() -> set[int]:
    return set(Confession.objects.values_list("pk", flat=True))


def assert_stored_only_if_received(response, data: dict, before: set[int]) -> None:
    assert response.status_code in (200, 400, 429), response.status_code
    # Keys are random, so the new story is the one whose key was not there before.
    stored = stored_keys() - before
    if 'id="receipt-code"' not in response.content.decode():
        assert stored == set()
        return
    assert len(stored) == 1
    # The form as the view read it: of a name sent several times, the last value.
    form = ConfessionForm(
        MultiValueDict({k: v if isinstance(v, list) else [v] for k, v in data.items()})
    )
    assert form.is_valid()
    story = Confession.objects.get(pk=stored.pop())
    for name in ConfessionForm.TEXT_FIELDS:
        assert getattr(story, name) == form.cleaned_data[name]
    assert sorted(tag.name for tag in story.tags.all()) == sorted(form.cleaned_data["tags"])


def post(client, data: dict):
    # As a browser sends a form: a list is the same name several times.
    return client.post(NEW, data)


@FUZZ
@given(values=st.dictionaries(st.sampled_from(FIELDS), VALUES, min_size=1), step=STEPS)
def test_no_mix_of_hostile_fields_at_any_step_fails_or_stores_what_was_refused(
    client, values, step
):
    cache.clear()  # each example starts below the rate limit
    data = {**story_data(), "token": form_token(client), "step": step, **values}
    data = {name: value for name, value in data.items() if value != []}
    before = stored_keys()
    response = post(client, data)
    body = response.content.decode()
    for value in [*echoed_values(values), step]:
        assert_escaped(body, value)
    assert_stored_only_if_received(response, data, before)


def hidden_fields(body: str) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', body):
        fields.setdefault(name, []).append(html.unescape(value))
    return fields


@FUZZ
@given(changes=st.dictionaries(st.sampled_from(FIELDS), any_text, min_size=1))
def test_the_carried_hidden_fields_changed_on_the_way_are_checked_again(client, changes):
    cache.clear()
    preview = client.post(NEW, {**story_data(), "token": form_token(client), "step": "preview"})
    carried = hidden_fields(preview.content.decode())
    assert set(carried) >= {"token", "title", "what_happened", "consent"}
    data = {**carried, **changes, "step": "submit"}
    before = stored_keys()
    response = post(client, data)
    for value in changes.values():
        assert_escaped(response.content.decode(), value)
    assert_stored_only_if_received(response, data, before)


def tampered(token: str, position: int, replacement: str, how: str) -> str:
    position %= len(token) + 1
    if how == "replace":
        return token[:position] + replacement + token[position + 1 :]
    if how == "insert":
        return token[:position] + replacement + token[position:]
    if how == "cut":
        return token[:position]
    return token + replacement


@FUZZ
@given(
    how=st.sampled_from(["replace", "insert", "cut", "append"]),
    position=st.integers(min_value=0, max_value=500),
    replacement=any_text | st.sampled_from([":", "0", "A", "-", "_", ".", "=="]),
    step=st.sampled_from(["preview", "edit", "submit"]),
)
def test_a_tampered_or_made_up_token_is_refused_without_a_500(
    client, how, position, replacement, step
):
    cache.clear()
    token = form_token(client)
    forged = tampered(token, position, replacement, how)
    before = Confession.objects.count()
    response = post(client, {**story_data(), "token": forged, "step": step})
    assert response.status_code in (200, 400)
    body = response.content.decode()
    assert_escaped(body, forged)
    if forged != token:
        assert Confession.objects.count() == before
        assert response.status_code == 400
        assert "this page was open for a long time" in body
