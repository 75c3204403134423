"""The receipt code exists only from the moment the story is stored, on that one page."""

import re

import pytest
from django.core import signing
from django.test import Client

from confessions.forms import _FORM_SALT
from confessions.models import Confession
from confessions.receipts import ALPHABET, receipt_hash
from tests.confessions.stories import NEW, post_step, receipt_code_in, story_data, tokens_in

pytestmark = pytest.mark.django_db

CODE = re.compile(rf"[{ALPHABET}]{{4}}(-[{ALPHABET}]{{4}}){{4}}")


def test_it_carries_no_receipt_code_in_the_form_or_the_preview(client):
    form = client.get(NEW)
    preview = post_step(client, "preview", token=tokens_in(form)[0])
    for page in (form, preview):
        token = tokens_in(page)[0]
        assert set(signing.loads(token, salt=_FORM_SALT)) == {"k", "t"}
        assert not CODE.search(page.content.decode())


def test_replaying_the_last_post_from_a_fresh_browser_gets_no_code(client):
    token = tokens_in(post_step(client, "preview"))[0]
    last_post = {**story_data(), "step": "submit", "token": token}
    code = receipt_code_in(client.post(NEW, last_post))
    assert Confession.objects.get().receipt_hash == receipt_hash(code)

    replay = Client().post(NEW, last_post)
    assert replay.status_code == 200
    body = replay.content.decode()
    assert "This story has already been sent" in body
    assert code not in body and not CODE.search(body)
    assert Confession.objects.count() == 1


def test_two_forms_sent_get_two_different_codes(client):
    first = receipt_code_in(post_step(client, "submit"))
    second = receipt_code_in(post_step(client, "submit", title="Another portal nobody used"))
    assert first != second
    assert Confession.objects.count() == 2
