"""The privacy page, sentence by sentence: each one is named here with the tests that prove it.

A sentence added to the page without a test here fails ``test_every_sentence_is_backed``; a test
named here that does not exist fails ``test_every_backing_test_exists``. The tests below the map
prove the sentences no other test covers.
"""

import ast
import hashlib
import html
import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from confessions.me_too import COOKIE_MAX_AGE, COOKIE_NAME
from confessions.services import confession_approve
from confessions.views import STORIES_PER_CLIENT, WRONG_RECEIPTS_PER_CLIENT
from events.models import Answer, Registration
from failshare.models import CommandRun
from tests.caches import pages_cache_text, shared_cache_expiries, shared_cache_text
from tests.confessions.factories import make_story
from tests.confessions.stories import (
    NEW,
    RECEIPT,
    form_token,
    make_confession,
    receipt_code_in,
    story_data,
)
from tests.confessions.test_privacy import every_row_as_text
from tests.events.conftest import add_questions, make_event, make_user

ROOT = Path(__file__).resolve().parent.parent
PRIVACY = "tests/confessions/test_privacy.py"
HERE = "tests/test_privacy_page.py"
CONVERSATION = "tests/confessions/test_conversation_privacy.py"
DUTIES = "tests/test_public_duties.py::"

DIGESTS = "tests/digests/test_subscribe_and_send.py"

