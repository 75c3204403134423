"""National, regional and online: filters, "events near you" and online chats' questions."""

import pytest
from django.urls import reverse

from events.models import RegionChoice
from tests.events.conftest import make_event

pytestmark = pytest.mark.django_db

LIST = "/events/"


@pytest.fixture
def season():
    return {
        "cardiff": make_event(title="Cardiff workshop", region="wales"),
        "leeds": make_event(title="Leeds conference", region="yorkshire", kind="conference"),
        "chat": make_event(
            title="Monthly chat",
            region="online",
            kind="online-chat",
            venue="",
            online_url="https://chat.example.org/",
            hashtag="LearnFromFailure",
            discussion_questions="What failed?\n\nWhat did you learn?\n",
        ),
    }


def titles(response) -> list[str]:
    page = response.content.decode()
    return [t for t in ("Cardiff workshop", "Leeds conference", "Monthly chat") if t in page]


def test_the_list_filters_by_region_and_by_kind(client, season):
    assert titles(client.get(LIST, {"region": "wales"})) == ["Cardiff workshop"]
    assert titles(client.get(LIST, {"kind": "online-chat"})) == ["Monthly chat"]
    assert titles(client.get(LIST, {"region": "wales", "kind": "conference"})) == []
    assert (
        "No upcoming events match these filters"
        in client.get(LIST, {"region": "wales", "kind": "conference"}).content.decode()
    )
    assert len(titles(client.get(LIST))) == 3


def test_unknown_filter_values_filter_nothing_and_never_fail(client, season):
    response = client.get(LIST, {"region": "atlantis", "kind": "<script>", "page": "x"})
    assert response.status_code == 200
    assert len(titles(response)) == 3


def test_the_filtered_list_runs_a_fixed_number_of_queries(
    client, season, django_assert_max_num_queries
):
    for _ in range(10):
        make_event(region="wales")
    with django_assert_max_num_queries(6):
        client.get(LIST, {"region": "wales"})


def test_a_visitors_region_is_kept_in_a_cookie_and_their_events_come_first(client, season):
    answer = client.post(reverse("events:region"), {"region": "yorkshire"})
    assert answer.status_code == 302
    assert answer.cookies["events_region"].value == "yorkshire"
    assert answer.cookies["events_region"]["httponly"]
    page = client.get(LIST).content.decode()
    assert "Events near you: Yorkshire and the Humber" in page
    assert page.index("Leeds conference") < page.index("Cardiff workshop")

    cleared = client.post(reverse("events:region"), {"region": ""})
    assert cleared.cookies["events_region"].value == ""
    assert "Events near you" not in client.get(LIST).content.decode()


def test_cached_copies_are_kept_apart_by_the_visitors_region(client, season):
    from django.test import Client

    assert "Events near you" not in client.get(LIST).content.decode()
    other = Client()
    other.cookies["events_region"] = "wales"
    assert "Events near you: Wales" in other.get(LIST).content.decode()
    assert "Events near you" not in client.get(LIST).content.decode()


def test_a_signed_in_persons_region_is_kept_on_their_account(attendee_client, attendee, season):
    attendee_client.post(reverse("events:region"), {"region": "wales"})
    assert RegionChoice.objects.get(user=attendee).region == "wales"
    page = attendee_client.get(LIST).content.decode()
    assert "Events near you: Wales" in page
    form = attendee_client.get(reverse("events:region")).content.decode()
    assert 'value="wales" selected' in form


def test_a_region_that_is_not_one_is_refused_on_the_form(client):
    answer = client.post(reverse("events:region"), {"region": "atlantis"})
    assert answer.status_code == 200
    assert "events_region" not in answer.cookies


def test_an_online_chat_shows_its_questions_and_hashtag(client, season):
    page = client.get(season["chat"].get_absolute_url()).content.decode()
    assert "#LearnFromFailure" in page
    assert "<li>What failed?</li><li>What did you learn?</li>" in page


def test_the_region_shows_on_the_event_page(client, season):
    assert "Wales" in client.get(season["cardiff"].get_absolute_url()).content.decode()
