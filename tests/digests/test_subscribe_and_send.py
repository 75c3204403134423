"""Subscribing by email with double opt-in, digests sent once, one-click unsubscribe."""

import re
import threading

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection

from confessions.digests.models import DigestSent, Subscription
from confessions.models import Cause, Sector, Status
from confessions.services import confession_approve
from tests.confessions.factories import make_story


def _pending_story(**fields):
    return make_story(status=Status.PENDING, **fields)


def _subscribe(client, **fields):
    data = {"email": "reader@example.org", "frequency": "weekly", **fields}
    return client.post("/subscriptions/", data)


def _link(message, name):
    return re.search(rf"https?://[^\s]+/subscriptions/{name}/[^\s]+/", message.body).group(0)


def _path(url):
    return "/" + url.split("/", 3)[3]


def _send():
    call_command("send_digests", stdout=__import__("io").StringIO())


def _confirmed(client, **fields):
    _subscribe(client, **fields)
    confirm = _path(_link(mail.outbox[-1], "confirm"))
    client.post(confirm)
    mail.outbox.clear()
    return Subscription.objects.get()


def test_nothing_is_sent_until_the_link_is_followed(client, moderator):
    response = _subscribe(client)
    assert "Check your email" in response.content.decode()
    assert len(mail.outbox) == 1
    confirm = _path(_link(mail.outbox[0], "confirm"))

    confession_approve(confession=_pending_story(), moderator=moderator)
    _send()
    assert len(mail.outbox) == 1  # only the confirmation

    # Opening the link (as a mail scanner would) confirms nothing; pressing the button does.
    assert client.get(confirm).status_code == 200
    assert Subscription.objects.get().confirmed_on is None
    client.post(confirm)
    assert Subscription.objects.get().confirmed_on is not None


def test_a_confirmed_subscription_gets_one_digest_when_send_digests_runs_twice(client, moderator):
    _confirmed(client)
    story = _pending_story(title="The portal nobody logged into")
    confession_approve(confession=story, moderator=moderator)

    _send()
    _send()

    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert "The portal nobody logged into" in digest.body
    assert story.what_we_learned in digest.body
    assert DigestSent.objects.count() == 1


def test_the_digest_lists_only_stories_published_since_the_last_one(client, moderator):
    confession_approve(confession=_pending_story(title="Before subscribing"), moderator=moderator)
    subscription = _confirmed(client)
    confession_approve(confession=_pending_story(title="After subscribing"), moderator=moderator)
    _send()
    assert "After subscribing" in mail.outbox[0].body
    assert "Before subscribing" not in mail.outbox[0].body

    # Next period: only what was published since.
    DigestSent.objects.filter(subscription=subscription).update(period="2000-W01")
    confession_approve(confession=_pending_story(title="Later still"), moderator=moderator)
    _send()
    assert "Later still" in mail.outbox[1].body
    assert "After subscribing" not in mail.outbox[1].body


def test_an_empty_digest_is_not_sent(client, moderator):
    _confirmed(client, sector=Sector.HEALTH)
    confession_approve(confession=_pending_story(sector=Sector.HOUSING), moderator=moderator)
    _send()
    assert mail.outbox == []
    assert DigestSent.objects.count() == 0


def test_it_filters_by_sector_tag_and_cause(client, moderator):
    make_story(tags=("cloud",))  # so the tag exists
    _confirmed(client, sector=Sector.HEALTH, tag="cloud", cause=Cause.DATA)
    for title, fields in [
        ("Wanted", {"sector": Sector.HEALTH, "tags": ("cloud",), "causes": [Cause.DATA]}),
        ("Other sector", {"sector": Sector.HOUSING, "tags": ("cloud",), "causes": [Cause.DATA]}),
        ("Other tag", {"sector": Sector.HEALTH, "tags": ("budgets",), "causes": [Cause.DATA]}),
        ("Other cause", {"sector": Sector.HEALTH, "tags": ("cloud",), "causes": [Cause.SKILLS]}),
    ]:
        confession_approve(confession=_pending_story(title=title, **fields), moderator=moderator)
    _send()
    body = mail.outbox[0].body
    assert "Wanted" in body
    assert "Other sector" not in body and "Other tag" not in body and "Other cause" not in body


