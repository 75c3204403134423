"""Consent before publication: a rewording waits for the writer's agreement; redactions do not."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from confessions import consent
from confessions.conversation import AgreedText
from confessions.conversation_services import (
    ConsentNotAsked,
    publish_redactions_only,
    writer_agrees,
)
from confessions.models import Confession, Decision, ModerationDecision, Status
from tests.confessions.stories import (
    CHANGELIST,
    RECEIPT,
    change_form_data,
    change_url,
    make_confession,
)

pytestmark = pytest.mark.django_db

WRITTEN = "We asked Dr Evans at the council to sign the contract before the pilot ended."
REDACTED = "We asked [removed] at the council to sign the contract before the pilot ended."
REWORDED = "We asked a senior manager to sign the contract before the pilot ended."


def moderate(moderator_client, confession, **changes):
    return moderator_client.post(change_url(confession), change_form_data(confession, **changes))


def receipt_page(code, **data) -> str:
    return Client().post(RECEIPT, {"code": code, **data}).content.decode()


def test_only_redactions_need_no_consent():
    assert consent.only_redactions(WRITTEN, REDACTED)
    assert consent.only_redactions(WRITTEN, WRITTEN)
    assert not consent.only_redactions(WRITTEN, REWORDED)
    assert not consent.only_redactions(WRITTEN, WRITTEN.replace(" at the council", ""))
    mixed = "We asked [removed] at the council to sign the contract before the trial ended."
    assert not consent.only_redactions(WRITTEN, mixed)
    assert consent.redacted_only(WRITTEN, mixed) == REDACTED
    # A rewording that runs into a redaction keeps the writer's words there: never published
    # without their agreement.
    joined = "We told [removed] at the council to sign the contract before the pilot ended."
    assert consent.redacted_only(WRITTEN, joined) == WRITTEN


def test_a_redaction_is_published_at_once(moderator_client):
    confession, _ = make_confession(what_happened=WRITTEN)
    moderate(moderator_client, confession, what_happened=REDACTED, _approve="1")
    confession.refresh_from_db()
    assert confession.status == Status.APPROVED
    assert confession.what_happened == REDACTED
    assert not AgreedText.objects.exists()


def test_a_rewording_waits_for_the_writer_who_sees_what_changed(moderator_client):
    confession, code = make_confession(what_happened=WRITTEN)
    moderate(moderator_client, confession, what_happened=REWORDED, _approve="1")
    confession.refresh_from_db()
    assert confession.status == Status.PENDING
    assert Confession.objects.published().count() == 0
    assert AgreedText.objects.get().asked_on == timezone.localdate()
    assert confession.decisions.filter(decision=Decision.ASKED_CONSENT).exists()

    page = receipt_page(code)
    assert "Waiting for your agreement" in page
    assert "<h3>What happened</h3>" in page
    # Struck through and marked in words, so it reads without colour or styles.
    assert re.search(r"<del><span class=\"consent__mark\">\[removed: </span>Dr Evans at the", page)
    assert re.search(r"<ins><span class=\"consent__mark\">\[added: </span>a senior manager", page)
    assert "Publish this version" in page
    assert "Withdraw my story" in page
    assert "Reply to the moderator" in page
    assert "<h3>Title</h3>" not in page  # only the changed sections


def test_publishing_this_version_publishes_it_and_records_the_step_to_the_day(
    moderator_client,
):
    confession, code = make_confession(what_happened=WRITTEN)
    moderate(moderator_client, confession, what_happened=REWORDED, _approve="1")
    page = receipt_page(code, action="publish")
    assert "your story is published in the version you agreed to" in page
    confession.refresh_from_db()
    assert confession.status == Status.APPROVED
    assert confession.what_happened == REWORDED
    assert not AgreedText.objects.exists()
    step = ModerationDecision.objects.get(decision=Decision.WRITER_AGREED)
    assert step.moderator is None
    assert (step.decided_at.hour, step.decided_at.minute, step.decided_at.second) == (0, 0, 0)
    assert step.decided_at.microsecond == 0


def test_publishing_when_nothing_waits_changes_nothing():
    confession, code = make_confession()
    page = receipt_page(code, action="publish")
    assert "There is no new version of your story waiting for your agreement." in page
    confession.refresh_from_db()
    assert confession.status == Status.PENDING
    with pytest.raises(ConsentNotAsked):
        writer_agrees(confession=confession)


def test_the_queue_shows_stories_waiting_for_consent_and_since_when(moderator_client):
    confession, _ = make_confession(title="Waiting for the writer", what_happened=WRITTEN)
    make_confession(title="Not reworded")
    moderate(moderator_client, confession, what_happened=REWORDED, _approve="1")
    queue = moderator_client.get(CHANGELIST + "?attention=consent").content.decode()
    assert "Waiting for the writer" in queue and "Not reworded" not in queue
    assert f"agreement since {timezone.localdate():%d %b %Y}" in queue


def test_after_the_wait_a_moderator_may_publish_the_redactions_only(moderator_client, settings):
    settings.CONSENT_WAIT_DAYS = 14
    confession, _ = make_confession(what_happened=WRITTEN)
    both = "We asked [removed] at the council to sign the contract before the trial ended."
    moderate(moderator_client, confession, what_happened=both, _approve="1")
    assert "Save and publish the redactions only" not in (
        moderator_client.get(change_url(confession)).content.decode()
    )
    confession.refresh_from_db()
    with pytest.raises(ConsentNotAsked):
        publish_redactions_only(confession=confession, moderator=None)

    AgreedText.objects.update(asked_on=timezone.localdate() - datetime.timedelta(days=14))
    assert "Save and publish the redactions only" in (
        moderator_client.get(change_url(confession)).content.decode()
    )
    confession.refresh_from_db()
    moderate(moderator_client, confession, _publish_redactions="1")
    confession.refresh_from_db()
    assert confession.status == Status.APPROVED
    assert confession.what_happened == REDACTED
    assert confession.decisions.filter(decision=Decision.PUBLISHED_REDACTED).exists()


def test_a_rejection_after_the_wait_shows_the_writer_the_reason(moderator_client):
    confession, code = make_confession(what_happened=WRITTEN)
    moderate(moderator_client, confession, what_happened=REWORDED, _approve="1")
    moderator_client.post(
        "/admin/confessions/confession/reject/",
        {"ids": str(confession.pk), "reason": "We did not hear back about the changes."},
    )
    page = receipt_page(code)
    assert "We did not hear back about the changes." in page
    assert "Publish this version" not in page


def test_a_published_story_reworded_goes_back_to_the_writer(moderator_client, moderator):
    from confessions.services import confession_approve

    confession, code = make_confession(what_happened=WRITTEN)
    confession = confession_approve(confession=confession, moderator=moderator)
    moderate(moderator_client, confession, what_happened=REWORDED, _approve="1")
    confession.refresh_from_db()
    # Saved but not yet approved: approving it again asks the writer.
    confession = confession_approve(confession=confession, moderator=moderator)
    assert confession.status == Status.PENDING
    assert "Publish this version" in receipt_page(code)


def test_saving_a_rewording_of_a_published_story_takes_it_off_the_site(moderator_client, moderator):
    from confessions.services import confession_approve

    confession, code = make_confession(what_happened=WRITTEN)
    confession = confession_approve(confession=confession, moderator=moderator)
    public_page = confession.get_absolute_url()
    assert WRITTEN in Client().get(public_page).content.decode()

    response = moderate(moderator_client, confession, what_happened=REWORDED, _save="1")
    assert response.status_code == 302
    confession.refresh_from_db()
    assert confession.status == Status.PENDING
    assert Client().get(public_page).status_code == 404
    assert confession.decisions.filter(decision=Decision.ASKED_CONSENT).exists()
    warning = moderator_client.get(response["Location"]).content.decode()
    assert "off the site until its writer agrees" in warning
    page = receipt_page(code)
    assert "Publish this version" in page

    receipt_page(code, action="publish")
    confession.refresh_from_db()
    assert confession.status == Status.APPROVED
    assert REWORDED in Client().get(confession.get_absolute_url()).content.decode()


def test_saving_a_redaction_of_a_published_story_keeps_it_up(moderator_client, moderator):
    from confessions.services import confession_approve

    confession, _ = make_confession(what_happened=WRITTEN)
    confession = confession_approve(confession=confession, moderator=moderator)
    moderate(moderator_client, confession, what_happened=REDACTED, _save="1")
    confession.refresh_from_db()
    assert confession.status == Status.APPROVED
    page = Client().get(confession.get_absolute_url()).content.decode()
    assert REDACTED in page and "Dr Evans" not in page
