"""Every decision taken through the admin or a receipt shows at once on cached public pages."""

import pytest
from django.test import Client

from confessions.services import confession_approve
from tests.confessions.stories import (
    CHANGELIST,
    RECEIPT,
    action,
    change_form_data,
    change_url,
    make_confession,
)

LIST = "/confessions/"


@pytest.fixture
def reader():
    return Client()


@pytest.fixture
def published(moderator):
    confession, code = make_confession(title="A cached recycling story", tags=["budgets"])
    return confession_approve(confession=confession, moderator=moderator), code


@pytest.fixture(autouse=True)
def _run_commit_hooks(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        yield


def test_approving_shows_the_story_on_the_cached_list(reader, moderator_client):
    confession, _ = make_confession(title="Waiting recycling story")
    assert "Waiting recycling story" not in reader.get(LIST).content.decode()
    action(moderator_client, "approve_selected", confession)
    assert "Waiting recycling story" in reader.get(LIST).content.decode()


@pytest.mark.parametrize("name", ["return_to_pending_selected", "reject_selected"])
def test_unpublishing_takes_the_story_off_cached_pages(reader, moderator_client, published, name):
    confession, _ = published
    assert reader.get(confession.get_absolute_url()).status_code == 200
    assert "A cached recycling story" in reader.get(LIST).content.decode()
    response = action(moderator_client, name, confession)
    if name == "reject_selected":
        moderator_client.post(response["Location"], {"ids": confession.pk, "reason": "Too close."})
    assert reader.get(confession.get_absolute_url()).status_code == 404
    assert "A cached recycling story" not in reader.get(LIST).content.decode()


def test_a_redaction_shows_at_once(reader, moderator_client, published):
    confession, _ = published
    assert "A cached recycling story" in reader.get(confession.get_absolute_url()).content.decode()
    moderator_client.post(
        change_url(confession), change_form_data(confession, title="A [removed] recycling story")
    )
    page = reader.get(confession.get_absolute_url()).content.decode()
    assert "A [removed] recycling story" in page
    assert "A cached recycling story" not in page
    assert "A [removed] recycling story" in reader.get(LIST).content.decode()
    assert reader.get(CHANGELIST).status_code == 302  # the reader is no moderator


def test_withdrawing_takes_the_story_off_cached_pages(reader, client, published):
    confession, code = published
    assert reader.get(confession.get_absolute_url()).status_code == 200
    assert "A cached recycling story" in reader.get("/tags/budgets/").content.decode()
    client.post(RECEIPT, {"code": code, "action": "withdraw", "confirm": "on"})
    assert reader.get(confession.get_absolute_url()).status_code == 404
    assert "A cached recycling story" not in reader.get("/tags/budgets/").content.decode()
    assert "A cached recycling story" not in reader.get(LIST).content.decode()
