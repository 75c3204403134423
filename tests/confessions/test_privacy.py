"""The privacy promises of DESIGN.md, each as a test.

1. A story is never linked to a person: no user id, address, user agent or exact time, in the
   database or in logs. 2. Signed in is the same as anonymous. 3. The receipt code is random,
   shown once, stored only as a hash; look-ups are rate-limited. 4. The rate limit keeps a keyed
   hash of the address in the cache, never in the database. 5. Nothing is published before a
   moderator approves it.
"""

import logging

import pytest
from django.contrib.sessions.models import Session
from django.db import connection

from confessions.models import Confession, Status
from confessions.receipts import normalise_code, receipt_hash
from confessions.views import STORIES_PER_CLIENT
from tests.caches import pages_cache_text, shared_cache_text
from tests.confessions.stories import (
    NEW,
    RECEIPT,
    form_token,
    post_step,
    receipt_code_in,
    story_data,
)

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.77"
AGENT = "PrivacyProbe/7.3 (distinctive-agent-5f1c9e)"
BROWSER = {"REMOTE_ADDR": ADDRESS, "HTTP_USER_AGENT": AGENT}
STORY_TEXT = "The queue-monitoring dashboard showed green while 4812 calls were dropped."


def every_row_as_text() -> str:
    """Every row of every table in the database, each cast whole to text."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        dump = []
        for table in tables:
            # Table names come from the database's own catalogue, quoted.
            name = connection.ops.quote_name(table)
            cursor.execute(f"SELECT CAST(t AS text) FROM {name} AS t")  # noqa: S608
            dump += [row[0] for row in cursor.fetchall()]
    sessions = [str(session.get_decoded()) for session in Session.objects.all()]
    return "\n".join(dump + sessions)


def share_and_check(client, **fields) -> str:
    """The writer's whole journey: form, preview, edit, submit, check the receipt."""
    client.get(NEW, **BROWSER)
    token = form_token(client)
    post_step(client, "preview", token=token, headers=BROWSER, **fields)
    post_step(client, "edit", token=token, headers=BROWSER, **fields)
    post_step(client, "preview", token=token, headers=BROWSER, **fields)
    response = post_step(client, "submit", token=token, headers=BROWSER, **fields)
    code = receipt_code_in(response)
    client.post(RECEIPT, {"code": "WRONG-CODE-0000"}, **BROWSER)
    client.post(RECEIPT, {"code": code}, **BROWSER)
    return code


@pytest.fixture
def journey(client, django_user_model, settings, mailoutbox, django_capture_on_commit_callbacks):
    """Stories shared anonymously and signed in, one withdrawn, spam refused, mail queued."""
    settings.MODERATOR_EMAILS = ["mods@example.org"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        codes = [share_and_check(client, what_happened=STORY_TEXT)]
        withdrawn = share_and_check(client, title="To be withdrawn")
        client.post(RECEIPT, {"code": withdrawn, "action": "withdraw", "confirm": "on"}, **BROWSER)
        post_step(client, "submit", headers=BROWSER, website="https://spam.example")
        user = django_user_model.objects.create_user(
            "signed-in-writer", "writer@example.org", "a-long-password-42"
        )
        client.force_login(user)
        codes.append(share_and_check(client, title="Shared while signed in"))
    return {"codes": [*codes, withdrawn], "user": user}


def test_no_address_or_user_agent_is_stored_anywhere_in_the_database(journey):
    assert Confession.objects.count() == 3
    dump = every_row_as_text()
    assert STORY_TEXT in dump  # the dump does reach the stories...
    # A story arriving queues nothing: a task's row would date it to the millisecond.
    assert "notify_moderators" not in dump
    assert ADDRESS not in dump
    assert AGENT not in dump
    assert "distinctive-agent" not in dump


def test_the_receipt_code_is_stored_only_as_a_hash(journey):
    dump = every_row_as_text()
    for code in journey["codes"]:
        normalised = normalise_code(code)
        for form in (code, normalised, code.lower(), normalised.lower()):
            assert form not in dump
        assert receipt_hash(code) in dump


def test_nothing_is_logged_about_the_writer_or_the_story(
    client, django_user_model, settings, caplog, django_capture_on_commit_callbacks
):
    settings.MODERATOR_EMAILS = ["mods@example.org"]
    quiet = [
        logger
        for logger in logging.root.manager.loggerDict.values()
        if isinstance(logger, logging.Logger) and not logger.propagate
    ]
    levels = {logger: logger.level for logger in quiet}
    for logger in quiet:  # loggers that do not pass records up to caplog's handler
        logger.addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.DEBUG), django_capture_on_commit_callbacks(execute=True):
            for logger in quiet:
                logger.setLevel(logging.DEBUG)
            code = share_and_check(client, what_happened=STORY_TEXT)
            for _ in range(11):
                client.post(RECEIPT, {"code": "ABCD-EFGH-JKMN-PQRS-TUVW"}, **BROWSER)
            for _ in range(6):
                post_step(client, "submit", headers=BROWSER)
            client.post(RECEIPT, {"code": "bad\x00code"}, **BROWSER)
    finally:
        for logger, level in levels.items():
            logger.removeHandler(caplog.handler)
            logger.setLevel(level)  # later tests count queries a DEBUG log would repeat
    logged = caplog.text + "\n".join(str(record.__dict__) for record in caplog.records)
    assert "Too Many Requests" in logged  # the capture does reach Django's request log
    for secret in (ADDRESS, AGENT, STORY_TEXT, code, normalise_code(code)):
        assert secret not in logged


