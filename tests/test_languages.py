"""English at today's addresses, Welsh under /cy/, a switch on every page that keeps the person
where they were, and the home page following the language they chose."""

import gettext
import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.test import Client

from tests.confessions.factories import make_story
from tests.programs import require_program

pytestmark = pytest.mark.django_db

CATALOGUE = Path(__file__).resolve().parents[1] / "locale" / "cy" / "LC_MESSAGES" / "django.po"


def switch_link(page: str) -> tuple[str, str, str]:
    """(href, hreflang, lang) of the header's language link."""
    found = re.search(
        r'<a class="site-header__language" href="([^"]+)" hreflang="([^"]+)" lang="([^"]+)">',
        page,
    )
    assert found, "no language switch on the page"
    return found.groups()


def test_english_keeps_its_addresses_and_welsh_lives_under_cy(client):
    english = client.get("/confessions/")
    welsh = client.get("/cy/confessions/")
    assert english.status_code == welsh.status_code == 200
    assert '<html lang="en-GB">' in english.content.decode()
    assert '<html lang="cy">' in welsh.content.decode()
    assert client.get("/en-gb/confessions/").status_code == 404


def test_the_interface_speaks_the_pages_language(client):
    assert ">Share a story</a>" in client.get("/confessions/").content.decode()
    welsh = client.get("/cy/confessions/").content.decode()
    assert ">Rhannu stori</a>" in welsh
    assert ">Share a story</a>" not in welsh


def test_every_page_names_itself_in_both_languages(client, settings):
    page = client.get("/cy/events/?page=1").content.decode()
    site = settings.SITE_URL
    assert f'<link rel="alternate" hreflang="en-GB" href="{site}/events/?page=1">' in page
    assert f'<link rel="alternate" hreflang="cy" href="{site}/cy/events/?page=1">' in page


def test_the_switch_keeps_the_page_and_its_query(client):
    page = client.get("/confessions/?q=budget&page=1").content.decode()
    href, hreflang, lang = switch_link(page)
    assert (hreflang, lang) == ("cy", "cy")
    assert ">Cymraeg</a>" in page
    response = client.get(href.replace("&amp;", "&"))
    assert response.status_code == 302
    assert response["Location"] == "/cy/confessions/?q=budget&page=1"
    assert response.cookies["django_language"].value == "cy"

    back_href, hreflang, lang = switch_link(client.get(response["Location"]).content.decode())
    assert (hreflang, lang) == ("en-GB", "en-GB")
    assert client.get(back_href.replace("&amp;", "&"))["Location"] == (
        "/confessions/?q=budget&page=1"
    )


def test_the_switch_on_a_story_goes_to_the_same_story(client):
    story = make_story()
    page = client.get(story.get_absolute_url()).content.decode()
    href, *_ = switch_link(page)
    assert client.get(href)["Location"] == "/cy" + story.get_absolute_url()


def test_a_cached_page_does_not_keep_another_visitors_parameters_in_its_switch(client):
    client.get("/confessions/?utm_source=newsletter")  # cached, without the parameter
    page = Client().get("/confessions/").content.decode()
    href, *_ = switch_link(page)
    assert "utm_source" not in href


def test_the_home_page_follows_the_language_last_chosen(client):
    assert client.get("/").status_code == 200
    client.get("/language/cy/?next=/events/")
    remembered = client.get("/")
    assert remembered.status_code == 302 and remembered["Location"] == "/cy/"
    assert client.get("/events/").status_code == 200  # other addresses keep their language
    client.get("/language/en-gb/?next=/cy/")
    assert client.get("/").status_code == 200


def test_the_switch_goes_nowhere_but_this_site(client):
    response = client.get("/language/cy/?next=https://elsewhere.example/")
    assert response["Location"] == "/cy/"
    assert client.get("/language/fr/?next=/").status_code == 404


def require_msgfmt() -> str:
    """GNU gettext's msgfmt. Without it the catalogue is compiled by failshare/translations.py,
    and only the checks that need msgfmt itself are skipped."""
    return require_program("msgfmt", package="gettext", needed_for="the catalogue's checks")


def test_every_welsh_message_is_translated():
    catalogue = polib.pofile(str(CATALOGUE))
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []
    assert len(catalogue.translated_entries()) > 1000


def test_the_welsh_catalogue_is_complete():
    result = subprocess.run(
        [require_msgfmt(), "--check", "--statistics", "-o", "/dev/null", str(CATALOGUE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "translated message" in result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


def test_without_msgfmt_the_catalogue_compiles_to_the_same_translations(tmp_path):
    """make run and make test compile the catalogue with failshare/translations.py on a
    machine without GNU gettext: the site must read the same Welsh from it."""
    from failshare.translations import compile_catalogues

    copied = tmp_path / "cy" / "LC_MESSAGES"
    copied.mkdir(parents=True)
    shutil.copy(CATALOGUE, copied / "django.po")
    assert compile_catalogues(tmp_path) == [copied / "django.mo"]
    assert compile_catalogues(tmp_path) == []  # up to date: left as it is
    by_msgfmt = tmp_path / "msgfmt.mo"
    subprocess.run([require_msgfmt(), "-o", str(by_msgfmt), str(CATALOGUE)], check=True)

    def catalogue(path):
        with path.open("rb") as compiled:
            return gettext.GNUTranslations(compiled)

    ours, theirs = catalogue(copied / "django.mo"), catalogue(by_msgfmt)
    # The same messages; the header ("") only lists its fields in another order.
    assert {k: v for k, v in ours._catalog.items() if k} == {
        k: v for k, v in theirs._catalog.items() if k
    }
    assert ours.info()["plural-forms"] == theirs.info()["plural-forms"]
    assert ours.ngettext("%(count)s story", "%(count)s stories", 3) == theirs.ngettext(
        "%(count)s story", "%(count)s stories", 3
    )
    assert len(ours._catalog) > 1000
