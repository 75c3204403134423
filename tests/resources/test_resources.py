"""The resources library: suggesting (spam guards), moderating, listing, filtering, tag pages."""

import re

from confessions.forms import SubmissionToken
from confessions.models import Cause
from confessions.resources.models import Resource, ResourceStatus
from tests.confessions.factories import make_story


def make_resource(title="A guide to buying software", tags=(), **fields):
    defaults = {
        "url": "https://www.example.org/guides/buying",
        "description": "How to ask suppliers the right questions.",
        "status": ResourceStatus.APPROVED,
    }
    resource = Resource.objects.create(title=title, **{**defaults, **fields})
    if tags:
        resource.tags.add(*tags)
    return resource


def _suggest(client, **fields):
    data = {
        "title": "Service manual",
        "url": "https://manual.example.org/",
        "description": "Plain advice on running services.",
        "causes": ["requirements"],
        "tags": "user research, agile",
        "token": SubmissionToken.issue().dumps(),
        **fields,
    }
    return client.post("/resources/suggest/", data)


def test_a_suggestion_waits_for_a_moderator(client):
    response = _suggest(client)
    assert response.status_code == 200
    assert "Thank you" in response.content.decode()
    resource = Resource.objects.get()
    assert resource.status == ResourceStatus.PENDING
    assert sorted(tag.name for tag in resource.tags.all()) == ["agile", "user research"]
    assert "Service manual" not in client.get("/resources/").content.decode()


def test_spam_guards_refuse_robots(client, settings):
    assert _suggest(client, website="http://spam.example").status_code == 400
    assert _suggest(client, token="forged").status_code == 400
    settings.CONFESSION_MIN_SECONDS = 60
    assert _suggest(client).status_code == 400
    assert Resource.objects.count() == 0


def test_too_many_suggestions_from_one_client_are_refused(client):
    for i in range(5):
        _suggest(client, title=f"Guide {i}")
    assert _suggest(client, title="One more").status_code == 429
    assert Resource.objects.count() == 5


def test_bad_input_keeps_what_was_typed(client):
    response = _suggest(client, url="javascript:alert(1)", title="")
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Plain advice on running services." in page
    assert Resource.objects.count() == 0


def test_approved_resources_show_the_domain_and_open_safely(client):
    make_resource()
    page = client.get("/resources/").content.decode()
    assert re.search(
        r'<a href="https://www.example.org/guides/buying" rel="noopener nofollow ugc" lang="en">',
        page,
    )
    assert "(example.org)" in page


def test_the_list_filters_by_tag_and_cause(client):
    make_resource("Tagged and caused", tags=("cloud",), causes=[Cause.DATA])
    make_resource("Tagged only", tags=("cloud",))
    make_resource("Neither")
    page = client.get("/resources/?tag=cloud&cause=data").content.decode()
    assert "Tagged and caused" in page
    assert "Tagged only" not in page and "Neither" not in page


def test_pending_and_rejected_are_not_listed(client):
    make_resource("Waiting", status=ResourceStatus.PENDING)
    make_resource("Refused", status=ResourceStatus.REJECTED)
    page = client.get("/resources/").content.decode()
    assert "Waiting" not in page and "Refused" not in page


def test_the_cached_list_goes_stale_when_a_resource_is_approved(client):
    resource = make_resource("Soon listed", status=ResourceStatus.PENDING)
    assert "Soon listed" not in client.get("/resources/").content.decode()
    Resource.objects.filter(pk=resource.pk).update(status=ResourceStatus.APPROVED)
    assert "Soon listed" in client.get("/resources/").content.decode()


def test_the_tag_page_shows_its_resources(client):
    make_story(tags=("cloud",))
    make_resource("Cloud buying guide", tags=("cloud",))
    page = client.get("/tags/cloud/").content.decode()
    assert "Cloud buying guide" in page
    assert 'rel="noopener nofollow ugc"' in page


def test_a_tag_with_only_a_resource_has_a_page(client):
    make_resource("Lonely guide", tags=("lonely",))
    assert client.get("/tags/lonely/").status_code == 200


def test_the_list_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    make_resource(tags=("a", "b"))
    with django_assert_max_num_queries(5):
        client.get("/resources/?cause=data")
    for i in range(30):
        make_resource(f"Guide {i}", tags=("a", "b", "c"), causes=[Cause.DATA])
    with django_assert_max_num_queries(5):
        assert client.get("/resources/").content.decode().count("nofollow ugc") == 31


def test_moderators_approve_in_the_admin(moderator_client):
    resource = make_resource("To approve", status=ResourceStatus.PENDING)
    response = moderator_client.post(
        "/admin/confessions/resource/",
        {"action": "approve_selected", "_selected_action": [resource.pk]},
    )
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.APPROVED


def test_a_resource_holds_nothing_about_who_suggested_it():
    fields = {field.name for field in Resource._meta.get_fields()}
    assert not fields & {"user", "ip", "user_agent", "created_at", "email"}
