"""Hostile input at the conversation's forms (a writer's message and consent, a response, a
report, "this helped"): never a 500, nothing echoed as markup."""

import pytest
from django.core.cache import cache
from hypothesis import given
from hypothesis import strategies as st

from confessions.conversation import Message
from tests.confessions.factories import make_story
from tests.confessions.stories import RECEIPT, make_confession
from tests.fuzz.strategies import CACHE_KEYS_STAY_VALID, any_text, assert_escaped, fuzz_settings

pytestmark = [pytest.mark.django_db, CACHE_KEYS_STAY_VALID]

FUZZ = fuzz_settings(40)
ACTIONS = st.sampled_from(["reply", "publish", "withdraw"]) | any_text
STEPS = st.sampled_from(["check", "send", "edit"]) | any_text


@FUZZ
@given(action=ACTIONS, step=STEPS, text=any_text)
def test_no_receipt_action_fails(client, action, step, text):
    cache.clear()
    story, code = make_confession()
    data = {"code": code, "action": action, "step": step, "text": text}
    response = client.post(RECEIPT, data)
    assert response.status_code in (200, 429)
    body = response.content.decode()
    assert_escaped(body, text)
    # By the story, not the text: a text PostgreSQL cannot hold (a NUL) can be no filter.
    sent = Message.objects.filter(confession=story).exists()
    assert not sent or (action == "reply" and step == "send")


@FUZZ
@given(step=STEPS, text=any_text, token=any_text, website=any_text)
def test_no_response_form_input_fails(client, settings, step, text, token, website):
    settings.CONFESSION_MIN_SECONDS = 0
    story = make_story()
    data = {"step": step, "text": text, "token": token, "website": website}
    response = client.post(f"/confessions/{story.slug}/respond/", data)
    assert response.status_code in (200, 400, 429)
    assert_escaped(response.content.decode(), text)


@FUZZ
@given(reason=any_text | st.just("spam"), note=any_text, response_id=st.integers(0, 2**40))
def test_no_report_or_helped_input_fails(client, reason, note, response_id):
    cache.clear()
    story = make_story()
    response = client.post(f"/confessions/{story.slug}/report/", {"reason": reason, "note": note})
    assert response.status_code == 200
    assert_escaped(response.content.decode(), note)
    base = f"/confessions/{story.slug}/responses/{response_id}"
    assert client.post(f"{base}/report/", {"reason": reason}).status_code == 404
    assert client.post(f"{base}/helped/").status_code == 404
