"""Messages through the receipt: a moderator writes from the admin, the writer reads and
answers on the receipt page, with no account and no email."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.test import Client

from confessions.conversation import Author, Message
from confessions.conversation_views import MESSAGES_PER_CLIENT
from confessions.models import Decision, Status
from confessions.services import confession_approve, confession_reject
from tests.confessions.stories import CHANGELIST, RECEIPT, change_url, make_confession

pytestmark = pytest.mark.django_db

QUESTION = "Was the contract signed before or after the pilot ended?"
ANSWER = "After the pilot: the board wanted it done by the end of the year."


def message_url(confession) -> str:
    return f"/admin/confessions/confession/{confession.pk}/message/"


def moderator_asks(moderator_client, confession, text=QUESTION):
    check = moderator_client.post(message_url(confession), {"text": text, "step": "check"})
    assert check.status_code == 200
    return moderator_client.post(message_url(confession), {"text": text, "step": "send"})


def writer_posts(code, **data):
    return Client().post(RECEIPT, {"code": code, "action": "reply", **data})


def test_the_moderator_checks_then_sends_a_message_the_writer_reads(moderator_client):
    confession, code = make_confession()
    check = moderator_client.post(
        message_url(confession), {"text": "Is Dr Evans happy to be named?", "step": "check"}
    )
    page = check.content.decode()
    assert "Check the message before you send it" in page
    assert "Dr Evans" in page and "name of a person" in page
    assert not Message.objects.exists()  # shown, not yet sent

    response = moderator_asks(moderator_client, confession)
    assert response.status_code == 302
    message = Message.objects.get()
    assert (message.author, message.text, message.unread) == (Author.MODERATOR, QUESTION, False)
    assert confession.decisions.filter(decision=Decision.MESSAGE).exists()

    page = Client().post(RECEIPT, {"code": code}).content.decode()
    assert QUESTION in page
    assert re.search(r"<strong>Moderator</strong> &middot; \d{1,2} \w+ \d{4}</p>", page)


def test_the_writer_answers_after_checking_and_the_conversation_reads_newest_last(
    moderator_client,
):
    confession, code = make_confession()
    moderator_asks(moderator_client, confession)
    check = writer_posts(code, text="Ask jo.bloggs@example.org, she knows.", step="check")
    page = check.content.decode()
    assert "Check your message before you send it" in page
    assert "email address" in page
    assert not Message.objects.filter(author=Author.WRITER).exists()

    edit = writer_posts(code, text="Ask jo.bloggs@example.org, she knows.", step="edit")
    assert "Ask jo.bloggs@example.org, she knows." in edit.content.decode()  # nothing lost

    sent = writer_posts(code, text=ANSWER, step="send")
    assert "Your message has been sent to the moderators." in sent.content.decode()
    page = sent.content.decode()
    assert page.index(QUESTION) < page.index(ANSWER)
    assert "<strong>You</strong>" in page
    answer = Message.objects.get(author=Author.WRITER)
    assert answer.unread and answer.sent_on == datetime.date.today()
    assert [m.position for m in confession.messages.all()] == [1, 2]


def test_the_queue_shows_an_unread_answer_until_a_moderator_opens_the_story(moderator_client):
    confession, code = make_confession(title="A story with an answer")
    make_confession(title="A story without one")
    moderator_asks(moderator_client, confession)
    writer_posts(code, text=ANSWER, step="send")

    queue = moderator_client.get(CHANGELIST).content.decode()
    assert queue.count("Answer from the writer waiting") == 1
    waiting = moderator_client.get(CHANGELIST + "?attention=answer").content.decode()
    assert "A story with an answer" in waiting and "A story without one" not in waiting

    story = moderator_client.get(change_url(confession)).content.decode()
    assert ANSWER in story
    assert not Message.objects.filter(unread=True).exists()
    assert "Answer from the writer waiting" not in moderator_client.get(CHANGELIST).content.decode()


@pytest.mark.parametrize("decide", ["pending", "approved", "rejected"])
def test_pending_approved_and_rejected_stories_all_take_messages(moderator, decide):
    confession, code = make_confession()
    if decide == "approved":
        confession_approve(confession=confession, moderator=moderator)
    if decide == "rejected":
        confession_reject(confession=confession, moderator=moderator, reason="Too close to home")
    writer_posts(code, text=ANSWER, step="send")
    assert Message.objects.filter(confession=confession, author=Author.WRITER).count() == 1


def test_withdrawing_removes_the_messages_and_takes_no_more(moderator_client):
    confession, code = make_confession()
    moderator_asks(moderator_client, confession)
    writer_posts(code, text=ANSWER, step="send")
    Client().post(RECEIPT, {"code": code, "action": "withdraw", "confirm": "on"})
    assert not Message.objects.exists()
    response = writer_posts(code, text="One more thing", step="send")
    assert response.status_code == 200
    assert not Message.objects.exists()
    assert 'value="reply"' not in response.content.decode()
    assert moderator_client.get(message_url(confession)).status_code == 302


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", "Enter your message"),
        ("x" * 2001, "Your message must be 2,000 characters or fewer (it has 2001)."),
        ("bad\x01text", "Remove the control characters"),
    ],
)
def test_a_bad_message_gets_a_clear_error_and_nothing_is_sent(text, error):
    confession, code = make_confession()
    response = writer_posts(code, text=text, step="send")
    assert response.status_code == 200
    assert error in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert not Message.objects.exists()


def test_the_moderator_gets_a_clear_error_for_an_empty_message(moderator_client):
    confession, _ = make_confession()
    response = moderator_client.post(message_url(confession), {"text": "", "step": "check"})
    assert response.status_code == 200
    assert "Enter a message for the writer" in response.content.decode()


def test_answers_are_rate_limited_per_client_and_the_text_is_kept(settings):
    confession, code = make_confession()
    for _ in range(MESSAGES_PER_CLIENT.limit):
        writer_posts(code, text=ANSWER, step="send")
    response = writer_posts(code, text="The one too many", step="send")
    assert response.status_code == 429
    assert "The one too many" in response.content.decode()
    assert Message.objects.count() == MESSAGES_PER_CLIENT.limit


def test_the_digest_says_an_answer_waits_without_quoting_it(moderator, settings, mailoutbox):
    settings.MODERATOR_EMAILS = ["mods@example.org"]
    confession, code = make_confession()
    assert confession_approve(confession=confession, moderator=moderator).status == Status.APPROVED
    writer_posts(code, text=ANSWER, step="send")
    call_command("notify_moderators", stdout=io.StringIO())
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    assert "1 story has an answer from the writer waiting to be read" in body
    assert "?attention=answer" in body
    assert ANSWER not in body and "pilot" not in body
    assert "waiting for a moderator" not in body  # no story waits, only the answer


@pytest.mark.parametrize("stories", [2, 12])
def test_the_queue_marks_answers_and_reports_in_a_fixed_number_of_queries(
    moderator_client, django_assert_max_num_queries, stories
):
    from confessions.conversation import AgreedText, Report

    for number in range(stories):
        confession, _ = make_confession(title=f"Story {number}", tags=["a", "b"])
        Message.objects.create(
            confession=confession, position=1, author=Author.WRITER, text="A", unread=True
        )
        Report.objects.create(confession=confession, reason="spam")
        AgreedText.objects.create(
            confession=confession, asked_on=datetime.date.today(), **_texts(confession)
        )
    with django_assert_max_num_queries(12):
        page = moderator_client.get(CHANGELIST).content.decode()
    assert page.count("Answer from the writer waiting") == stories
    assert page.count("Reported (1)") == stories


def _texts(confession) -> dict:
    from confessions.consent import texts

    return texts(confession)
