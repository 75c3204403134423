import datetime
import re

import pytest
from django.contrib.auth.models import Permission, User
from django.utils import timezone

from confessions.conversation_services import writer_agrees
from confessions.models import Confession, Decision, ModerationDecision, Status
from confessions.services import confession_approve
from tests.confessions.stories import (
    CHANGELIST,
    RECEIPT,
    REJECT,
    action,
    change_form_data,
    change_url,
    make_confession,
)

pytestmark = pytest.mark.django_db


def test_the_queue_shows_pending_stories_first(moderator_client, moderator):
    older_pending, _ = make_confession(title="Older pending")
    approved, _ = make_confession(title="Already approved")
    confession_approve(confession=approved, moderator=moderator)
    newer_pending, _ = make_confession(title="Newer pending")
    Confession.objects.filter(pk=older_pending.pk).update(
        submitted_on=timezone.localdate() - datetime.timedelta(days=3)
    )
    body = moderator_client.get(CHANGELIST).content.decode()
    positions = [
        body.index(title) for title in ("Newer pending", "Older pending", "Already approved")
    ]
    assert positions == sorted(positions)


def test_the_admin_index_counts_pending_stories(moderator_client, moderator):
    for _ in range(3):
        make_confession()
    approved, _ = make_confession()
    confession_approve(confession=approved, moderator=moderator)
    body = moderator_client.get("/admin/").content.decode()
    assert "3 stories waiting for a moderator" in body
    assert f"{CHANGELIST}?status__exact=pending" in body


def test_the_queue_filters_by_status_and_sector(moderator_client, moderator):
    make_confession(title="Pending health story", sector="health")
    make_confession(title="Pending housing story", sector="housing")
    approved, _ = make_confession(title="Approved health story", sector="health")
    confession_approve(confession=approved, moderator=moderator)
    body = moderator_client.get(CHANGELIST, {"status__exact": "pending", "sector__exact": "health"})
    body = body.content.decode()
    assert "Pending health story" in body
    assert "Pending housing story" not in body
    assert "Approved health story" not in body


def test_the_queue_searches_the_text_of_stories(moderator_client):
    make_confession(title="Spreadsheets", what_happened="The macro deleted every invoice.")
    make_confession(title="Hashtags")
    body = moderator_client.get(CHANGELIST, {"q": "invoices"}).content.decode()
    assert "Spreadsheets" in body
    assert "Hashtags" not in body


@pytest.mark.parametrize("query", ["!!!", "' OR 1=1 --", '"unclosed', "a & | ! b", "\u2603" * 300])
def test_odd_searches_get_a_page_not_an_error(moderator_client, query):
    make_confession()
    assert moderator_client.get(CHANGELIST, {"q": query}).status_code == 200


