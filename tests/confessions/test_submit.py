import re
import time
import uuid

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from confessions.forms import (
    EXPIRED_PROBLEM,
    HONEYPOT_PROBLEM,
    TOO_FAST_PROBLEM,
    ConfessionForm,
    SubmissionToken,
)
from confessions.models import SECTION_MAX, TITLE_MAX, Confession, Status
from confessions.receipts import receipt_hash
from tests.confessions.stories import (
    NEW,
    form_token,
    post_step,
    receipt_code_in,
    story_data,
    submit,
    tokens_in,
)

pytestmark = pytest.mark.django_db


def h1_count(response) -> int:
    return len(re.findall(r"<h1[\s>]", response.content.decode()))


def assert_not_stored(response):
    assert "no-store" in response["Cache-Control"]


def test_it_shows_the_form_with_the_terms_and_no_caching(client):
    response = client.get(NEW)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert h1_count(response) == 1
    body = response.content.decode()
    assert "published without attribution" in body
    assert "withdraw it at any time with the receipt code" in body
    assert 'name="consent"' in body
    assert len(tokens_in(response)) == 1


def test_the_form_keeps_a_draft_in_the_browser_until_the_story_is_received(client):
    form = client.get(NEW).content.decode()
    assert 'data-draft="story"' in form
    assert re.search(r'class="honeypot"[^>]*data-draft-ignore', form)
    assert '<script src="/static/js/draft.js" defer></script>' in form
    received = submit(client)[0].content.decode()
    assert 'data-draft-clear="story"' in received
    assert '<script src="/static/js/draft.js" defer></script>' in received


def test_each_form_gets_its_own_one_time_key(client):
    first = SubmissionToken.load(form_token(client))
    second = SubmissionToken.load(form_token(client))
    assert first.key != second.key


def test_the_honeypot_is_hidden_from_people_and_assistive_technology(client):
    body = client.get(NEW).content.decode()
    honeypot = re.search(r'<div class="honeypot" aria-hidden="true"[^>]*>(.*?)</div>', body, re.S)
    assert honeypot is not None
    assert 'name="website"' in honeypot.group(1)
    assert 'tabindex="-1"' in honeypot.group(1)
    assert 'autocomplete="off"' in honeypot.group(1)


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_it_answers_other_methods_with_405(client, method):
    assert getattr(client, method)(NEW).status_code == 405


def test_it_answers_head_like_get(client):
    response = client.head(NEW)
    assert response.status_code == 200
    assert Confession.objects.count() == 0


def test_it_previews_a_valid_story_without_storing_it(client):
    response = post_step(client, "preview")
    assert response.status_code == 200
    assert_not_stored(response)
    body = response.content.decode()
    assert "Check your story before you send it" in body
    assert "Nobody tested it with residents before launch." in body
    # The text travels on in the page itself, not in a draft kept on the server.
    assert 'type="hidden" name="what_learned"' not in body
    assert 'name="what_we_learned" value="Test with real users early, and often."' in body
    assert 'name="consent" value="True"' in body
    assert Confession.objects.count() == 0
    assert h1_count(response) == 1


def test_the_preview_quotes_each_identifying_detail_with_its_kind(client):
    response = post_step(
        client,
        "preview",
        what_happened="Email jo.bloggs@example.org or ring 0113 496 0000 about it.",
        what_we_learned="We should have told Sarah Jones at Leeds City Council sooner.",
    )
    body = response.content.decode()
    assert "Details that could identify people or organisations" in body
    assert "<q>jo.bloggs@example.org</q> &ndash; email address" in body
    assert "<q>0113 496 0000</q> &ndash; phone number" in body
    assert "<q>Sarah Jones</q> &ndash; name of a person" in body
    assert "<q>Leeds City Council</q> &ndash; name of an organisation" in body


def test_the_preview_says_when_it_found_nothing_identifying(client):
    body = post_step(client, "preview").content.decode()
    assert "We found no names, places, job titles, email addresses" in body
    assert "Details that could identify" not in body


def test_the_preview_escapes_what_was_typed(client):
    body = post_step(
        client, "preview", what_happened="<script>alert(1)</script> & more"
    ).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in body


