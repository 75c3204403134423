"""A story records the language it is written in: offered first in the page's language."""

import re

import pytest

from confessions.models import Confession
from tests.confessions.stories import story_data

WELSH_NEW = "/cy/confessions/new/"


def selected_language(body: str) -> str:
    select = re.search(r'<select name="language"[^>]*>(.*?)</select>', body, re.S).group(1)
    return re.search(r'<option value="(\w+)" selected', select).group(1)


def send(client, path: str, **fields):
    page = client.get(path).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    return client.post(path, {**story_data(**fields), "token": token, "step": "submit"})


def test_the_form_offers_the_pages_language_first(client):
    assert selected_language(client.get("/confessions/new/").content.decode()) == "en"
    assert selected_language(client.get(WELSH_NEW).content.decode()) == "cy"


@pytest.mark.parametrize(
    ("path", "chosen", "stored"),
    [
        ("/confessions/new/", "cy", "cy"),  # a Welsh story sent from the English page
        (WELSH_NEW, "en", "en"),
        (WELSH_NEW, "", "cy"),  # a form from before the question: the page's language
        ("/confessions/new/", "", "en"),
    ],
)
def test_the_story_keeps_the_language_chosen(client, path, chosen, stored):
    assert send(client, path, language=chosen).status_code == 200
    assert Confession.objects.get().language == stored


def test_an_unknown_language_is_refused_with_a_message(client):
    response = send(client, WELSH_NEW, language="fr")
    assert not Confession.objects.exists()
    assert "Dewiswch iaith o&#x27;r rhestr" in response.content.decode()


def test_the_check_page_shows_the_language(client):
    page = client.get(WELSH_NEW).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    data = {**story_data(language="cy"), "token": token, "step": "preview"}
    body = client.post(WELSH_NEW, data).content.decode()
    assert re.search(r"Iaith</dt>\s*<dd><p>Cymraeg</p>", body)
