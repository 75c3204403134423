"""Hostile input at the receipt form (code, action, confirmation) and at "this happened to us
too" (the story's address, the form, the browser's cookie): never a 500, nothing echoed as
markup, and a story withdrawn or counted only when the form says so."""

from urllib.parse import quote

import pytest
from django.core.cache import cache
from hypothesis import given
from hypothesis import strategies as st

from confessions.forms import WithdrawForm
from confessions.me_too import COOKIE_NAME
from confessions.models import Confession, Status
from tests.confessions.factories import make_story
from tests.confessions.stories import RECEIPT, make_confession
from tests.fuzz.strategies import CACHE_KEYS_STAY_VALID, any_text, assert_escaped, fuzz_settings

pytestmark = [
    pytest.mark.django_db,
    CACHE_KEYS_STAY_VALID,
]

FUZZ = fuzz_settings(50)
# What fits in a cookie header: printable ASCII without the characters that end a cookie.
COOKIE_TEXT = st.text(
    alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E, exclude_characters=';,"\\'),
    max_size=400,
)


def typed_variants(code: str) -> st.SearchStrategy[str]:
    """The right code as a person might type it, or wrapped in something hostile."""
    return st.one_of(
        st.just(code.lower().replace("-", " ")),
        st.builds(lambda a, b: a + code + b, any_text, any_text),
    )


@FUZZ
@given(data=st.data(), action=any_text | st.just("withdraw"), confirm=any_text)
def test_no_receipt_form_input_fails_and_only_a_confirmed_withdrawal_withdraws(
    client, data, action, confirm
):
    cache.clear()  # each example starts below the limit of wrong codes
    confession, code = make_confession()
    typed = data.draw(any_text | typed_variants(code), label="code")
    response = client.post(RECEIPT, {"code": typed, "action": action, "confirm": confirm})
    assert response.status_code == 200
    body = response.content.decode()
    for value in (typed, action, confirm):
        assert_escaped(body, value)
    confession.refresh_from_db()
    found = 'id="story-status"' in body
    confirmed = action == "withdraw" and WithdrawForm({"confirm": confirm}).is_valid()
    assert (confession.status == Status.WITHDRAWN) == (found and confirmed)


@FUZZ
@given(slug=any_text, fields=st.dictionaries(any_text, any_text, max_size=3))
def test_pressing_me_too_on_any_address_never_fails(client, slug, fields):
    response = client.post(f"/confessions/{quote(slug, safe='')}/me-too/", fields)
    assert response.status_code in (302, 404)
    assert_escaped(response.content.decode(), slug)


@FUZZ
@given(cookie=COOKIE_TEXT, fields=st.dictionaries(any_text, any_text, max_size=3))
def test_a_made_up_me_too_cookie_or_form_counts_at_most_once(client, cookie, fields):
    cache.clear()
    story = make_story(title="The dashboard that was always green")
    client.cookies[COOKIE_NAME] = cookie
    first = client.post(f"{story.get_absolute_url()}me-too/", fields)
    again = client.post(f"{story.get_absolute_url()}me-too/", fields)
    assert (first.status_code, again.status_code) == (302, 302)
    assert Confession.objects.get(pk=story.pk).me_too_count == 1
    page = client.get(story.get_absolute_url())
    assert page.status_code == 200
    assert "You said this happened to you too." in page.content.decode()
