"""Responses under a story: written by anyone (signed in or not, the same), checked for
identifying details, guarded against spam, moderated like stories, shown under the story."""

import datetime
import re

import pytest
from django.contrib.auth.models import User
from django.core.cache import caches
from django.test import Client

from confessions.conversation import ResponseStatus, StoryResponse
from confessions.conversation_services import response_approve
from confessions.conversation_views import RESPONSES_PER_CLIENT
from confessions.models import Status
from tests.confessions.factories import make_stories, make_story

pytestmark = pytest.mark.django_db

WORKED = "We had the same. What worked was a weekly show-and-tell with the people on the phones."
RESPONSES_ADMIN = "/admin/confessions/storyresponse/"


def respond_url(story) -> str:
    return f"/confessions/{story.slug}/respond/"


def token_in(response) -> str:
    return re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)


def write(client, story, text=WORKED, step="check", **extra):
    token = extra.pop("token", None) or token_in(client.get(respond_url(story)))
    data = {"text": text, "step": step, "token": token, "website": "", **extra}
    return client.post(respond_url(story), data)


def published(story, text=WORKED, month=datetime.date(2026, 11, 1), **fields):
    return StoryResponse.objects.create(
        confession=story, text=text, status=ResponseStatus.APPROVED, published_month=month, **fields
    )


@pytest.fixture(autouse=True)
def _no_wait(settings):
    settings.CONFESSION_MIN_SECONDS = 0


def test_the_form_page_is_never_cached_and_only_for_published_stories(client):
    story = make_story()
    response = client.get(respond_url(story))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "Your response" in response.content.decode()
    pending = make_story(status=Status.PENDING)
    assert client.get(respond_url(pending)).status_code == 404


def test_a_response_is_checked_then_sent_and_waits_for_a_moderator(client):
    story = make_story()
    token = token_in(client.get(respond_url(story)))
    check = write(client, story, text="Ask Councillor Khan, she saw it too.", token=token)
    page = check.content.decode()
    assert "Check your response before you send it" in page
    assert "Councillor Khan" in page and "name of a person" in page
    assert not StoryResponse.objects.exists()

    typed = "Ask Councillor Khan, she saw it too."
    edit = write(client, story, text=typed, step="edit", token=token)
    assert typed in edit.content.decode()

    sent = write(client, story, step="send", token=token)
    assert "your response has been sent" in sent.content.decode()
    response = StoryResponse.objects.get()
    assert (response.status, response.text) == (ResponseStatus.PENDING, WORKED)
    assert response.submitted_on == datetime.date.today()
    assert WORKED not in Client().get(story.get_absolute_url()).content.decode()

    again = write(client, story, step="send", token=token)  # the same form sent twice
    assert again.status_code == 200
    assert StoryResponse.objects.count() == 1


def test_signed_in_readers_are_treated_the_same(client):
    story = make_story()
    client.force_login(User.objects.create_user("reader", "reader@example.org", "pw-long-42"))
    assert "Check your response before you send it" in write(client, story).content.decode()
    write(client, story, step="send")
    response = StoryResponse.objects.get()
    assert response.status == ResponseStatus.PENDING
    # The table has no column that could hold who wrote it.
    columns = {field.name for field in StoryResponse._meta.concrete_fields}
    assert columns.isdisjoint({"user", "author", "ip", "user_agent", "created_at"})


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        ({"website": "https://spam.example"}, "Leave this field empty"),
        ({"token": "forged"}, "Your response has not been sent yet: this page was open"),
    ],
)
def test_spam_guards_refuse_the_post_and_keep_the_text(client, extra, problem):
    story = make_story()
    response = write(client, story, step="send", **extra)
    assert response.status_code == 400
    assert problem in response.content.decode()
    assert WORKED in response.content.decode()
    assert not StoryResponse.objects.exists()


def test_too_quick_a_response_is_refused(client, settings):
    settings.CONFESSION_MIN_SECONDS = 60
    story = make_story()
    response = write(client, story, step="send")
    assert response.status_code == 400
    body = response.content.decode()
    assert "Your response has not been sent yet. Check your response" in body
    assert "quicker" not in body
    assert not StoryResponse.objects.exists()
    # The page it sent back lets the next press through.
    token = re.search(r'name="token" value="([^"]+)"', body).group(1)
    again = write(client, story, step="send", token=token)
    assert again.status_code == 200
    assert StoryResponse.objects.count() == 1