def test_the_queue_runs_the_same_queries_for_many_stories(
    moderator_client, django_assert_max_num_queries
):
    make_confession(tags=["a", "b"])
    with django_assert_max_num_queries(12) as few:
        moderator_client.get(CHANGELIST)
    for n in range(30):
        make_confession(title=f"Story {n}", tags=[f"tag{n}", "shared"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = moderator_client.get(CHANGELIST)
    assert (
        "tag29, shared" in response.content.decode() or "shared, tag29" in response.content.decode()
    )


def test_moderators_see_the_fields_the_public_will_see(moderator_client):
    confession, _ = make_confession(what_happened="Email jo@example.org about it.")
    body = moderator_client.get(change_url(confession)).content.decode()
    for field in (
        "title",
        "sector",
        "organisation_size",
        "impact",
        "tags",
        "what_happened",
        "what_went_wrong",
        "what_we_learned",
        "what_we_would_do_differently",
    ):
        assert f'name="{field}"' in body
    assert "receipt_hash" not in body and "submission_key" not in body
    assert "“jo@example.org” (email address)" in body


def test_there_is_no_way_to_add_a_story_in_the_admin(moderator_client, admin_client):
    assert moderator_client.get(CHANGELIST + "add/").status_code == 403
    assert admin_client.get(CHANGELIST + "add/").status_code == 403


def test_approving_publishes_the_story_this_month_and_records_who(moderator_client, moderator):
    confession, code = make_confession()
    response = action(moderator_client, "approve_selected", confession)
    assert response.status_code == 302
    confession.refresh_from_db()
    assert confession.status == Status.APPROVED
    assert confession.published_month == timezone.localdate().replace(day=1)
    decision = ModerationDecision.objects.get(confession=confession)
    assert (decision.decision, decision.moderator) == (Decision.APPROVED, moderator)
    assert moderator_client.get(confession.get_absolute_url()).status_code == 200


def test_approving_many_at_once(moderator_client):
    stories = [make_confession()[0] for _ in range(3)]
    action(moderator_client, "approve_selected", *stories)
    assert Confession.objects.published().count() == 3
    assert ModerationDecision.objects.filter(decision=Decision.APPROVED).count() == 3


def test_the_public_address_comes_from_the_moderated_title(moderator_client):
    confession, _ = make_confession(title="How Leeds City Council lost the plot")
    moderator_client.post(
        change_url(confession),
        change_form_data(confession, title="How a council lost the plot", _approve="1"),
    )
    # A rewording (not only a redaction) is published once the writer agrees to it.
    confession.refresh_from_db()
    assert confession.status == Status.PENDING
    writer_agrees(confession=confession)
    confession.refresh_from_db()
    assert confession.status == Status.APPROVED
    assert confession.slug.startswith("how-a-council-lost-the-plot-")
    decisions = list(confession.decisions.order_by("id").values_list("decision", "reason"))
    assert decisions == [
        (Decision.EDITED, "Changed: title"),
        (Decision.ASKED_CONSENT, ""),
        (Decision.WRITER_AGREED, ""),
    ]


def test_a_public_page_is_refreshed_when_the_story_is_approved(
    client, moderator_client, django_capture_on_commit_callbacks
):
    confession, _ = make_confession()
    with django_capture_on_commit_callbacks(execute=True):
        slug_before = confession.slug
        assert client.get(f"/confessions/{slug_before}/").status_code == 404
        action(moderator_client, "approve_selected", confession)
    confession.refresh_from_db()
    assert client.get(confession.get_absolute_url()).status_code == 200


def test_rejecting_asks_for_a_reason_on_a_page_of_its_own(moderator_client, moderator):
    first, first_code = make_confession(title="First to reject")
    second, _ = make_confession(title="Second to reject")
    response = action(moderator_client, "reject_selected", first, second)
    assert response.status_code == 302
    assert response["Location"].startswith(REJECT)

    page = moderator_client.get(response["Location"])
    assert page.status_code == 200
    body = page.content.decode()
    assert "First to reject" in body and "Second to reject" in body
    assert 'name="reason"' in body

    ids = f"{first.pk},{second.pk}"
    missing = moderator_client.post(REJECT, {"ids": ids, "reason": "  "})
    assert missing.status_code == 200
    assert "Give a reason for the writer" in missing.content.decode()
    assert Confession.objects.filter(status=Status.REJECTED).count() == 0

    done = moderator_client.post(REJECT, {"ids": ids, "reason": "It names a council."})
    assert done.status_code == 302
    for confession in (first, second):
        confession.refresh_from_db()
        assert confession.status == Status.REJECTED
        assert confession.rejection_reason == "It names a council."
        decision = confession.decisions.get()
        assert (decision.decision, decision.reason, decision.moderator) == (
            Decision.REJECTED,
            "It names a council.",
            moderator,
        )
    # The writer reads the reason with their code.
    assert (
        "It names a council."
        in moderator_client.post(RECEIPT, {"code": first_code}).content.decode()
    )


def test_rejecting_from_the_story_page_goes_to_the_reason_page(moderator_client):
    confession, _ = make_confession()
    response = moderator_client.post(
        change_url(confession), change_form_data(confession, _reject="1")
    )
    assert response.status_code == 302
    assert response["Location"] == f"{REJECT}?ids={confession.pk}"


def test_the_reason_page_without_stories_goes_back_to_the_queue(moderator_client):
    response = moderator_client.get(REJECT, {"ids": "nonsense,,99999"})
    assert response.status_code == 302
    assert response["Location"] == CHANGELIST


def test_sending_back_to_pending_unpublishes(moderator_client, moderator, client):
    confession, _ = make_confession()
    confession = confession_approve(confession=confession, moderator=moderator)
    action(moderator_client, "return_to_pending_selected", confession)
    confession.refresh_from_db()
    assert confession.status == Status.PENDING
    assert client.get(confession.get_absolute_url()).status_code == 404
    assert confession.decisions.filter(decision=Decision.RETURNED).count() == 1


def test_a_redaction_is_saved_and_recorded(moderator_client, moderator):
    confession, _ = make_confession(what_happened="Sarah Jones at Leeds told us.")
    response = moderator_client.post(
        change_url(confession),
        change_form_data(confession, what_happened="[a colleague] told us.", tags="portals"),
    )
    assert response.status_code == 302
    confession.refresh_from_db()
    assert confession.what_happened == "[a colleague] told us."
    assert [tag.name for tag in confession.tags.all()] == ["portals"]
    assert confession.status == Status.PENDING
    decision = confession.decisions.get()
    assert decision.decision == Decision.EDITED
    assert decision.moderator == moderator
    assert decision.reason == "Changed: tags, what happened"


def test_saving_without_changes_records_nothing(moderator_client):
    confession, _ = make_confession()
    moderator_client.post(change_url(confession), change_form_data(confession))
    assert confession.decisions.count() == 0


def test_an_edit_does_not_undo_a_decision_taken_meanwhile(moderator_client, moderator):
    confession, _ = make_confession()
    # A redaction, which a published story keeps (a rewording would wait for the writer).
    redacted_title = "[removed] " + confession.title.split(" ", 1)[1]
    stale_form = change_form_data(confession, title=redacted_title)
    confession_approve(confession=confession, moderator=moderator)
    moderator_client.post(change_url(confession), stale_form)
    confession.refresh_from_db()
    assert confession.title == redacted_title
    assert confession.status == Status.APPROVED


def test_bad_input_in_a_redaction_gets_a_message(moderator_client):
    confession, _ = make_confession()
    response = moderator_client.post(
        change_url(confession), change_form_data(confession, what_happened="bad\x00byte")
    )
    assert response.status_code == 200
    assert "Null characters are not allowed" in response.content.decode()


def test_the_story_page_shows_every_decision(moderator_client, moderator):
    confession, _ = make_confession()
    confession_approve(confession=confession, moderator=moderator)
    moderator_client.post(REJECT, {"ids": str(confession.pk), "reason": "Too specific."})
    body = moderator_client.get(change_url(confession)).content.decode()
    assert "Decisions about this story" in body
    rows = re.findall(r'<tr class="decision">(.*?)</tr>', body, re.S)
    cells = [[cell.strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)] for row in rows]
    assert [row[1:] for row in cells] == [
        ["Rejected", "moderator", "Too specific."],
        ["Approved", "moderator", ""],
    ]
    assert all(re.fullmatch(r"\d{1,2} \w{3} \d{4}, \d{2}:\d{2}", row[0]) for row in cells)


def test_withdrawn_stories_are_left_alone(moderator_client, client):
    confession, code = make_confession()
    client.post(RECEIPT, {"code": code, "action": "withdraw", "confirm": "on"})
    action(moderator_client, "approve_selected", confession)
    confession.refresh_from_db()
    assert confession.status == Status.WITHDRAWN
    body = moderator_client.get(change_url(confession)).content.decode()
    assert 'name="what_happened"' not in body
    assert 'name="_approve"' not in body


def test_the_audit_trail_is_read_only(moderator_client, moderator):
    confession, _ = make_confession()
    confession_approve(confession=confession, moderator=moderator)
    decision = ModerationDecision.objects.get()
    assert moderator_client.get("/admin/confessions/moderationdecision/").status_code == 200
    page = moderator_client.get(f"/admin/confessions/moderationdecision/{decision.pk}/change/")
    assert page.status_code == 200
    assert 'name="reason"' not in page.content.decode()


# A staff member who is not a moderator (an organiser, say) cannot moderate.


def test_staff_outside_moderators_cannot_see_the_queue(client, outsider_staff):
    client.force_login(outsider_staff)
    assert client.get(CHANGELIST).status_code == 403
    assert "waiting for a moderator" not in client.get("/admin/").content.decode()


def test_staff_outside_moderators_cannot_approve_or_reject(client, outsider_staff):
    confession, _ = make_confession()
    client.force_login(outsider_staff)
    assert action(client, "approve_selected", confession).status_code == 403
    assert client.get(REJECT, {"ids": confession.pk}).status_code == 403
    assert client.post(REJECT, {"ids": confession.pk, "reason": "No."}).status_code == 403
    assert (
        client.post(change_url(confession), change_form_data(confession, _approve="1")).status_code
        == 403
    )
    confession.refresh_from_db()
    assert confession.status == Status.PENDING
    assert ModerationDecision.objects.count() == 0


def test_staff_who_may_only_look_cannot_approve(client):
    viewer = User.objects.create_user(
        "viewer", "v@example.org", "a-long-password-42", is_staff=True
    )
    viewer.user_permissions.add(Permission.objects.get(codename="view_confession"))
    confession, _ = make_confession()
    client.force_login(viewer)
    assert client.get(CHANGELIST).status_code == 200
    action(client, "approve_selected", confession)
    assert client.get(REJECT, {"ids": confession.pk}).status_code == 403
    confession.refresh_from_db()
    assert confession.status == Status.PENDING
    body = client.get(change_url(confession)).content.decode()
    assert 'name="_approve"' not in body


def test_the_changelist_offers_the_moderation_actions(moderator_client):
    make_confession()
    body = moderator_client.get(CHANGELIST).content.decode()
    for name in ("approve_selected", "reject_selected", "return_to_pending_selected"):
        assert re.search(rf'<option value="{name}"', body)