def test_going_back_to_edit_keeps_everything_typed(client):
    token = tokens_in(post_step(client, "preview"))[0]
    response = post_step(client, "edit", token=token)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1>Share a story</h1>" in body
    assert 'value="The portal nobody could use"' in body
    assert "Nobody tested it with residents before launch.</textarea>" in body
    assert 'value="User research, Procurement"' in body
    assert re.search(r'<option value="local-government" selected>', body)
    assert re.search(r'name="consent"[^>]*checked', body)
    assert tokens_in(response) == [token]
    assert "There is a problem" not in body


def test_it_stores_a_pending_story_and_shows_its_receipt_code_once(client):
    token = tokens_in(post_step(client, "preview"))[0]
    response = post_step(client, "submit", token=token)
    assert response.status_code == 200
    assert_not_stored(response)
    code = receipt_code_in(response)
    assert re.fullmatch(r"[A-Z2-9]{4}(-[A-Z2-9]{4}){4}", code)
    assert h1_count(response) == 1

    confession = Confession.objects.get()
    assert confession.status == Status.PENDING
    assert confession.receipt_hash == receipt_hash(code)
    assert confession.submission_key == SubmissionToken.load(token).key
    assert confession.title == "The portal nobody could use"
    assert confession.slug.startswith("the-portal-nobody-could-use-")
    assert sorted(tag.name for tag in confession.tags.all()) == ["procurement", "user research"]
    assert confession.published_month is None
    assert confession.rejection_reason == ""


def test_a_retried_post_is_stored_once_and_is_told_it_was_already_sent(client):
    token = form_token(client)
    first = post_step(client, "submit", token=token)
    code = receipt_code_in(first)
    again = post_step(client, "submit", token=token)
    assert first.status_code == again.status_code == 200
    body = again.content.decode()
    assert "This story has already been sent" in body
    assert 'id="receipt-code"' not in body and code not in body
    assert Confession.objects.count() == 1


def test_a_post_with_a_used_key_and_another_issue_time_is_told_it_was_already_sent(client):
    token = SubmissionToken.load(form_token(client))
    post_step(client, "submit", token=token.dumps())
    other = SubmissionToken(key=token.key, issued_at=0)
    response = post_step(client, "submit", token=other.dumps())
    assert response.status_code == 200
    assert "We already have this story" in response.content.decode()
    assert 'id="receipt-code"' not in response.content.decode()
    assert Confession.objects.count() == 1


@pytest.mark.parametrize("token", ["", "not-a-token", "eyJrIjoiMSJ9:forged:signature"])
def test_a_missing_or_forged_token_is_refused_and_the_text_kept(client, token):
    response = post_step(client, "submit", token=token)
    assert response.status_code == 400
    body = response.content.decode()
    assert EXPIRED_PROBLEM in body
    assert "Nobody tested it with residents before launch.</textarea>" in body
    assert len(tokens_in(response)) == 1 and tokens_in(response)[0] != token
    assert Confession.objects.count() == 0


def test_a_filled_in_honeypot_is_refused(client):
    response = post_step(client, "submit", website="https://spam.example")
    assert response.status_code == 400
    assert HONEYPOT_PROBLEM in response.content.decode()
    assert Confession.objects.count() == 0


def test_a_quick_press_is_sent_back_once_in_neutral_words_and_the_next_goes_through(
    client, settings
):
    settings.CONFESSION_MIN_SECONDS = 60
    token = form_token(client)
    response = post_step(client, "preview", token=token)
    assert response.status_code == 400
    body = response.content.decode()
    assert TOO_FAST_PROBLEM in body
    assert "quicker" not in body and "person" not in TOO_FAST_PROBLEM
    assert "Nobody tested it with residents" in body
    # The same story (the same key), and a token that lets the next press through at once.
    again = tokens_in(response)
    assert len(again) == 1 and again[0] != token
    assert SubmissionToken.load(again[0]).key == SubmissionToken.load(token).key
    response = post_step(client, "submit", token=again[0])
    assert response.status_code == 200
    assert Confession.objects.count() == 1


def test_a_quick_press_with_mistakes_shows_the_field_errors_too(client, settings):
    settings.CONFESSION_MIN_SECONDS = 60
    response = post_step(client, "preview", title="")
    body = response.content.decode()
    assert TOO_FAST_PROBLEM in body
    assert "Enter a title" in body
    assert Confession.objects.count() == 0


