"""Reports: "Report this" on every published story and response, counted once per browser and
client; REPORTS_TO_HIDE reports from different clients hide it at once and send it back to
the moderators, who restore or remove it. A report never stores who sent it."""

import datetime

import pytest
from django.test import Client

from confessions import me_too
from confessions.conversation import Report, ResponseStatus, StoryResponse
from confessions.models import Confession, Decision, Status
from confessions.services import confession_approve, confession_reject
from tests.confessions.factories import make_story
from tests.confessions.stories import CHANGELIST, change_url

pytestmark = pytest.mark.django_db

RESPONSES_ADMIN = "/admin/confessions/storyresponse/"


def client_at(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def report(client, story, response=None, reason="identifies", note=""):
    url = f"/confessions/{story.slug}/report/"
    if response is not None:
        url = f"/confessions/{story.slug}/responses/{response.pk}/report/"
    client.get(url)  # as a browser does: the form page gives it its CSRF cookie
    return client.post(url, {"reason": reason, "note": note})


def three_reports(story, response=None):
    for number, reason in enumerate(["identifies", "offensive", "identifies"], start=1):
        assert report(client_at(f"198.51.100.{number}"), story, response, reason).status_code == 200


def test_the_report_page_asks_for_a_reason_and_explains_a_missing_one(client):
    story = make_story()
    page = client.get(f"/confessions/{story.slug}/report/")
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    assert 'type="radio"' in page.content.decode()
    missing = client.post(f"/confessions/{story.slug}/report/", {"note": "Kept text"})
    assert "Choose why you are reporting it" in missing.content.decode()
    assert "Kept text" in missing.content.decode()
    long = report(client, story, note="x" * 501)
    assert "500 characters or fewer" in long.content.decode()
    assert not Report.objects.exists()
    assert (
        f'href="/confessions/{story.slug}/report/"'
        in client.get(story.get_absolute_url()).content.decode()
    )


def test_enough_reports_from_different_clients_hide_a_story_at_once(moderator_client):
    story = make_story(title="A story three people reported")
    reader = client_at("203.0.113.9")
    assert reader.get(story.get_absolute_url()).status_code == 200  # cached now
    report(client_at("198.51.100.1"), story)
    report(client_at("198.51.100.2"), story, reason="offensive")
    assert reader.get(story.get_absolute_url()).status_code == 200
    report(client_at("198.51.100.3"), story, note="It names the hospital.")
    assert reader.get(story.get_absolute_url()).status_code == 404
    assert "A story three people reported" not in reader.get("/confessions/").content.decode()
    story.refresh_from_db()
    assert story.status == Status.PENDING
    assert story.decisions.filter(decision=Decision.REPORTED, moderator=None).exists()

    queue = moderator_client.get(CHANGELIST + "?attention=reported").content.decode()
    assert "A story three people reported" in queue and "Reported (3)" in queue
    page = moderator_client.get(change_url(story)).content.decode()
    assert "It could identify a person or an organisation" in page
    assert "It is offensive or abusive" in page
    assert "It names the hospital." in page


def test_one_browser_counts_once_and_one_address_a_few_times(settings):
    settings.REPORTS_TO_HIDE = 10
    story = make_story()
    browser = client_at("198.51.100.1")
    for _ in range(3):
        report(browser, story)
    assert Report.objects.count() == 1
    for _ in range(me_too.CLIENT_PRESSES + 2):
        report(client_at("198.51.100.2"), story)  # new browsers, one address
    assert Report.objects.count() == 1 + me_too.CLIENT_PRESSES
    assert Confession.objects.get(pk=story.pk).status == Status.APPROVED


def test_the_threshold_is_a_setting(settings):
    settings.REPORTS_TO_HIDE = 1
    story = make_story()
    report(client_at("198.51.100.1"), story)
    assert Confession.objects.get(pk=story.pk).status == Status.PENDING


@pytest.mark.parametrize("decision", ["restore", "remove"])
def test_the_moderator_restores_or_removes_it_and_the_counts_start_again(moderator, decision):
    story = make_story()
    three_reports(story)
    story.refresh_from_db()
    if decision == "restore":
        story = confession_approve(confession=story, moderator=moderator)
        assert story.status == Status.APPROVED
        assert story.published_month is not None
    else:
        story = confession_reject(confession=story, moderator=moderator, reason="It names people")
        assert story.status == Status.REJECTED
    assert not Report.objects.exists()


def test_a_report_keeps_the_reason_the_note_and_the_day_only():
    story = make_story()
    report(client_at("198.51.100.1"), story, note="Names a ward")
    row = Report.objects.values().get()
    assert set(row) == {"id", "confession_id", "response_id", "reason", "note", "reported_on"}
    assert row["reported_on"] == datetime.date.today()


def test_reports_hide_a_response_and_the_moderator_restores_it(moderator_client):
    story = make_story()
    response = StoryResponse.objects.create(
        confession=story,
        text="A response some found hurtful",
        status=ResponseStatus.APPROVED,
        published_month=datetime.date(2026, 11, 1),
    )
    reader = client_at("203.0.113.9")
    assert "A response some found hurtful" in reader.get(story.get_absolute_url()).content.decode()
    three_reports(story, response)
    assert (
        "A response some found hurtful" not in reader.get(story.get_absolute_url()).content.decode()
    )
    response.refresh_from_db()
    assert response.status == ResponseStatus.REPORTED
    queue = moderator_client.get(RESPONSES_ADMIN).content.decode()
    assert "Hidden after reports" in queue
    moderator_client.post(
        RESPONSES_ADMIN,
        {"action": "approve_selected", "_selected_action": [response.pk], "index": 0},
    )
    response.refresh_from_db()
    assert response.status == ResponseStatus.APPROVED
    assert not Report.objects.exists()


def test_an_unpublished_story_or_response_cannot_be_reported(client):
    story = make_story(status=Status.PENDING)
    assert report(client, story).status_code == 404
    published = make_story()
    hidden = StoryResponse.objects.create(confession=published, text="pending")
    assert report(client, published, hidden).status_code == 404