@pytest.mark.parametrize(
    ("text", "error"),
    [("", "Enter your response"), ("x" * 3001, "3,000 characters or fewer (it has 3001)")],
)
def test_bad_input_gets_a_clear_message(client, text, error):
    story = make_story()
    response = write(client, story, text=text, step="send")
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not StoryResponse.objects.exists()


def test_responses_are_rate_limited_per_client_and_nothing_is_lost(client):
    story = make_story()
    for _ in range(RESPONSES_PER_CLIENT.limit):
        write(client, story, step="send")
    response = write(client, story, text="One response too many", step="send")
    assert response.status_code == 429
    assert "One response too many" in response.content.decode()
    assert StoryResponse.objects.count() == RESPONSES_PER_CLIENT.limit


def test_the_moderator_approves_and_the_cached_story_page_shows_it_at_once(
    moderator_client, client
):
    story = make_story()
    write(client, story, step="send")
    reader = Client()
    assert WORKED not in reader.get(story.get_absolute_url()).content.decode()  # now cached
    queue = moderator_client.get(RESPONSES_ADMIN).content.decode()
    assert "We had the same" in queue
    response = StoryResponse.objects.get()
    moderator_client.post(
        RESPONSES_ADMIN,
        {"action": "approve_selected", "_selected_action": [response.pk], "index": 0},
    )
    response.refresh_from_db()
    assert response.status == ResponseStatus.APPROVED
    page = reader.get(story.get_absolute_url()).content.decode()
    assert WORKED in page
    assert f"Response from {datetime.date.today():%B %Y}" in page


def test_the_moderator_rejects_with_a_reason_or_redacts(moderator_client, client):
    story = make_story()
    write(client, story, text="Ask Dr Evans about it.", step="send")
    write(client, story, step="send")
    first, second = StoryResponse.objects.order_by("id")
    page = moderator_client.get(f"{RESPONSES_ADMIN}{first.pk}/change/").content.decode()
    assert "name of a person" in page  # the detector the writer saw
    moderator_client.post(
        f"{RESPONSES_ADMIN}{first.pk}/change/",
        {"text": "Ask [removed] about it.", "language": "en", "_approve": 1},
    )
    first.refresh_from_db()
    assert (first.status, first.text) == (ResponseStatus.APPROVED, "Ask [removed] about it.")

    empty = moderator_client.post(f"{RESPONSES_ADMIN}reject/", {"ids": str(second.pk)})
    assert "Give a reason for the writer" in empty.content.decode()
    moderator_client.post(
        f"{RESPONSES_ADMIN}reject/", {"ids": str(second.pk), "reason": "Off the topic."}
    )
    second.refresh_from_db()
    assert (second.status, second.rejection_reason) == (ResponseStatus.REJECTED, "Off the topic.")


def test_responses_show_oldest_first_with_their_helped_count(client):
    story = make_story()
    published(story, text="The older response", month=datetime.date(2026, 9, 1), helped_count=2)
    published(story, text="The newer response", month=datetime.date(2026, 11, 1))
    StoryResponse.objects.create(confession=story, text="Not yet read")
    page = client.get(story.get_absolute_url()).content.decode()
    assert page.index("The older response") < page.index("The newer response")
    assert "Not yet read" not in page
    assert "Response from September 2026" in page
    assert "2 people say this helped" in page


def test_this_helped_counts_once_per_browser_and_shows_on_the_cached_page(client):
    story = make_story()
    response = published(story)
    url = f"/confessions/{story.slug}/responses/{response.pk}/helped/"
    assert "0 people say this helped" in client.get(story.get_absolute_url()).content.decode()
    assert client.post(url).status_code == 302
    client.post(url)
    response.refresh_from_db()
    assert response.helped_count == 1
    assert "1 person says this helped" in Client().get(story.get_absolute_url()).content.decode()
    hidden = StoryResponse.objects.create(confession=story, text="pending")
    pending_url = f"/confessions/{story.slug}/responses/{hidden.pk}/helped/"
    assert client.post(pending_url).status_code == 404