BACKED_BY = {
    "The failshare network runs this site and is the data controller for the personal data it "
    "keeps.": [DUTIES + "test_the_privacy_page_names_the_controller_and_the_contact_address"],
    "To ask about your data, write to hello@failshare.example.": [
        DUTIES + "test_the_privacy_page_names_the_controller_and_the_contact_address",
    ],
    "You have the right to see the personal data we keep about you, to have it corrected or "
    "deleted, to object to how we use it, and to have a copy of it to take elsewhere.": [
        DUTIES + "test_the_privacy_page_says_what_rights_people_have_and_how_to_use_them",
    ],
    "To use these rights, write to hello@failshare.example.": [
        DUTIES + "test_the_privacy_page_says_what_rights_people_have_and_how_to_use_them",
    ],
    "We reply within one month.": [
        DUTIES + "test_the_privacy_page_says_what_rights_people_have_and_how_to_use_them",
    ],
    "If you are not happy with our answer, you can complain to the Information Commissioner's "
    "Office (ICO), at ico.org.uk or on 0303 123 1113.": [
        DUTIES + "test_the_privacy_page_says_what_rights_people_have_and_how_to_use_them",
    ],
    "A digest keeps only your email address and what you chose to get, never anything about a "
    "story anyone sent.": [
        f"{DIGESTS}::test_a_subscription_holds_nothing_about_any_story_or_writer",
    ],
    "Nothing is sent to an address until someone follows the link in the confirmation email.": [
        f"{DIGESTS}::test_nothing_is_sent_until_the_link_is_followed",
    ],
    "Stopping a digest deletes the address and what you chose.": [
        f"{DIGESTS}::test_every_digest_has_one_click_unsubscribe_and_a_manage_link",
    ],
    "We keep nothing about who suggested a resource.": [
        "tests/resources/test_resources.py::test_a_resource_holds_nothing_about_who_suggested_it",
    ],
    "This page says in plain words what we keep, for how long, and how to take a story back.": [
        f"{HERE}::test_every_sentence_is_backed",
    ],
    "A story is never linked to a person.": [
        f"{PRIVACY}::test_no_address_or_user_agent_is_stored_anywhere_in_the_database",
        f"{PRIVACY}::test_a_story_shared_while_signed_in_holds_no_link_to_the_account",
    ],
    "We do not store your name, account, network (IP) address or browser (user agent) with it.": [
        f"{PRIVACY}::test_no_address_or_user_agent_is_stored_anywhere_in_the_database",
        f"{PRIVACY}::test_a_story_shared_while_signed_in_holds_no_link_to_the_account",
    ],
    "We keep only the day it arrived, not the time, and the public page shows just the month it "
    "was published.": [
        f"{PRIVACY}::test_a_story_keeps_only_the_day_it_was_sent",
        "tests/confessions/test_detail.py::test_it_shows_the_story_in_sections_with_its_facts",
    ],
    "Its number in our database is random, so it does not show the order in which stories "
    "arrived.": [
        "tests/confessions/test_random_keys.py"
        "::test_a_stored_story_has_a_random_16_digit_key_not_a_sequence",
        "tests/confessions/test_random_keys.py"
        "::test_a_months_stories_are_listed_by_key_not_by_arrival",
        "tests/confessions/test_random_keys.py"
        "::test_the_moderators_queue_lists_a_days_stories_by_key_not_by_arrival",
    ],
    "Sharing a story while signed in is exactly the same as sharing it without an account: the "
    "story is not linked to your account.": [
        f"{PRIVACY}::test_a_story_shared_while_signed_in_holds_no_link_to_the_account",
        "tests/confessions/test_submit.py::test_the_form_is_identical_for_signed_in_people",
    ],
    "Reading stories, sharing one and checking it with its receipt code start no session.": [
        f"{HERE}::test_reading_sharing_and_checking_a_story_start_no_session",
    ],
    "Nothing is published until a moderator has checked it.": [
        f"{PRIVACY}::test_nothing_is_published_before_a_moderator_approves_it",
    ],
    "Moderators may remove details that could identify people or organisations.": [
        "tests/confessions/test_moderation_admin.py::test_a_redaction_is_saved_and_recorded",
    ],
    "Moderators' decisions about a story (who decided what, when, and why) are kept with it, so "
    "that every decision can be checked later.": [
        "tests/confessions/test_moderation_admin.py::test_the_story_page_shows_every_decision",
        "tests/confessions/test_moderation_admin.py::test_the_audit_trail_is_read_only",
    ],
    "Moderators are not told when a story arrives: a few times a day at most, at set times, they "
    "get an email saying how many stories are waiting.": [
        "tests/confessions/test_submit.py::test_a_story_arriving_queues_no_task_and_sends_no_email",
        "tests/confessions/test_moderators_digest.py"
        "::test_it_emails_how_many_stories_wait_without_quoting_any",
        "tests/confessions/test_moderators_digest.py"
        "::test_the_digest_is_queued_for_the_worker_by_the_command_alone",
    ],
    "It does not quote any story.": [
        "tests/confessions/test_moderators_digest.py"
        "::test_it_emails_how_many_stories_wait_without_quoting_any",
    ],
    "While you write, this browser keeps a draft of your story in its own storage, so that "
    "nothing is lost if sending fails.": [
        "tests/browser/test_share_story_journey.py"
        "::test_what_was_typed_is_kept_in_the_browser_until_the_story_is_sent",
        "tests/browser/test_outage_keeps_the_draft.py"
        "::test_a_story_sent_during_an_outage_is_kept_in_the_browser_and_sent_later",
    ],
    "The draft is never sent to us: only the story you send is.": [
        "tests/browser/test_privacy_journey.py"
        "::test_the_draft_is_never_sent_while_typing_and_discarding_removes_it",
    ],
    "The draft is removed from this browser once your story has been received, or when you "
    "choose “Discard the draft”.": [
        "tests/browser/test_share_story_journey.py"
        "::test_what_was_typed_is_kept_in_the_browser_until_the_story_is_sent",
        "tests/browser/test_privacy_journey.py"
        "::test_the_draft_is_never_sent_while_typing_and_discarding_removes_it",
    ],
    "On a shared computer, send or discard it before you leave.": [
        "tests/browser/test_privacy_journey.py"
        "::test_the_draft_is_never_sent_while_typing_and_discarding_removes_it",
    ],
    "When you send a story you get a receipt code, shown on the page that confirms it was "
    "received.": [
        "tests/confessions/test_submit.py"
        "::test_it_stores_a_pending_story_and_shows_its_receipt_code_once",
    ],
    "It is made at that moment and shown only on that page: sending the same form again, from any "
    "browser, says the story has already been sent and does not show the code.": [
        "tests/confessions/test_receipt_shown_once.py"
        "::test_it_carries_no_receipt_code_in_the_form_or_the_preview",
        "tests/confessions/test_receipt_shown_once.py"
        "::test_replaying_the_last_post_from_a_fresh_browser_gets_no_code",
        "tests/confessions/test_submit.py"
        "::test_a_retried_post_is_stored_once_and_is_told_it_was_already_sent",
    ],
    "We keep only a one-way hash of it, so we cannot tell you your code if you lose it.": [
        f"{PRIVACY}::test_the_receipt_code_is_stored_only_as_a_hash",
    ],
    "With the receipt code you can check the story's status, read a moderator's reason if it was "
    "not published, and withdraw it.": [
        "tests/confessions/test_receipt.py::test_the_code_shows_a_pending_story",
        "tests/confessions/test_receipt.py"
        "::test_the_code_shows_the_moderators_reason_for_a_rejection",
        "tests/confessions/test_receipt.py::test_withdrawing_removes_the_text_for_good",
    ],
    "Withdrawing takes the story off the site and removes its text, its topics and the "
    "moderators' reasons for good.": [
        "tests/confessions/test_receipt.py::test_withdrawing_removes_the_text_for_good",
        "tests/confessions/test_receipt.py::test_a_withdrawn_published_story_leaves_the_site",
        "tests/confessions/test_vacuum_withdrawn.py"
        "::test_after_a_withdrawal_every_story_table_is_vacuumed_once",
    ],
    "A moderator may write to you through your receipt: you read their messages and answer them "
    "on the receipt page, with no account and no email.": [
        "tests/confessions/test_messages.py"
        "::test_the_moderator_checks_then_sends_a_message_the_writer_reads",
        "tests/confessions/test_messages.py"
        "::test_the_writer_answers_after_checking_and_the_conversation_reads_newest_last",
    ],
    "Each message keeps who wrote it (a moderator or you) and the day it was sent, not the time, "
    "and nothing about your network address or browser.": [
        f"{CONVERSATION}::test_the_new_tables_hold_no_address_agent_account_or_time",
        f"{CONVERSATION}::test_each_new_table_keeps_days_not_times",
    ],
    "If a moderator rewords your story, it is not published until you agree to the new version "
    "on the receipt page.": [
        "tests/confessions/test_consent.py"
        "::test_a_rewording_waits_for_the_writer_who_sees_what_changed",
        "tests/confessions/test_consent.py"
        "::test_publishing_this_version_publishes_it_and_records_the_step_to_the_day",
    ],
    "Changes that only put [removed] in place of a detail need no agreement.": [
        "tests/confessions/test_consent.py::test_a_redaction_is_published_at_once",
    ],
    "Withdrawing also removes your messages, the text you first sent, and the story's responses "
    "and reports.": [
        f"{CONVERSATION}::test_withdrawing_removes_the_whole_conversation",
    ],
    "A response to a story is published only after a moderator has read it, and is shown with "
    "the month only.": [
        "tests/confessions/test_responses.py"
        "::test_a_response_is_checked_then_sent_and_waits_for_a_moderator",
        "tests/confessions/test_responses.py"
        "::test_responses_show_oldest_first_with_their_helped_count",
    ],
    "We do not store your name, account, network address or browser with it, and keep only the "
    "day it arrived.": [
        f"{CONVERSATION}::test_the_new_tables_hold_no_address_agent_account_or_time",
        "tests/confessions/test_responses.py::test_signed_in_readers_are_treated_the_same",
    ],
    "A report keeps only its reason, the note you add and the day: nothing about who sent it.": [
        "tests/confessions/test_reports.py"
        "::test_a_report_keeps_the_reason_the_note_and_the_day_only",
        f"{CONVERSATION}::test_the_new_tables_hold_no_address_agent_account_or_time",
    ],
    "To count a report or a “this helped” once, we keep a keyed hash of your network address and "
    "of your security cookie in temporary memory for an hour at most, never in the database.": [
        f"{CONVERSATION}::test_reports_and_helped_keep_keyed_hashes_for_an_hour_at_most",
    ],
    "To stop floods of stories and guessed receipt codes, we count what comes from each network "
    "address under a keyed hash of the address, never the address itself.": [
        f"{PRIVACY}"
        "::test_the_rate_limit_keeps_a_keyed_hash_in_the_cache_and_nothing_in_the_database",
        f"{HERE}::test_story_and_receipt_limits_keep_a_keyed_hash_for_an_hour_at_most",
    ],
    "The count is kept in temporary memory for an hour at most (15 minutes for receipt codes), "
    "never in the database.": [
        f"{HERE}::test_story_and_receipt_limits_keep_a_keyed_hash_for_an_hour_at_most",
    ],
    "To stop guessed passwords and floods of sign-ups, the account pages count attempts from each "
    "network address for a minute, and attempts on each email address, as a hash, for five "
    "minutes at most.": [
        f"{HERE}::test_account_limits_keep_the_address_a_minute_and_the_email_hashed_five",
    ],
    "These counts too are kept in temporary memory only.": [
        f"{HERE}::test_signing_up_and_in_records_no_address_or_browser",
    ],
    "You need an account only to register for events.": [
        "tests/events/test_register.py"
        "::test_it_sends_people_who_are_not_signed_in_to_sign_in_and_back",
        "tests/confessions/test_submit.py::test_the_form_is_identical_for_signed_in_people",
    ],
    "We keep your email address, your password hashed with Argon2, when you joined and when you "
    "last signed in.": [
        "tests/test_accounts.py::test_passwords_are_hashed_with_argon2",
        f"{HERE}::test_signing_up_and_in_records_no_address_or_browser",
    ],
    "If you give your name when you sign up, we keep it too, and event organisers see it on "
    "their list of attendees.": [
        "tests/test_account_pages.py::test_sign_up_asks_for_a_name_which_is_optional_and_kept",
        "tests/events/test_admin.py"
        "::test_the_attendees_csv_opens_as_utf8_in_spreadsheets_with_the_names_filled",
    ],
    "We do not record the network addresses or browsers you sign up or sign in from.": [
        f"{HERE}::test_signing_up_and_in_records_no_address_or_browser",
    ],
    "When you register for an event we keep your answers to its questions and your place or "
    "waiting-list position.": [
        "tests/events/test_register.py::test_it_shows_the_events_questions_and_saves_the_answers",
        "tests/events/test_register.py::test_it_puts_people_on_the_waiting_list_when_full",
    ],
    "The network's organisers can see them, and we email you about your place.": [
        "tests/events/test_admin.py::test_it_exports_attendees_and_their_answers_as_csv",
        "tests/events/test_emails.py"
        "::test_the_confirmation_carries_the_joining_link_and_a_calendar_file",
    ],
    "A region you choose for events is kept on your account if you are signed in.": [
        "tests/events/test_regions.py::test_a_signed_in_persons_region_is_kept_on_their_account",
    ],
    "Feedback after an event is stored with no account, registration or time.": [
        "tests/events/test_after_the_event.py"
        "::test_feedback_is_given_once_without_signing_in_and_kept_apart_from_the_person",
    ],
    "If your place is one of your organisation's complimentary places, your registration "
    "records the membership it used.": [
        "tests/events/test_memberships.py"
        "::test_members_use_their_places_then_are_invoiced_and_a_cancellation_gives_one_back",
    ],
    "Your registrations and answers are kept while your account exists.": [
        f"{HERE}::test_deleting_an_account_deletes_its_registrations_and_answers",
    ],
    "You can delete your account with everything linked to it from your account page, "
    "confirming with your password.": [
        "tests/test_account_pages.py"
        "::test_the_right_password_deletes_the_account_and_its_registrations",
        "tests/test_account_pages.py::test_a_wrong_password_deletes_nothing",
        f"{HERE}::test_deleting_an_account_deletes_its_registrations_and_answers",
        f"{HERE}::test_an_account_that_moderated_keeps_the_audit_trail",
    ],
    "We use at most six cookies: a session cookie (sessionid) that keeps you signed in, a "
    "security cookie (csrftoken) that protects forms, a signed cookie (fs_me_too) that "
    "remembers for a year which stories you said “this happened to us too” about, a "
    "short-lived cookie (messages) that carries a one-off message such as “You have a place”, "
    "if you choose a region for events without signing in, a cookie (events_region) that "
    "remembers it for a year, and, if you switch between English and Welsh, a cookie "
    "(django_language) that remembers your choice for a year.": [
        f"{HERE}::test_the_journeys_set_only_the_six_named_cookies",
    ],
    "There are no tracking or advertising cookies, and our pages load nothing from other "
    "websites.": [
        f"{HERE}::test_the_journeys_set_only_the_six_named_cookies",
        "tests/test_headers.py"
        "::test_every_anonymous_page_sends_the_security_headers_fresh_and_cached",
    ],
    "The “this happened to us too” cookie holds short digests of the stories' addresses, not "
    "the addresses.": [
        f"{HERE}::test_me_too_keeps_digests_in_the_cookie_and_a_keyed_hash_for_an_hour",
    ],
    "To stop a double press counting twice, we also keep a keyed hash of your security cookie in "
    "temporary memory for an hour.": [
        f"{HERE}::test_me_too_keeps_digests_in_the_cookie_and_a_keyed_hash_for_an_hour",
        "tests/confessions/test_me_too.py"
        "::test_a_double_submit_before_the_cookie_arrives_counts_once",
    ],
    "A session lasts 14 days from signing in, or 8 hours without activity for staff, and ends "
    "when you sign out.": [
        f"{HERE}::test_a_session_lasts_14_days_and_ends_at_sign_out",
        "tests/test_accounts.py::test_staff_sessions_expire_sooner",
    ],
    "Ended sessions are deleted from our database every day.": [
        f"{HERE}::test_the_daily_clean_up_deletes_ended_sessions",
    ],
    "Our logs do not contain network addresses, browser details, the text of stories or receipt "
    "codes.": [
        "tests/test_logs_over_journeys.py"
        "::test_the_main_journeys_log_no_address_agent_story_text_or_code",
        "tests/test_logs_over_journeys.py::test_an_error_report_holds_nothing_of_the_request",
        "tests/resilience/test_database_outage.py"
        "::test_the_logs_hold_no_client_address_agent_or_story_text",
        f"{PRIVACY}::test_nothing_is_logged_about_the_writer_or_the_story",
    ],
    "Emails are sent in the background.": [
        "tests/confessions/test_moderators_digest.py"
        "::test_the_digest_is_queued_for_the_worker_by_the_command_alone",
        "tests/events/test_emails.py::test_nothing_is_sent_if_the_registration_is_rolled_back",
    ],
    "The record of each email job, with the time it was queued, is deleted every day once the "
    "email has gone.": [
        f"{HERE}::test_the_daily_clean_up_deletes_finished_email_jobs",
    ],
}