def test_an_expired_form_is_sent_back_in_neutral_words_and_the_next_press_goes_through(
    client, settings
):
    settings.CONFESSION_MIN_SECONDS = 60
    response = post_step(client, "submit", token="not-a-token")
    assert EXPIRED_PROBLEM in response.content.decode()
    assert "expired" not in EXPIRED_PROBLEM
    response = post_step(client, "submit", token=tokens_in(response)[0])
    assert response.status_code == 200
    assert Confession.objects.count() == 1


def test_a_token_goes_back_into_the_page_as_it_came_even_seconds_later(client, monkeypatch):
    signed = form_token(client)
    token = SubmissionToken.load(signed)
    later = time.time() + 5
    monkeypatch.setattr(time, "time", lambda: later)
    assert token.dumps() == signed  # signed again, its signature's clock would restart
    fresh = SubmissionToken(key=token.key, issued_at=0)
    assert fresh.dumps() != signed


def test_a_post_after_the_minimum_time_is_accepted(client, settings):
    settings.CONFESSION_MIN_SECONDS = 60
    old = SubmissionToken.load(form_token(client))
    aged = SubmissionToken(key=old.key, issued_at=old.issued_at - 61)
    response = post_step(client, "submit", token=aged.dumps())
    assert response.status_code == 200
    assert Confession.objects.count() == 1


def test_it_limits_each_client_to_five_stories_an_hour_with_a_clear_429(client):
    for _ in range(5):
        assert submit(client)[0].status_code == 200
    response = post_step(client, "submit", what_happened="A sixth story, kept on the page.")
    assert response.status_code == 429
    body = response.content.decode()
    assert "Too many stories from your connection" in body
    assert 'name="what_happened" value="A sixth story, kept on the page."' in body
    assert Confession.objects.count() == 5
    # Another address is not affected.
    other = submit(client, headers={"REMOTE_ADDR": "198.51.100.23"})[0]
    assert other.status_code == 200


def test_a_retry_of_a_stored_story_is_not_counted_against_the_limit(client):
    tokens = [form_token(client) for _ in range(5)]
    for token in tokens:
        post_step(client, "submit", token=token)
    assert post_step(client, "submit", token=tokens[-1]).status_code == 200
    assert Confession.objects.count() == 5


def test_an_over_long_title_is_explained_beside_the_field_and_at_the_top(client):
    title = "x" * (TITLE_MAX + 1)
    response = post_step(client, "preview", title=title)
    assert response.status_code == 200
    body = response.content.decode()
    message = f"Title must be {TITLE_MAX} characters or fewer (it has {TITLE_MAX + 1})."
    summary = re.search(r'<div class="error-summary".*?</div>', body, re.S).group(0)
    assert f'<a href="#id_title">{message}</a>' in summary
    beside = (
        '<p class="field-error" id="id_title_error"><span class="visually-hidden">Error:</span>'
    )
    assert f"{beside} {message}</p>" in body
    assert re.search(r'<input[^>]*name="title"[^>]*aria-invalid="true"', body)
    assert re.search(r'aria-describedby="id_title_helptext id_title_error"', body)
    assert f'value="{title}"' in body
    assert "maxlength" not in body.split('name="title"')[1].split(">")[0]
    assert "<title>Error: Share a story" in body


def test_an_over_long_section_is_refused_with_the_text_kept(client):
    text = "y" * (SECTION_MAX + 1)
    response = post_step(client, "submit", what_went_wrong=text)
    body = response.content.decode()
    message = f"What went wrong and why must be {SECTION_MAX} characters or fewer (it has 5001)."
    assert message in body
    assert text in body
    assert Confession.objects.count() == 0


def test_sections_at_the_limit_are_accepted(client):
    response = post_step(client, "submit", title="t" * TITLE_MAX, what_happened="z" * SECTION_MAX)
    assert response.status_code == 200
    assert len(Confession.objects.get().what_happened) == SECTION_MAX


