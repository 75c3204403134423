"""A real streaming replica: public reads arrive there, writes never, and its loss costs nothing.

A throwaway primary cluster, a replica made from it with pg_basebackup -R on another loopback
port, and the site under gunicorn with DATABASE_REPLICA_URL. Both servers log every statement
(log_statement=all), so the test reads in each server's own log which statements reached it:
a search word that appears nowhere else shows exactly where that search ran.
"""

import re
import secrets
import time

import pytest

from tests.resilience.fixtures import run_in_app
from tests.resilience.servers import AppServer, ThrowawayPostgres, Visitor, manage, production_env

STORY_TITLE = "Replica recycling contract"
SLUG_SCRIPT = (
    "from confessions.models import Confession;"
    f"print(Confession.objects.get(title={STORY_TITLE!r}).slug)"
)
WRITES = re.compile(r"statement: (INSERT|UPDATE|DELETE|CREATE|ALTER|DROP)\b", re.IGNORECASE)
RETRY_SECONDS = 2


@pytest.fixture(scope="module")
def primary():
    cluster = ThrowawayPostgres()
    cluster.extra_options = "-c log_statement=all"
    cluster.create()
    yield cluster
    cluster.destroy()


@pytest.fixture(scope="module")
def replica(primary):
    cluster = ThrowawayPostgres()
    cluster.extra_options = "-c log_statement=all -c hot_standby=on"
    cluster.create_replica_of(primary)
    yield cluster
    cluster.destroy()


def wait_for_replay(primary, replica, seconds: float = 30) -> None:
    """Until the replica has replayed everything the primary wrote so far."""
    (lsn,) = primary.query("SELECT pg_current_wal_lsn()::text")[0]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        caught_up = replica.query("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", (lsn,))[0][0]
        if caught_up:
            return
        time.sleep(0.1)
    raise AssertionError("the replica did not catch up")


@pytest.fixture(scope="module")
def env(primary, replica):
    environment = production_env(primary.url, CONFESSION_MIN_SECONDS="0")
    manage(environment, "migrate", "--noinput")
    manage(environment, "collectstatic", "--noinput")
    run_in_app(
        environment,
        "import datetime, secrets;"
        "from django.contrib.auth.models import User;"
        "from allauth.account.models import EmailAddress;"
        "from confessions.models import Confession, new_slug;"
        f"c = Confession.objects.create(slug=new_slug({STORY_TITLE!r}), title={STORY_TITLE!r},"
        " sector='health', what_happened='The recycling contract went wrong.',"
        " what_went_wrong='x', what_we_learned='Ask first.', what_we_would_do_differently='y',"
        " status='approved', receipt_hash=secrets.token_hex(32),"
        " published_month=datetime.date(2026, 11, 1));"
        "c.tags.add('budgets');"
        "u = User.objects.create_user('reader', 'reader@example.org', 'a-long-reader-password-9');"
        "EmailAddress.objects.create(user=u, email='reader@example.org', verified=True,"
        " primary=True)",
    )
    wait_for_replay(primary, replica)
    return {
        **environment,
        "DATABASE_REPLICA_URL": replica.url,
        "REPLICA_RETRY_SECONDS": str(RETRY_SECONDS),
    }


@pytest.fixture(scope="module")
def app(env):
    server = AppServer(env, workers=1)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def slug(env):
    return run_in_app(env, SLUG_SCRIPT).strip()


def unique_word() -> str:
    return "zq" + secrets.token_hex(5)


class LogSince:
    """What a server logged after this point."""

    def __init__(self, cluster):
        self.cluster = cluster
        self.start = len(cluster.log())

    def text(self) -> str:
        return self.cluster.log()[self.start :]


def public_pages(slug: str, word: str) -> list[str]:
    return [
        "/",
        "/confessions/",
        f"/confessions/?q={word}",
        f"/confessions/{slug}/",
        "/confessions/feed/",
        "/tags/budgets/",
    ]


