"""Responses and resources record the language they are written in, as stories do, and their
text is marked with it wherever it is shown."""

import pytest

from confessions.conversation import ResponseStatus, StoryResponse
from confessions.resources.models import Resource, ResourceStatus
from failshare.models import ContentLanguage
from tests.confessions.factories import make_story
from tests.confessions.test_responses import respond_url, token_in
from tests.resources.test_resources import _suggest

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_wait(settings):
    settings.CONFESSION_MIN_SECONDS = 0


def respond(client, story, prefix="", **fields):
    path = prefix + respond_url(story)
    data = {"text": "Gwnaethon ni'r un peth.", "step": "send", "website": ""}
    return client.post(path, {**data, "token": token_in(client.get(path)), **fields})


@pytest.mark.parametrize(
    ("prefix", "chosen", "stored"),
    [("/cy", "", "cy"), ("", "", "en"), ("", "cy", "cy"), ("/cy", "en", "en")],
)
def test_a_response_keeps_its_language(client, prefix, chosen, stored):
    story = make_story()
    assert respond(client, story, prefix, language=chosen).status_code == 200
    assert StoryResponse.objects.get().language == stored


def test_the_response_form_offers_the_pages_language_first(client):
    story = make_story()
    body = client.get("/cy" + respond_url(story)).content.decode()
    assert '<option value="cy" selected>Cymraeg</option>' in body


def test_a_published_response_is_marked_with_its_language(client):
    story = make_story()
    StoryResponse.objects.create(
        confession=story,
        text="Digwyddodd hyn i ni hefyd.",
        status=ResponseStatus.APPROVED,
        published_month=story.published_month,
        language=ContentLanguage.WELSH,
    )
    body = client.get(story.get_absolute_url()).content.decode()
    assert '<div lang="cy"><p>Digwyddodd hyn i ni hefyd.</p></div>' in body


def test_a_resource_keeps_its_language_and_is_marked_with_it(client):
    assert _suggest(client, language="cy").status_code == 200
    resource = Resource.objects.get()
    assert resource.language == ContentLanguage.WELSH
    Resource.objects.filter(pk=resource.pk).update(status=ResourceStatus.APPROVED)
    body = client.get("/cy/resources/").content.decode()
    assert f'<p lang="cy">{resource.description}</p>' in body


def test_an_unknown_language_is_refused(client):
    response = _suggest(client, language="xx")
    assert not Resource.objects.exists()
    assert "Choose a language from the list" in response.content.decode()
