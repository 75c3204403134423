"""The privacy promises of DESIGN.md over the conversation around a story: messages, the text
the writer agreed to, responses and reports hold no user, address, agent or exact time."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client

from confessions.conversation import AgreedText, Message, Report, StoryResponse
from confessions.models import Confession
from confessions.services import confession_approve, confession_withdraw
from tests import test_logs_over_journeys
from tests.caches import pages_cache_text, shared_cache_expiries, shared_cache_text
from tests.confessions.stories import RECEIPT, change_form_data, change_url, make_confession
from tests.confessions.test_privacy import every_row_as_text

pytestmark = pytest.mark.django_db

logs = test_logs_over_journeys.logs  # the configured log handler's output, as a fixture

ADDRESS = "203.0.113.91"
AGENT = "ConversationProbe/2.1 (distinctive-agent-8c2d)"
NEW_TABLES = (
    "confessions_message",
    "confessions_agreedtext",
    "confessions_storyresponse",
    "confessions_report",
)


def browser(number: int = 1) -> Client:
    return Client(REMOTE_ADDR=f"203.0.113.{90 + number}", HTTP_USER_AGENT=AGENT)


def token_in(page) -> str:
    return re.search(r'name="token" value="([^"]+)"', page.content.decode()).group(1)


@pytest.fixture
def conversation(moderator_client, moderator, settings, django_user_model):
    """A whole conversation, from browsers with marker addresses and agents, one signed in."""
    settings.CONFESSION_MIN_SECONDS = 0
    confession, code = make_confession(what_happened="We asked Dr Evans to sign it off.")
    message_url = f"/admin/confessions/confession/{confession.pk}/message/"
    moderator_client.post(message_url, {"text": "Who signed it off?", "step": "send"})
    writer = browser()
    writer.post(
        RECEIPT, {"code": code, "action": "reply", "step": "send", "text": "A senior manager."}
    )
    moderator_client.post(
        change_url(confession),
        change_form_data(confession, what_happened="We asked a manager to sign it off."),
    )
    confession = confession_approve(confession=confession, moderator=moderator)
    writer.post(RECEIPT, {"code": code, "action": "publish"})
    confession.refresh_from_db()

    reader = browser(2)
    reader.force_login(django_user_model.objects.create_user("reader", "r@example.org", "pw-42x"))
    url = f"/confessions/{confession.slug}/respond/"
    token = token_in(reader.get(url))
    reader.post(url, {"text": "We had the same.", "step": "send", "token": token})
    response = StoryResponse.objects.get()
    response.status = "approved"
    response.published_month = confession.published_month
    response.save()
    reader.get(confession.get_absolute_url())
    reader.post(f"/confessions/{confession.slug}/responses/{response.pk}/helped/")
    for number in (3, 4):
        reporter = browser(number)
        reporter.get(f"/confessions/{confession.slug}/report/")
        reporter.post(f"/confessions/{confession.slug}/report/", {"reason": "spam", "note": "x"})
    return {"confession": confession, "code": code, "reader": reader}


def test_the_new_tables_hold_no_address_agent_account_or_time(conversation):
    assert Message.objects.count() == 2
    assert StoryResponse.objects.count() == 1
    assert Report.objects.count() == 2
    dump = every_row_as_text()
    assert "A senior manager." in dump and "We had the same." in dump  # the dump reaches them
    for marker in (AGENT, "distinctive-agent", "203.0.113.9"):
        assert marker not in dump
    user_id = conversation["reader"].session.get("_auth_user_id")
    for table in ("confessions_message", "confessions_storyresponse", "confessions_report"):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT CAST(t AS text) FROM {table} AS t")  # noqa: S608
            for (row,) in cursor.fetchall():
                assert "r@example.org" not in row and "reader" not in row
                assert not re.search(r"\d{2}:\d{2}:\d{2}", row), (table, row)
    assert user_id is not None


def test_each_new_table_keeps_days_not_times():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_name = ANY(%s)",
            [list(NEW_TABLES)],
        )
        columns = cursor.fetchall()
    assert {table for table, _, _ in columns} == set(NEW_TABLES)
    assert [c for c in columns if "time" in c[2]] == []
    names = {column for _, column, _ in columns}
    assert names.isdisjoint({"user_id", "ip", "address", "user_agent", "created_at"})


def test_withdrawing_removes_the_whole_conversation(conversation):
    confession = Confession.objects.get(pk=conversation["confession"].pk)
    confession_withdraw(confession=confession)
    assert not Message.objects.exists()
    assert not AgreedText.objects.exists()
    assert not StoryResponse.objects.exists()
    assert not Report.objects.exists()
    dump = every_row_as_text()
    for text in ("A senior manager.", "Dr Evans", "We had the same.", "Who signed it off?"):
        assert text not in dump


def test_reports_and_helped_keep_keyed_hashes_for_an_hour_at_most(settings):
    from tests.confessions.factories import make_story

    cache.clear()
    story = make_story()
    response = StoryResponse.objects.create(
        confession=story, text="It helped", status="approved", published_month=story.published_month
    )
    client = browser()
    client.get(story.get_absolute_url())
    client.post(f"/confessions/{story.slug}/responses/{response.pk}/helped/")
    client.get(f"/confessions/{story.slug}/report/")
    client.post(f"/confessions/{story.slug}/report/", {"reason": "spam"})
    claims = list(shared_cache_expiries().values())
    assert len(claims) == 4  # per claim: this browser's key and the client's count
    assert all(0 < left <= 3600 for left in claims)
    cached = shared_cache_text() + pages_cache_text()
    assert ADDRESS not in cached and "203.0.113.91" not in cached
    assert client.cookies["csrftoken"].value not in cached
    assert "203.0.113.91" not in every_row_as_text().replace(shared_cache_text(), "")


def test_the_conversation_logs_no_address_agent_or_text(
    logs,
    moderator_client,
    moderator,
    settings,  # noqa: F811 - the fixture imported above
):
    settings.CONFESSION_MIN_SECONDS = 0
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    headers = {
        "REMOTE_ADDR": "203.0.113.91",
        "HTTP_USER_AGENT": AGENT,
        "HTTP_X_FORWARDED_FOR": "198.51.100.77",
    }
    secrets = ["203.0.113.91", "198.51.100.77", AGENT, "Our unusual answer", "An unusual reply"]
    confession, code = make_confession(what_happened="We asked Dr Evans to sign it off.")
    client = Client(**headers)
    data = {"code": code, "action": "reply", "text": "Our unusual answer"}
    client.post(RECEIPT, {**data, "step": "check"})
    client.post(RECEIPT, {**data, "step": "send"})
    for _ in range(21):  # past the limit of messages
        client.post(RECEIPT, {**data, "step": "send"})
    confession = confession_approve(confession=confession, moderator=moderator)
    url = f"/confessions/{confession.slug}/respond/"
    client.post(url, {"text": "An unusual reply", "step": "check"})
    client.get(f"/confessions/{confession.slug}/report/")
    client.post(f"/confessions/{confession.slug}/report/", {"reason": "spam", "note": "x"})
    client.post(f"/confessions/{confession.slug}/responses/999/helped/")
    logged = logs.getvalue()
    assert "Too Many Requests: /confessions/receipt/" in logged  # the capture reaches them
    for secret in secrets + [code]:
        assert secret not in logged, secret