def test_anonymous_public_reads_arrive_at_the_replica_and_not_the_primary(
    app, primary, replica, slug
):
    word = unique_word()
    on_replica, on_primary = LogSince(replica), LogSince(primary)
    visitor = Visitor(app.base_url, user_agent="ReplicaProbe/1.0")
    for path in public_pages(slug, word):
        answer = visitor.get(path)
        assert answer.status == 200, (path, answer.body[:300])
    assert STORY_TITLE in visitor.get(f"/confessions/{slug}/").body
    assert word in on_replica.text()  # the search statement ran on the replica
    assert word not in on_primary.text()
    assert 'FROM "confessions_confession"' in on_replica.text()
    assert 'FROM "confessions_confession"' not in on_primary.text()


def test_a_signed_in_reader_s_search_runs_on_the_primary(app, primary, replica):
    word = unique_word()
    visitor = Visitor(app.base_url, user_agent="ReplicaProbe/1.0")
    visitor.sign_in("reader@example.org", "a-long-reader-password-9")
    on_replica, on_primary = LogSince(replica), LogSince(primary)
    assert visitor.get(f"/confessions/?q={word}").status == 200
    assert word in on_primary.text()
    assert word not in on_replica.text()


def test_a_story_sent_and_its_receipt_use_the_primary(app, primary, replica):
    word = unique_word()
    on_replica, on_primary = LogSince(replica), LogSince(primary)
    writer = Visitor(app.base_url, user_agent="ReplicaProbe/1.0")
    form = writer.form("/confessions/new/")
    answer = writer.post(
        "/confessions/new/",
        {
            **form.fields,
            "title": f"Sent story {word}",
            "sector": "digital",
            "organisation_size": "",
            "what_happened": "The deploy went out on a Friday.",
            "what_went_wrong": "Nobody had tried it.",
            "what_we_learned": "Try it.",
            "what_we_would_do_differently": "Try it sooner.",
            "impact": "",
            "tags": "deploys",
            "consent": "on",
            "website": "",
            "step": "submit",
        },
    )
    assert answer.status == 200, answer.body[:300]
    code = re.search(r'id="receipt-code">([^<]+)<', answer.body).group(1)
    receipt = writer.form("/confessions/receipt/")
    status = writer.post("/confessions/receipt/", {**receipt.fields, "code": code})
    assert status.status == 200
    assert "withdraw" in status.body.lower(), status.body[:500]  # found: the story's status
    assert primary.query(
        "SELECT count(*) FROM confessions_confession WHERE title = %s", (f"Sent story {word}",)
    ) == [(1,)]
    assert word in on_primary.text()
    assert word not in on_replica.text()


def test_a_me_too_press_writes_to_the_primary(app, primary, slug):
    visitor = Visitor(app.base_url, user_agent="ReplicaProbe/1.0")
    page = visitor.form(f"/confessions/{slug}/")
    answer = visitor.post(f"/confessions/{slug}/me-too/", page.fields)
    assert answer.status == 302
    assert primary.query(
        "SELECT me_too_count FROM confessions_confession WHERE slug = %s", (slug,)
    ) == [(1,)]


def test_the_replica_never_received_a_write_nor_refused_one(app, replica):
    log = replica.log()
    assert not WRITES.search(log), WRITES.search(log)
    assert "read-only transaction" not in log


def test_the_site_keeps_serving_from_the_primary_when_the_replica_is_down(
    app, primary, replica, slug
):
    replica.stop("fast")
    try:
        word = unique_word()
        on_primary = LogSince(primary)
        visitor = Visitor(app.base_url, user_agent="ReplicaProbe/1.0")
        for path in public_pages(slug, word) * 2:
            answer = visitor.get(path)
            assert answer.status == 200, (path, answer.status, answer.body[:300])
        assert STORY_TITLE in visitor.get("/confessions/").body
        assert word in on_primary.text()
        assert "Read replica did not answer" in app.logs()
    finally:
        replica.start()
    # Back, and once the pause is over, reads return to it.
    time.sleep(RETRY_SECONDS + 0.5)
    word = unique_word()
    on_replica = LogSince(replica)
    assert (
        Visitor(app.base_url, user_agent="ReplicaProbe/1.0").get(f"/confessions/?q={word}").status
        == 200
    )
    assert word in on_replica.text()