def test_every_digest_has_one_click_unsubscribe_and_a_manage_link(client, moderator):
    _confirmed(client)
    confession_approve(confession=_pending_story(), moderator=moderator)
    _send()
    digest = mail.outbox[0]

    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = digest.extra_headers["List-Unsubscribe"].strip("<>")
    manage = _path(_link(digest, "manage"))
    assert "reader@example.org" in client.get(manage).content.decode()

    # The mail client's one-click POST: no CSRF token, no cookie.
    from django.test import Client

    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(_path(unsubscribe), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Subscription.objects.count() == 0
    assert client.get(manage).status_code == 404


def test_forged_or_expired_links_get_a_clear_page(client):
    assert client.get("/subscriptions/manage/forged/").status_code == 404
    assert client.get("/subscriptions/confirm/forged/").status_code == 404
    assert client.post("/subscriptions/unsubscribe/forged/").status_code == 200


def test_bad_input_keeps_what_was_typed(client):
    response = client.post(
        "/subscriptions/", {"email": "not-an-address", "tag": "no-such-tag", "frequency": "daily"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert 'value="not-an-address"' in page
    assert Subscription.objects.count() == 0


def test_robots_filling_the_honeypot_subscribe_nobody(client):
    _subscribe(client, website="http://spam.example")
    assert Subscription.objects.count() == 0
    assert mail.outbox == []


def test_too_many_subscriptions_from_one_client_are_refused(client):
    for i in range(10):
        _subscribe(client, email=f"r{i}@example.org")
    assert _subscribe(client, email="more@example.org").status_code == 429
    assert Subscription.objects.count() == 10


def test_a_signed_in_person_subscribes_from_their_page_at_once(
    attendee_client, attendee, moderator
):
    response = attendee_client.post("/subscriptions/", {"frequency": "monthly", "cause": "data"})
    assert response.status_code == 302
    subscription = Subscription.objects.get()
    assert subscription.email == attendee.email and subscription.confirmed_on is not None
    assert mail.outbox == []
    page = attendee_client.get("/subscriptions/").content.decode()
    assert "Your digests" in page and "caused by data" in page

    attendee_client.post(f"/subscriptions/mine/{subscription.pk}/remove/")
    assert Subscription.objects.count() == 0


def test_nobody_removes_someone_elses_subscription(attendee_client):
    from django.test import Client

    _confirmed(Client())
    other = Subscription.objects.get()
    assert attendee_client.post(f"/subscriptions/mine/{other.pk}/remove/").status_code == 404
    assert attendee_client.get(f"/subscriptions/mine/{other.pk}/remove/").status_code == 405


def test_a_subscription_holds_nothing_about_any_story_or_writer():
    fields = {field.name for field in Subscription._meta.get_fields()}
    assert not fields & {"confession", "ip", "user_agent", "created_at", "story"}


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_one_digest():
    from django.test import Client

    from confessions.digests.services import publication_record

    client = Client()
    _confirmed(client)
    # Published as confession_approve leaves it (no moderator: the staff groups' rows are not
    # there after other tests that commit).
    publication_record(confession=make_story())
    errors = []

    def run():
        try:
            _send()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(mail.outbox) == 1
    assert DigestSent.objects.count() == 1


def test_the_account_pages_link_to_the_digests(attendee_client):
    page = attendee_client.get("/accounts/email/").content.decode()
    assert '<a href="/subscriptions/">Your digests</a>' in page


def test_a_subscription_made_in_welsh_gets_its_emails_in_welsh(client, moderator):
    client.post("/cy/subscriptions/", {"email": "darllenydd@example.org", "frequency": "weekly"})
    (confirmation,) = mail.outbox
    assert "Cadarnhau eich crynodeb" in confirmation.subject
    assert "/cy/subscriptions/confirm/" in confirmation.body
    client.post(_path(_link(confirmation, "confirm")))
    mail.outbox.clear()
    assert Subscription.objects.get().language == "cy"
    confession_approve(confession=_pending_story(title="The portal"), moderator=moderator)
    _send()  # by the scheduler, in no page's language
    (digest,) = mail.outbox
    assert "/cy/subscriptions/manage/" in digest.body
    assert "/cy/confessions/" in digest.body
    assert "The portal" in digest.body
    english = Subscription.objects.create(email="reader@example.org", frequency="weekly")
    assert english.language == "en"
