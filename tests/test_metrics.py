"""/metrics: Prometheus's text format, off without a token, refused without the right one, and
blind to stories: no metric names them, and sending one changes nothing it shows."""

import re

import pytest
from django.urls import reverse

from tests.confessions.stories import make_confession, post_step, receipt_code_in, tokens_in
from tests.events.conftest import make_event

TOKEN = "a-long-random-metrics-token"
# Words whose requests, counted over time, would date a story (README, "Privacy").
STORY_WORDS = re.compile(r"confession|story|stories|response|message|report|receipt|me.too", re.I)


@pytest.fixture
def metrics_on(settings):
    settings.METRICS_TOKEN = TOKEN


def scrape(client) -> str:
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    return response.content.decode()


def samples(text: str) -> dict[str, str]:
    """Each sample line's name and labels, with its value; help and type lines left out."""
    lines = (line for line in text.splitlines() if line and not line.startswith("#"))
    return dict(line.rsplit(" ", 1) for line in lines)


@pytest.mark.django_db
def test_it_is_off_without_a_token_in_the_environment(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 404


@pytest.mark.parametrize("header", [None, "Bearer wrong-token", TOKEN, f"Basic {TOKEN}"])
def test_it_refuses_requests_without_the_token(client, metrics_on, db, header):
    headers = {"Authorization": header} if header else {}
    response = client.get("/metrics", headers=headers)
    assert response.status_code == 401
    assert "failshare_" not in response.content.decode()


def test_it_counts_requests_and_their_time_by_view(client, metrics_on, db):
    before = samples(scrape(client))
    client.get(reverse("events:list"))
    after = samples(scrape(client))
    key = 'failshare_requests_total{method="GET",status="2xx",view="events:list"}'
    assert float(after[key]) == float(before.get(key, 0)) + 1
    assert 'failshare_request_seconds_count{view="events:list"}' in after
    assert "failshare_tasks_waiting" in after
    assert "failshare_emails_failed" in after
    assert after['failshare_dependency_up{dependency="database"}'] == "1.0"


def test_no_metric_name_or_label_mentions_stories(client, metrics_on, moderator_client):
    confession, code = make_confession()
    event = make_event()
    moderator_client.get("/admin/confessions/confession/")
    moderator_client.get(f"/admin/confessions/confession/{confession.pk}/change/")
    for path in (
        "/",
        reverse("confessions:list"),
        reverse("confessions:new"),
        reverse("confessions:receipt"),
        reverse("confessions:feed"),
        "/confessions/no-such-story/",
        event.get_absolute_url(),
        "/events/",
    ):
        client.get(path)
    client.post(reverse("confessions:receipt"), {"code": code})
    text = scrape(client)
    assert "failshare_requests_total" in text
    names_and_labels = list(samples(text))
    assert not [key for key in names_and_labels if STORY_WORDS.search(key)]


def test_sending_a_story_changes_no_metric(client, writer, metrics_on, db, settings):
    settings.CONFESSION_MIN_SECONDS = 0  # the form is sent at once
    client.get(reverse("events:list"))  # so there are request metrics to compare
    before = samples(scrape(client))
    token = tokens_in(post_step(writer, "preview"))[0]
    response = post_step(writer, "submit", token=token)
    code = receipt_code_in(response)
    writer.post(reverse("confessions:receipt"), {"code": code})
    assert samples(scrape(client)) == before


@pytest.fixture
def pages_on_a_dead_redis(settings):
    """The pages cache pointed at a port where no Redis answers, asked every time."""
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "failshare.rediscache.ReusingRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"ON_FAILURE": "miss", "ALIAS": "pages", "BACKOFF_SECONDS": 0},
        },
    }


CACHE_ERRORS_KEY = 'failshare_cache_errors_total{cache="pages"}'


def test_it_counts_cache_errors_by_alias(client, metrics_on, db, pages_on_a_dead_redis):
    before = float(samples(scrape(client)).get(CACHE_ERRORS_KEY, 0))
    assert client.get(reverse("events:list")).status_code == 200  # built from the database
    assert float(samples(scrape(client))[CACHE_ERRORS_KEY]) > before


def test_cache_errors_of_story_pages_are_not_counted(client, metrics_on, db, pages_on_a_dead_redis):
    client.get(reverse("events:list"))  # so the counter exists
    before = samples(scrape(client))
    make_confession()
    assert client.get(reverse("confessions:list")).status_code == 200
    after = samples(scrape(client))
    assert after[CACHE_ERRORS_KEY] == before[CACHE_ERRORS_KEY]


def test_it_counts_database_errors_by_view(client, metrics_on, db, monkeypatch):
    from django.db import OperationalError

    from events import views

    def broken(*args, **kwargs):
        raise OperationalError("the server closed the connection")

    monkeypatch.setattr(views, "_event_list", broken)
    client.raise_request_exception = False
    key = 'failshare_database_errors_total{view="events:list"}'
    before = float(samples(scrape(client)).get(key, 0))
    assert client.get(reverse("events:list")).status_code == 503
    assert float(samples(scrape(client))[key]) == before + 1


def test_views_named_after_messages_or_reports_are_not_measured(organiser_client, metrics_on):
    event = make_event()
    organiser_client.get(reverse("admin:events_event_message", args=[event.pk]))
    organiser_client.get(reverse("admin:events_organisermessage_changelist"))
    organiser_client.get("/events/")
    names_and_labels = list(samples(scrape(organiser_client)))
    assert [key for key in names_and_labels if "events:list" in key]
    assert not [key for key in names_and_labels if STORY_WORDS.search(key)]