def test_null_characters_get_a_message_not_a_500(client):
    response = post_step(client, "submit", what_happened="before\x00after", title="a\x00b")
    assert response.status_code == 200
    assert "Remove the null characters from this text." in response.content.decode()
    assert Confession.objects.count() == 0


def test_other_control_characters_get_a_message(client):
    response = post_step(client, "submit", what_we_learned="bell\x07 here")
    assert "Remove the control characters" in response.content.decode()
    assert Confession.objects.count() == 0


def test_missing_answers_and_consent_are_each_explained(client):
    response = post_step(
        client, "preview", title="", sector="", what_happened="  ", consent="", tags=""
    )
    body = response.content.decode()
    for message in (
        "Enter a title",
        "Choose a sector",
        "Enter what happened",
        "Tick the box to agree to the terms",
    ):
        assert message in body
    assert "Nobody tested it with residents before launch.</textarea>" in body


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("sector", "ministry-of-magic", "Choose a sector"),
        ("impact", "catastrophic", "Choose an impact from the list"),
        ("organisation_size", "huge", "Choose a size from the list"),
        ("tags", ", ".join(f"topic{n}" for n in range(9)), "Choose at most 8 topics"),
        ("tags", "a" * 41, "Each topic must be 40 characters or fewer"),
        ("tags", '"---", ok', "Each topic needs at least one letter or number"),
    ],
)
def test_bad_choices_and_topics_are_explained(client, field, value, message):
    response = post_step(client, "submit", **{field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Confession.objects.count() == 0


def test_the_form_is_identical_for_signed_in_people(client, django_user_model):
    anonymous = client.get(NEW).content.decode()
    user = django_user_model.objects.create_user("reader", "reader@example.org", "pw-long-12345")
    client.force_login(user)
    signed_in = client.get(NEW).content.decode()

    def form_of(page):
        form = re.search(r'<form method="post" action="/confessions/new/".*?</form>', page, re.S)
        return re.sub(r'value="[^"]{40,}"', 'value="…"', form.group(0))

    assert form_of(anonymous) == form_of(signed_in)


def test_a_story_arriving_queues_no_task_and_sends_no_email(
    client, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.MODERATOR_EMAILS = ["mods@example.org"]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        submit(client)
    assert callbacks == []
    assert mailoutbox == []


FIELDS = [*ConfessionForm.STORY_FIELDS, "consent", "website", "step", "token"]
# Anything a person or a program could type, short of unencodable lone surrogates.
ANY_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=300) | st.sampled_from(
    ["\x00", "x" * (SECTION_MAX + 5), "<script>alert(1)</script>", "'; DROP TABLE x; --", "∑ 🙂"]
)


@given(field=st.sampled_from(FIELDS), value=ANY_TEXT)
@hypothesis_settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_no_input_in_any_field_gets_a_500_or_stores_a_refused_story(client, field, value):
    cache.clear()  # each example starts below the rate limit
    token = form_token(client)
    data = story_data(**{"step": "submit", "token": token, field: value})
    before = Confession.objects.count()
    response = client.post(NEW, data)
    assert response.status_code in (200, 400, 429)
    body = response.content.decode()
    assert "<script>alert(1)</script>" not in body
    stored = Confession.objects.count() - before
    if 'id="receipt-code"' in body:
        assert stored == 1
        confession = Confession.objects.get(submission_key=SubmissionToken.load(token).key)
        if field in ConfessionForm.TEXT_FIELDS:
            assert getattr(confession, field) == value.strip()
    else:
        assert stored == 0


def test_an_unknown_step_shows_the_preview(client):
    response = post_step(client, "something-else")
    assert response.status_code == 200
    assert "Check your story before you send it" in response.content.decode()
    assert Confession.objects.count() == 0


def test_tokens_do_not_carry_over_between_forms():
    assert SubmissionToken.load(None) is None
    token = SubmissionToken(key=uuid.uuid4(), issued_at=0)
    assert SubmissionToken.load(token.dumps() + "tampered") is None


@pytest.mark.parametrize("step", [None, "preview", "submit"])
def test_the_story_pages_send_the_security_headers(client, step):
    response = client.get(NEW) if step is None else post_step(client, step)
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    body = response.content.decode()
    assert " style=" not in body and "<script>" not in body and " onclick=" not in body
