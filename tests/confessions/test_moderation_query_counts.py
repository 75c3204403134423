"""The moderation queue and its bulk actions run a fixed number of queries per story, however
many stories are chosen: no N+1 in the admin."""

import pytest

from confessions.models import Confession, Status
from tests.confessions.stories import CHANGELIST, action, make_confession

pytestmark = pytest.mark.django_db


def pending(count: int) -> list[Confession]:
    return [
        make_confession(title=f"Pending story {n}", tags=["a", "b", "c"])[0] for n in range(count)
    ]


@pytest.mark.parametrize("stories", [2, 12])
def test_it_shows_the_queue_in_a_fixed_number_of_queries(
    moderator_client, django_assert_max_num_queries, stories
):
    pending(stories)
    with django_assert_max_num_queries(12):
        response = moderator_client.get(CHANGELIST)
    assert response.status_code == 200


@pytest.mark.parametrize("stories", [2, 12])
def test_it_approves_a_selection_in_a_bounded_number_of_queries_per_story(
    moderator_client, django_assert_max_num_queries, stories
):
    chosen = pending(stories)
    # Each approval, in its own savepoint: lock the story, ask whether it was published before,
    # validate it (three unique fields, one check) and save it, clear its readers' reports,
    # validate and record the decision, give it its place among first publications (digests).
    # The rest is the admin's own: session, user,
    # permissions, counts.
    with django_assert_max_num_queries(13 + 16 * stories):
        response = action(moderator_client, "approve_selected", *chosen)
    assert response.status_code == 302
    assert Confession.objects.filter(status=Status.APPROVED).count() == stories


@pytest.mark.parametrize("stories", [2, 12])
def test_it_sends_a_selection_back_in_a_bounded_number_of_queries_per_story(
    moderator_client, django_assert_max_num_queries, stories
):
    chosen = pending(stories)
    with django_assert_max_num_queries(13 + 13 * stories):
        response = action(moderator_client, "return_to_pending_selected", *chosen)
    assert response.status_code == 302
