"""Tags are shared by stories and events, parsed one way everywhere, and managed in the admin."""

import pytest
from django.contrib.auth.models import User
from taggit.models import Tag

from confessions.models import Sector, TaggedStory
from events.models import TaggedEvent
from failshare.tagging import edit_string_for_tags, parse_tags
from tests.confessions.factories import make_story
from tests.events.conftest import make_event
from tests.people import give_second_factor

pytestmark = pytest.mark.django_db


def test_it_splits_tags_at_commas_only():
    assert parse_tags("user research, Procurement,  digital   by default,,") == [
        "user research",
        "procurement",
        "digital by default",
    ]


def test_it_writes_tags_back_as_they_would_be_typed():
    tags = [Tag(name="user research"), Tag(name="agile")]
    assert edit_string_for_tags(tags) == "agile, user research"
    assert parse_tags(edit_string_for_tags(tags)) == ["agile", "user research"]


@pytest.fixture
def admin_client(client):
    root = User.objects.create_superuser("root", "root@example.org", "x" * 20)
    give_second_factor(root)
    client.force_login(root)
    return client


def test_the_admin_keeps_a_tag_with_a_space_as_one_tag(admin_client):
    event = make_event()
    url = f"/admin/events/event/{event.pk}/change/"
    form = admin_client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(
        {
            "tags": "user research, procurement",
            "starts_at_0": event.starts_at.strftime("%Y-%m-%d"),
            "starts_at_1": event.starts_at.strftime("%H:%M:%S"),
            "ends_at_0": event.ends_at.strftime("%Y-%m-%d"),
            "ends_at_1": event.ends_at.strftime("%H:%M:%S"),
            "questions-TOTAL_FORMS": "0",
            "questions-INITIAL_FORMS": "0",
        }
    )
    for name in ("registration_opens_at", "registration_closes_at", "capacity"):
        data.pop(name, None)
    data["capacity"] = event.capacity
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert sorted(event.tags.names()) == ["procurement", "user research"]


def test_merging_tags_in_the_admin_moves_stories_and_events_to_the_new_tag(admin_client):
    story = make_story(tags=("digital", "websites"))
    other = make_story(tags=("websites",))
    event = make_event()
    event.tags.add("digital")
    merged = list(Tag.objects.filter(name__in=["digital", "websites"]).values_list("pk", flat=True))

    response = admin_client.post(
        "/admin/taggit/tag/",
        {"action": "render_tag_form", "_selected_action": merged, "index": 0},
    )
    assert response.status_code == 302
    response = admin_client.post("/admin/taggit/tag/merge-tags/", {"new_tag_name": "online"})
    assert response.status_code == 302

    assert list(Tag.objects.values_list("name", flat=True)) == ["online"]
    assert [t.name for t in story.tags.all()] == ["online"]
    assert [t.name for t in other.tags.all()] == ["online"]
    assert [t.name for t in event.tags.all()] == ["online"]
    assert TaggedStory.objects.count() == 2 and TaggedEvent.objects.count() == 1


def test_merging_tags_needs_permission_to_change_tags(client):
    staff = User.objects.create_user("staff", "s@example.org", "x" * 20, is_staff=True)
    client.force_login(staff)
    assert client.post("/admin/taggit/tag/merge-tags/", {"new_tag_name": "x"}).status_code == 403


def test_the_tag_page_is_shown_for_a_tag_used_only_by_an_event(client):
    event = make_event()
    event.tags.add("facilitation")
    assert client.get("/tags/facilitation/").status_code == 200


def test_the_tag_page_is_hidden_for_a_tag_used_only_by_stories_waiting(client):
    make_story(status="pending", tags=("secret project",))
    assert client.get("/tags/secret-project/").status_code == 404


def test_a_cards_tag_links_go_to_the_tag_page_in_the_pages_language(client):
    story = make_story(title="The rota that forgot Fridays")
    story.tags.add("rota planning")
    english = client.get("/confessions/").content.decode()
    welsh = client.get("/cy/confessions/").content.decode()
    assert 'class="tag" href="/tags/rota-planning/"' in english
    assert 'class="tag" href="/cy/tags/rota-planning/"' in welsh
    assert client.get("/cy/tags/rota-planning/").status_code == 200


def test_a_card_names_its_sector_as_the_sector_choices_do(client):
    make_story(title="The rota that forgot Fridays", sector=Sector.SOCIAL_CARE)
    assert "Social care &middot;" in client.get("/confessions/").content.decode()
    assert "Gofal cymdeithasol &middot;" in client.get("/cy/confessions/").content.decode()
