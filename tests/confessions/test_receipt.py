import re

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from confessions.forms import WRONG_RECEIPT
from confessions.models import Confession, Decision, ModerationDecision, Status
from confessions.services import (
    WITHDRAWN_TEXT,
    confession_approve,
    confession_reject,
)
from tests.confessions.stories import RECEIPT, make_confession

pytestmark = pytest.mark.django_db

OTHER_ADDRESS = {"REMOTE_ADDR": "198.51.100.7"}


def check(client, code, **extra):
    return client.post(RECEIPT, {"code": code}, **extra)


def withdraw(client, code, confirm=True):
    data = {"code": code, "action": "withdraw"}
    if confirm:
        data["confirm"] = "on"
    return client.post(RECEIPT, data)


def status_of(response) -> str:
    return re.search(r'id="story-status">([^<]+)<', response.content.decode()).group(1)


def test_it_asks_for_the_code_without_caching(client):
    response = client.get(RECEIPT)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert 'name="code"' in response.content.decode()
    assert len(re.findall(r"<h1[\s>]", response.content.decode())) == 1


@pytest.mark.parametrize("method", ["put", "delete"])
def test_it_answers_other_methods_with_405(client, method):
    assert getattr(client, method)(RECEIPT).status_code == 405


def test_the_code_shows_a_pending_story(client):
    confession, code = make_confession(title="Our queue of doom")
    response = check(client, code)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert status_of(response) == "Waiting for a moderator"
    assert "Our queue of doom" in response.content.decode()


@pytest.mark.parametrize(
    "typed",
    [
        lambda code: code.lower(),
        lambda code: code.replace("-", " "),
        lambda code: code.replace("-", ""),
        lambda code: f"  {code.replace('-', ' - ')}  ",
        lambda code: code.replace("-", "–"),
    ],
)
def test_case_spaces_and_dashes_do_not_matter(client, typed):
    confession, code = make_confession()
    assert status_of(check(client, typed(code))) == "Waiting for a moderator"


def test_the_code_shows_the_moderators_reason_for_a_rejection(client, moderator):
    confession, code = make_confession()
    confession_reject(
        confession=confession, moderator=moderator, reason="It names the council twice."
    )
    response = check(client, code)
    assert status_of(response) == "Not published"
    assert "It names the council twice." in response.content.decode()


def test_the_code_links_to_an_approved_story(client, moderator):
    confession, code = make_confession()
    confession = confession_approve(confession=confession, moderator=moderator)
    response = check(client, code)
    assert status_of(response) == "Published"
    assert f'href="/confessions/{confession.slug}/"' in response.content.decode()


@pytest.mark.parametrize(
    "code",
    ["ABCD-EFGH-JKMN-PQRS-TUVW", "not a code", "0000-1111", "x" * 500, "ab\x00cd", "' OR 1=1 --"],
)
def test_every_wrong_code_gets_the_same_generic_message(client, code):
    make_confession()
    response = check(client, code)
    assert response.status_code == 200
    body = response.content.decode()
    assert WRONG_RECEIPT in body
    assert 'id="story-status"' not in body


def test_an_empty_code_is_asked_for_and_not_counted(client):
    for _ in range(15):
        response = check(client, "  ")
    assert response.status_code == 200
    assert "Enter your receipt code" in response.content.decode()


def test_repeated_wrong_codes_get_429_even_for_a_right_code(client):
    confession, code = make_confession()
    for _ in range(10):
        assert check(client, "ABCD-EFGH-JKMN-PQRS-TUVW").status_code == 200
    response = check(client, code)
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert "Waiting for a moderator" not in response.content.decode()
    # Someone else, elsewhere, can still check their story.
    assert check(client, code, **OTHER_ADDRESS).status_code == 200


def test_right_codes_are_not_counted_against_the_client(client):
    confession, code = make_confession()
    for _ in range(20):
        assert check(client, code).status_code == 200


def test_withdrawing_needs_a_confirmation(client):
    confession, code = make_confession()
    response = withdraw(client, code, confirm=False)
    assert response.status_code == 200
    assert "Tick the box to confirm you want to withdraw your story" in response.content.decode()
    confession.refresh_from_db()
    assert confession.status == Status.PENDING


def test_withdrawing_removes_the_text_for_good(client, moderator):
    confession, code = make_confession(
        title="How Leeds City Council lost the plot",
        what_happened="Sarah Jones told us.",
        organisation_size="large",
        tags=["leeds", "portals"],
    )
    confession_reject(confession=confession, moderator=moderator, reason="Names Sarah Jones.")
    old_slug = confession.slug

    response = withdraw(client, code)
    assert response.status_code == 200
    assert "Your story has been withdrawn and its text removed." in response.content.decode()
    assert status_of(response) == "Withdrawn"
    assert "Leeds" not in response.content.decode()

    confession.refresh_from_db()
    assert confession.status == Status.WITHDRAWN
    assert "Leeds" not in confession.title and "leeds" not in confession.slug
    assert confession.slug != old_slug
    assert confession.what_happened == WITHDRAWN_TEXT
    assert confession.organisation_size == ""
    assert confession.rejection_reason == ""
    assert list(confession.tags.all()) == []
    decision = ModerationDecision.objects.get(confession=confession)
    assert decision.decision == Decision.REJECTED and decision.reason == ""
    # The receipt still answers, and says so.
    assert status_of(check(client, code)) == "Withdrawn"
    assert 'name="action" value="withdraw"' not in check(client, code).content.decode()


def test_a_withdrawn_published_story_leaves_the_site(client, moderator):
    confession, code = make_confession()
    confession = confession_approve(confession=confession, moderator=moderator)
    assert client.get(f"/confessions/{confession.slug}/").status_code == 200
    withdraw(client, code)
    assert client.get(f"/confessions/{confession.slug}/").status_code == 404
    assert Confession.objects.published().count() == 0


def test_withdrawing_twice_is_harmless(client):
    confession, code = make_confession()
    withdraw(client, code)
    response = withdraw(client, code)
    assert response.status_code == 200
    assert status_of(response) == "Withdrawn"


@given(code=st.text(st.characters(exclude_categories=["Cs"]), max_size=200))
@hypothesis_settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_no_typed_code_gets_a_500(client, code):
    cache.clear()
    response = client.post(RECEIPT, {"code": code, "action": "withdraw"})
    assert response.status_code == 200
    assert 'id="story-status"' not in response.content.decode()