ADDRESS = "203.0.113.58"
AGENT = "PrivacyPageProbe/1.0 (agent-3d7e)"
BROWSER = {"REMOTE_ADDR": ADDRESS, "HTTP_USER_AGENT": AGENT}


def sentences_of(page: str) -> list[str]:
    main = page.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    blocks = re.findall(r"<(?:p|li)[^>]*>(.*?)</(?:p|li)>", main, flags=re.S)
    found = []
    for block in blocks:
        text = " ".join(html.unescape(re.sub(r"<[^>]+>", "", block)).split())
        found += re.split(r"(?<=[.!?”])\s+(?=[A-Z“])", text)
    return found


@pytest.mark.django_db
def test_every_sentence_is_backed(client):
    on_the_page = sentences_of(client.get("/privacy/").content.decode())
    assert len(on_the_page) == len(set(on_the_page))
    assert [s for s in on_the_page if s not in BACKED_BY] == [], "sentences without a test"
    assert [s for s in BACKED_BY if s not in on_the_page] == [], "tests for missing sentences"


def test_every_backing_test_exists():
    for tests in BACKED_BY.values():
        assert tests
        for test in tests:
            path, name = test.split("::")
            tree = ast.parse((ROOT / path).read_text())
            defined = {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
            assert name in defined, test


# The tests that back the sentences no other test covers.


@pytest.fixture
def no_writing_time(settings):
    settings.CONFESSION_MIN_SECONDS = 0


def cache_expiries() -> dict[str, float]:
    return shared_cache_expiries()


@pytest.mark.django_db
def test_reading_sharing_and_checking_a_story_start_no_session(no_writing_time):
    story = make_story(title="The dashboard that was always green")
    client = Client()
    for path in ("/", "/confessions/", story.get_absolute_url(), "/confessions/?q=dashboard"):
        client.get(path)
    client.post(f"{story.get_absolute_url()}me-too/")
    data = {**story_data(), "token": form_token(client)}
    client.post(NEW, {**data, "step": "preview"})
    code = receipt_code_in(client.post(NEW, {**data, "step": "submit"}))
    client.post(RECEIPT, {"code": code})
    client.post(RECEIPT, {"code": code, "action": "withdraw", "confirm": "on"})
    assert "sessionid" not in client.cookies
    assert Session.objects.count() == 0


@pytest.mark.django_db
def test_story_and_receipt_limits_keep_a_keyed_hash_for_an_hour_at_most(client, no_writing_time):
    cache.clear()
    data = {**story_data(), "token": form_token(client), "step": "submit"}
    client.post(NEW, data, **BROWSER)
    client.post(RECEIPT, {"code": "ABCD-EFGH-JKMN-PQRS-TUVW"}, **BROWSER)
    expiries = cache_expiries()
    story_key = cache.make_key(STORIES_PER_CLIENT.key_for(ADDRESS))
    receipt_key = cache.make_key(WRONG_RECEIPTS_PER_CLIENT.key_for(ADDRESS))
    # Fixed windows: each key lives until its window closes, an hour (a quarter) at most.
    assert 0 < expiries[story_key] <= 3600
    assert 0 < expiries[receipt_key] <= 900
    assert ADDRESS not in shared_cache_text() + pages_cache_text()
    assert ADDRESS not in every_row_as_text()


@pytest.mark.django_db
def test_account_limits_keep_the_address_a_minute_and_the_email_hashed_five(client):
    cache.clear()
    make_user("sam@example.org", password="a-good-long-pass-93")
    client.post("/accounts/login/", {"login": "sam@example.org", "password": "wrong"}, **BROWSER)
    client.post(
        "/accounts/signup/",
        {"email": "new@example.org", "password1": "a-good-long-pass-93", "password2": "x"},
        **BROWSER,
    )
    client.post("/accounts/password/reset/", {"email": "sam@example.org"}, **BROWSER)
    expiries = cache_expiries()
    by_address = cache.make_key(f"allauth:rl:allauth.account:login:30/60/ip:ip:{ADDRESS}")
    assert 0 < expiries[by_address] <= 60, "the limits count by address, for a minute"
    assert len(expiries) > 3, "the limits count by email address too"
    assert max(expiries.values()) <= 300
    # Every key is a keyed hash: no address, and no plain hash of an email address.
    stored = shared_cache_text()
    for typed in (ADDRESS, "sam@example.org", "new@example.org"):
        assert typed not in stored
        assert hashlib.sha256(typed.encode()).hexdigest() not in stored


@pytest.mark.django_db
def test_signing_up_and_in_records_no_address_or_browser(client, mailoutbox):
    password = "a-good-long-pass-93"
    client.post(
        "/accounts/signup/",
        {"email": "new@example.org", "password1": password, "password2": password},
        **BROWSER,
    )
    user = User.objects.get(email="new@example.org")
    user.emailaddress_set.update(verified=True)
    client.post("/accounts/login/", {"login": "new@example.org", "password": password}, **BROWSER)
    client.get("/events/mine/", **BROWSER)
    user.refresh_from_db()
    assert user.password.startswith("argon2$")
    assert user.date_joined and user.last_login
    assert Session.objects.count() == 1
    dump = every_row_as_text()
    assert "new@example.org" in dump  # the dump reaches accounts and sessions
    assert ADDRESS not in dump
    assert AGENT not in dump and "agent-3d7e" not in dump


@pytest.mark.django_db
def test_deleting_an_account_deletes_its_registrations_and_answers(mailoutbox):
    person = make_user("sam@example.org")
    waiting = make_user("ada@example.org")
    event = make_event(title="Learning from failure in Leeds", capacity=1)
    questions = add_questions(event)
    registration = Registration.objects.create(event=event, user=person, status="confirmed")
    Answer.objects.create(registration=registration, question=questions["hopes"], value="Ideas")
    Registration.objects.create(event=event, user=waiting, status="waiting")
    signed_in = Client()
    signed_in.force_login(person)

    call_command("delete_account", "SAM@example.org", stdout=io.StringIO())

    assert not User.objects.filter(pk=person.pk).exists()
    assert Registration.objects.get().user == waiting
    assert Registration.objects.get().status == "confirmed"  # the place went to the next person
    assert not Answer.objects.exists()
    assert Session.objects.count() == 0
    assert "sam@example.org" not in every_row_as_text()
    with pytest.raises(CommandError, match="No single account"):
        call_command("delete_account", "sam@example.org")


@pytest.mark.django_db
def test_an_account_that_moderated_keeps_the_audit_trail(moderator_with_a_decision):
    with pytest.raises(CommandError, match="audit trail"):
        call_command("delete_account", moderator_with_a_decision.email)
    assert User.objects.filter(pk=moderator_with_a_decision.pk).exists()


@pytest.fixture
def moderator_with_a_decision(db):
    moderator = make_user("mod@example.org", is_staff=True)
    story, _ = make_confession()
    confession_approve(confession=story, moderator=moderator)
    return moderator


@pytest.mark.django_db
def test_the_journeys_set_only_the_six_named_cookies(no_writing_time):
    story = make_story(title="The dashboard that was always green")
    event = make_event(title="Learning from failure in Leeds")
    make_user("sam@example.org", password="a-good-long-pass-93")
    client = Client()
    responses = [
        client.get("/"),
        client.post(f"{story.get_absolute_url()}me-too/"),
        client.post("/events/region/", {"region": "wales"}),
        client.post(NEW, {**story_data(), "token": form_token(client), "step": "submit"}),
        client.post(
            "/accounts/login/", {"login": "sam@example.org", "password": "a-good-long-pass-93"}
        ),
        client.post(f"/events/{event.slug}/register/"),
        client.get(event.get_absolute_url()),
        client.post(f"/events/{event.slug}/cancel/"),
        client.post("/accounts/logout/"),
        client.get("/language/cy/?next=/events/"),
        client.get("/language/en-gb/?next=/cy/events/"),
    ]
    set_cookies = {name for response in responses for name in response.cookies}
    assert set_cookies == {
        "csrftoken",
        COOKIE_NAME,
        "sessionid",
        "messages",
        "events_region",
        settings.LANGUAGE_COOKIE_NAME,
    }
    assert responses[1].cookies[COOKIE_NAME]["max-age"] == COOKIE_MAX_AGE == 365 * 24 * 3600
    assert responses[2].cookies["events_region"]["max-age"] == 365 * 24 * 3600
    assert responses[-1].cookies["django_language"]["max-age"] == 365 * 24 * 3600
    for page in ("/", "/confessions/new/", story.get_absolute_url(), event.get_absolute_url()):
        body = client.get(page).content.decode()
        # The head's links to the page in each language name the site's own address in full.
        own = body.replace(f'href="{settings.SITE_URL}/', 'href="/')
        outside = re.findall(r'(?:src|href)="((?:https?:)?//[^"]+)"', own)
        assert outside == [], page


@pytest.mark.django_db
def test_me_too_keeps_digests_in_the_cookie_and_a_keyed_hash_for_an_hour(client):
    cache.clear()
    story = make_story(title="The dashboard that was always green")
    client.get(story.get_absolute_url())  # the page sets the security cookie
    response = client.post(f"{story.get_absolute_url()}me-too/")
    cookie = response.cookies[COOKIE_NAME].value
    assert story.slug not in cookie
    claims = list(cache_expiries().values())
    assert len(claims) == 2  # this browser's claim, and the client's count for the story
    assert all(0 < left <= 3600 for left in claims)
    csrf_secret = client.cookies["csrftoken"].value
    assert csrf_secret not in shared_cache_text() + pages_cache_text()


@pytest.mark.django_db
def test_a_session_lasts_14_days_and_ends_at_sign_out(client):
    make_user("sam@example.org", password="a-good-long-pass-93")
    client.post("/accounts/login/", {"login": "sam@example.org", "password": "a-good-long-pass-93"})
    session = Session.objects.get()
    assert session.expire_date - timezone.now() > timedelta(days=14) - timedelta(minutes=1)
    assert session.expire_date - timezone.now() <= timedelta(days=14)
    client.post("/accounts/logout/")
    assert Session.objects.count() == 0


@pytest.mark.django_db
def test_the_daily_clean_up_deletes_ended_sessions(client):
    make_user("sam@example.org", password="a-good-long-pass-93")
    client.post("/accounts/login/", {"login": "sam@example.org", "password": "a-good-long-pass-93"})
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    live = Client()
    live.force_login(make_user("ada@example.org"))
    call_command("clearsessions")
    assert Session.objects.count() == 1
    assert Session.objects.get().session_key == live.session.session_key


# The worker closes its database connection, so it works on committed rows.
@pytest.mark.django_db(transaction=True)
def test_the_daily_clean_up_deletes_finished_email_jobs(
    client, settings, mailoutbox, no_writing_time
):
    settings.MODERATOR_EMAILS = ["mods@example.org"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.post(NEW, {**story_data(), "token": form_token(client), "step": "submit"})
    assert DBTaskResult.objects.count() == 0, "a story arriving queues nothing"
    call_command("notify_moderators")
    assert DBTaskResult.objects.count() == 1
    call_command("prune_db_task_results", "--min-age-days", "0")
    assert DBTaskResult.objects.count() == 1, "a job waiting to be sent is kept"

    call_command("db_worker", "--batch", "--no-startup-delay")
    assert len(mailoutbox) == 1
    call_command("prune_db_task_results", "--min-age-days", "0")
    assert DBTaskResult.objects.count() == 0
    # Only the operator's record that the command ran (its day, no time) still names it.
    assert every_row_as_text().count("notify_moderators") == 1
    assert CommandRun.objects.filter(command="notify_moderators").exists()
