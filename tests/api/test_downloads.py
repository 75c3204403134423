"""Bulk downloads: built once per version of the published stories, never per request."""

import csv
import gzip
import io
import json

from django.core.management import call_command
from django.urls import reverse

from confessions.api.models import OpenDataExport
from confessions.models import Status
from tests.confessions.factories import make_story


def _build():
    call_command("build_open_data", stdout=io.StringIO())


def test_before_the_first_build_it_says_to_come_back_and_queues_one(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    make_story()
    response = client.get("/api/downloads/stories.csv.gz")

    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert len(default_task_backend.results) == 1
    # A second request while it is queued queues nothing more.
    client.get("/api/downloads/stories.jsonl.gz")
    assert len(default_task_backend.results) == 1


def test_the_csv_holds_every_published_story_and_nothing_else(client):
    story = make_story(
        title="A story, with a comma", tags=("cloud", "budgets"), causes=["procurement", "data"]
    )
    make_story(status=Status.PENDING)
    _build()

    response = client.get("/api/downloads/stories.csv.gz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/gzip"
    assert "CC BY 4.0" in response["X-Licence"]
    rows = list(csv.DictReader(io.StringIO(gzip.decompress(response.content).decode())))
    assert [row["title"] for row in rows] == ["A story, with a comma"]
    assert rows[0]["url"].endswith(story.get_absolute_url())
    assert sorted(rows[0]["tags"].split(",")) == ["budgets", "cloud"]
    assert rows[0]["causes"] == "procurement,data"
    assert "receipt_hash" not in rows[0]


def test_the_json_lines_hold_one_story_a_line(client):
    make_story(title="First")
    make_story(title="Second")
    _build()

    body = gzip.decompress(client.get("/api/downloads/stories.jsonl.gz").content).decode()

    assert sorted(json.loads(line)["title"] for line in body.splitlines()) == ["First", "Second"]


def test_a_request_never_builds_and_a_change_queues_a_rebuild(client, settings):
    make_story(title="First")
    _build()
    built = OpenDataExport.objects.get(format="csv")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    make_story(title="Second")
    stale = client.get("/api/downloads/stories.csv.gz")

    # The last build is served as it is, and a rebuild is queued.
    assert stale.status_code == 200
    assert stale["X-Stories"] == "1"
    assert OpenDataExport.objects.get(format="csv").version == built.version
    assert len(default_task_backend.results) == 1

    _build()
    fresh = client.get("/api/downloads/stories.csv.gz")
    assert fresh["X-Stories"] == "2"


def test_building_twice_without_a_change_builds_nothing(client):
    make_story()
    _build()
    out = io.StringIO()
    call_command("build_open_data", stdout=out)
    assert out.getvalue() == ""


def test_an_unchanged_download_answers_304(client):
    make_story()
    _build()
    etag = client.get("/api/downloads/stories.csv.gz")["ETag"]
    again = client.get("/api/downloads/stories.csv.gz", headers={"If-None-Match": etag})
    assert again.status_code == 304


def test_an_unknown_download_is_404(client):
    assert client.get("/api/downloads/stories.xml").status_code == 404


def test_the_open_data_page_lists_the_downloads_once_built(client):
    make_story()
    assert "being prepared" in client.get("/api/").content.decode()
    _build()
    page = client.get("/api/").content.decode()
    assert "/api/downloads/stories.csv.gz" in page
    assert "1 story," in page


def test_withdrawing_a_story_rebuilds_the_downloads_without_its_text(
    client, django_capture_on_commit_callbacks
):
    from confessions.services import confession_withdraw

    story = make_story(title="Soon withdrawn")
    _build()
    with django_capture_on_commit_callbacks(execute=True):
        confession_withdraw(confession=story)  # the task runs at once in tests

    body = gzip.decompress(client.get("/api/downloads/stories.csv.gz").content).decode()
    assert "Soon withdrawn" not in body


def test_withdrawing_keeps_a_tag_a_resource_still_uses(client):
    from taggit.models import Tag

    from confessions.resources.models import Resource
    from confessions.services import confession_withdraw

    story = make_story(tags=("shared-tag",))
    resource = Resource.objects.create(
        title="Guide", url="https://example.org/", description="x", status="approved"
    )
    resource.tags.add("shared-tag")
    confession_withdraw(confession=story)
    assert Tag.objects.filter(slug="shared-tag").exists()


def test_the_story_form_states_the_licence_the_open_data_is_under(client):
    form = client.get(reverse("confessions:new")).content.decode()
    assert "open data under the Creative Commons Attribution 4.0 International (CC BY 4.0)" in form
    welsh = client.get("/cy/confessions/new/").content.decode()
    assert "CC BY 4.0" in welsh