@pytest.mark.parametrize("responses", [1, 20])
def test_a_story_page_runs_a_fixed_number_of_queries_however_many_responses(
    client, django_assert_max_num_queries, responses
):
    story = make_story()
    for _ in range(responses):
        published(story)
    caches["pages"].clear()
    with django_assert_max_num_queries(6):
        page = client.get(story.get_absolute_url())
    assert len(page.context["responses"]) == responses


@pytest.mark.parametrize("responses", [1, 5])
def test_the_list_shows_response_counts_in_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, responses
):
    stories = make_stories(4)
    for story in stories[:2]:
        for _ in range(responses):
            published(story)
    StoryResponse.objects.create(confession=stories[2], text="pending, not counted")
    caches["pages"].clear()
    with django_assert_max_num_queries(6):
        page = client.get("/confessions/").content.decode()
    counted = "1 response" if responses == 1 else f"{responses} responses"
    assert page.count(counted) == 2
    assert page.count("0 responses") == 2


def test_each_story_has_a_feed_of_its_responses(client):
    story = make_story()
    published(story, text="A published response")
    StoryResponse.objects.create(confession=story, text="A pending one")
    feed = client.get(f"/confessions/{story.slug}/responses/feed/")
    assert feed["Content-Type"].startswith("application/atom+xml")
    body = feed.content.decode()
    assert "A published response" in body and "A pending one" not in body
    assert "2026-11-01T00:00:00" in body
    assert (
        f'href="/confessions/{story.slug}/responses/feed/"'
        in client.get(story.get_absolute_url()).content.decode()
    )
    assert client.get("/confessions/no-such-story/responses/feed/").status_code == 404


def test_a_withdrawn_story_takes_its_responses_with_it():
    from confessions.services import confession_withdraw

    story = make_story()
    published(story)
    confession_withdraw(confession=story)
    assert not StoryResponse.objects.exists()


def test_approving_twice_keeps_the_first_month():
    story = make_story()
    response = published(story, month=datetime.date(2026, 1, 1))
    assert response_approve(response=response).published_month == datetime.date(2026, 1, 1)


@pytest.mark.parametrize("responses", [2, 15])
def test_the_responses_queue_runs_a_fixed_number_of_queries(
    moderator_client, django_assert_max_num_queries, responses
):
    stories = make_stories(3)
    for number in range(responses):
        StoryResponse.objects.create(confession=stories[number % 3], text=f"Response {number}")
    with django_assert_max_num_queries(12):
        page = moderator_client.get(RESPONSES_ADMIN)
    assert page.status_code == 200
    assert page.content.decode().count("Waiting for a moderator") >= responses


def test_the_form_under_the_story_leads_to_the_check_page_with_a_fresh_key(client):
    story = make_story()
    page = client.get(story.get_absolute_url()).content.decode()
    assert f'action="/confessions/{story.slug}/respond/"' in page
    check = client.post(respond_url(story), {"text": WORKED, "step": "check"})
    assert "Check your response before you send it" in check.content.decode()
    token = token_in(check)
    empty = client.post(respond_url(story), {"text": "", "step": "check"})
    assert "Enter your response" in empty.content.decode()
    sent = client.post(respond_url(story), {"text": WORKED, "step": "send", "token": token})
    assert "your response has been sent" in sent.content.decode()
    assert StoryResponse.objects.get().text == WORKED
    # Straight to "send" without the check page's key: checked first, never stored unseen.
    other = client.post(respond_url(story), {"text": "Skipping the check", "step": "send"})
    assert "Check your response before you send it" in other.content.decode()
    assert StoryResponse.objects.count() == 1


def test_the_admin_index_counts_responses_and_answers_waiting(moderator_client):
    story = make_story()
    StoryResponse.objects.create(confession=story, text="Waiting")
    StoryResponse.objects.create(confession=story, text="Hidden", status=ResponseStatus.REPORTED)
    published(story)
    body = moderator_client.get("/admin/").content.decode()
    assert "2 responses waiting or reported" in body
    assert "0 unread answers from writers" in body
    assert 'href="/admin/confessions/storyresponse/"' in body