def test_a_story_shared_while_signed_in_holds_no_link_to_the_account(client, django_user_model):
    user = django_user_model.objects.create_user(
        "signed-in-writer", "writer@example.org", "a-long-password-42"
    )
    share_and_check(client, title="Shared anonymously")
    client.force_login(user)
    session_before = dict(client.session)
    share_and_check(client, title="Shared while signed in")
    assert dict(client.session) == session_before

    anonymous = Confession.objects.get(title="Shared anonymously")
    signed_in = Confession.objects.get(title="Shared while signed in")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT CAST(t AS text) FROM confessions_confession AS t WHERE id = %s", [signed_in.pk]
        )
        row = cursor.fetchone()[0]
    for trace in (user.username, user.email, f",{user.pk},"):
        assert trace not in row
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "confessions_confession")
    assert not [c for c in constraints.values() if c["foreign_key"]]
    # Apart from the story's own words and keys, the two rows are alike.
    same = ("status", "sector", "submitted_on", "published_month", "me_too_count")
    assert [getattr(anonymous, f) for f in same] == [getattr(signed_in, f) for f in same]


def test_a_story_keeps_only_the_day_it_was_sent(client):
    share_and_check(client)
    with connection.cursor() as cursor:
        columns = connection.introspection.get_table_description(cursor, "confessions_confession")
        cursor.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = 'confessions_confession'"
        )
        types = dict(cursor.fetchall())
    assert len(types) == len(columns)
    assert not [name for name, kind in types.items() if "time" in kind]
    assert types["submitted_on"] == "date"


def test_the_rate_limit_keeps_a_keyed_hash_in_the_cache_and_nothing_in_the_database(client):

    share_and_check(client)
    assert STORIES_PER_CLIENT._window(STORIES_PER_CLIENT.key_for(ADDRESS))[0] == 1
    assert ADDRESS not in shared_cache_text() + pages_cache_text()
    assert ADDRESS not in every_row_as_text()


def test_nothing_is_published_before_a_moderator_approves_it(client):
    data = {**story_data(tags="Leeds council"), "step": "submit", "token": form_token(client)}
    client.post(NEW, data)
    confession = Confession.objects.get()
    assert confession.status == Status.PENDING
    assert client.get(f"/confessions/{confession.slug}/").status_code == 404
    for page in ("/", "/confessions/", "/confessions/feed/", "/confessions/?q=portal"):
        assert confession.title not in client.get(page).content.decode(), page
    # Not even the writer's topic, which could name someone.
    assert client.get("/tags/leeds-council/").status_code == 404
    assert "leeds council" not in client.get("/confessions/").content.decode().lower()
