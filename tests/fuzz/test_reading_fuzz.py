"""Hostile input where people read: search and list parameters echoed back, topics' and
stories' addresses, the feed and the home page with odd parameters, and odd cookies and headers
on every kind of request: never a 500, nothing echoed as markup."""

from urllib.parse import quote

import pytest
from django.core.cache import cache, caches
from hypothesis import given
from hypothesis import strategies as st

from failshare.models import NAMESPACES, ContentVersion
from tests.caches import shared_cache_expiries
from tests.confessions.factories import make_story
from tests.fuzz.strategies import CACHE_KEYS_STAY_VALID, any_text, assert_escaped, fuzz_settings

pytestmark = [
    pytest.mark.django_db,
    CACHE_KEYS_STAY_VALID,
]

FUZZ = fuzz_settings(50)
PARAMETERS = st.dictionaries(
    st.sampled_from(["q", "sector", "tag", "sort", "page"]) | any_text,
    any_text | st.lists(any_text, max_size=3),
    max_size=4,
)
HEADER_TEXT = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=300)
COOKIE_TEXT = st.text(
    alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E, exclude_characters=';,"\\'),
    max_size=300,
)


@pytest.fixture
def stories():
    make_story(title="Budget overrun on the housing portal", tags=("budgets",))
    make_story(title="The consultation nobody saw", tags=("consultation",))


def values(params: dict) -> list[str]:
    flat = []
    for value in params.values():
        flat += value if isinstance(value, list) else [value]
    return flat


@FUZZ
@given(params=PARAMETERS)
def test_the_story_list_echoes_any_parameters_only_as_text(client, stories, params):
    response = client.get("/confessions/", params)
    assert response.status_code == 200
    body = response.content.decode()
    for value in values(params):
        assert_escaped(body, value)


@FUZZ
@given(
    path=st.sampled_from(["/", "/confessions/feed/", "/privacy/", "/confessions/receipt/"]),
    params=PARAMETERS,
)
def test_pages_without_parameters_ignore_any_they_are_given(client, stories, path, params):
    response = client.get(path, params)
    assert response.status_code == 200
    for value in values(params):
        assert_escaped(response.content.decode(), value)


@FUZZ
@given(slug=any_text)
def test_any_topic_or_story_address_is_found_or_not_found(client, stories, slug):
    quoted = quote(slug, safe="")
    for path in (f"/tags/{quoted}/", f"/confessions/{quoted}/"):
        response = client.get(path)
        assert response.status_code in (200, 404), path
        assert_escaped(response.content.decode(), slug)


@FUZZ
@given(
    cookies=st.dictionaries(
        st.sampled_from(["csrftoken", "sessionid", "fs_me_too", "messages"]), COOKIE_TEXT
    ),
    agent=HEADER_TEXT,
    forwarded=HEADER_TEXT,
    language=HEADER_TEXT,
    path=st.sampled_from(["/", "/confessions/", "/confessions/new/", "/events/", "/healthz"]),
)
def test_odd_cookies_and_headers_never_fail(
    client, stories, cookies, agent, forwarded, language, path
):
    cache.clear()
    for name, value in cookies.items():
        client.cookies[name] = value
    headers = {
        "HTTP_USER_AGENT": agent,
        "HTTP_X_FORWARDED_FOR": forwarded,
        "HTTP_ACCEPT_LANGUAGE": language,
    }
    assert client.get(path, **headers).status_code == 200
    posted = client.post("/confessions/receipt/", {"code": "ABCD-EFGH-JKMN-PQRS-TUVW"}, **headers)
    assert posted.status_code in (200, 403)
    for name in cookies:
        del client.cookies[name]


def test_any_story_address_that_is_not_a_story_leaves_nothing_in_any_cache(client):
    pages = caches["pages"]
    pages.clear()
    assert client.get("/confessions/" + "a-long-made-up-address" * 500 + "/").status_code == 404
    assert ContentVersion.objects.count() == len(NAMESPACES)  # no version for a story not there
    assert pages._expire_info == {}
    assert shared_cache_expiries() == {}
