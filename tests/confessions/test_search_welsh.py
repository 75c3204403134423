"""Welsh stories are found by their own words, beside English ones found by their stems."""

from confessions.models import Confession
from failshare.models import ContentLanguage
from tests.confessions.factories import make_story


def titles(client, query: str, path: str = "/confessions/", **filters) -> list[str]:
    response = client.get(path, {"q": query, **filters})
    return [story.title for story in response.context["listing"].page.object_list]


def welsh_story(**fields):
    return make_story(language=ContentLanguage.WELSH, **fields)


def test_a_welsh_story_is_found_by_a_welsh_word(client):
    welsh_story(
        title="Y gyllideb a redodd allan",
        what_happened="Gwariwyd y gyllideb gyfan cyn diwedd y flwyddyn ariannol.",
    )
    make_story(title="An English story about budgets")
    assert titles(client, "gyllideb") == ["Y gyllideb a redodd allan"]
    assert titles(client, "gyllideb", "/cy/confessions/") == ["Y gyllideb a redodd allan"]


def test_welsh_words_are_kept_as_written(client):
    # The english configuration drops "is" (in Welsh: lower) as a stop word.
    story = welsh_story(title="Cyflog is na'r disgwyl", what_happened="Roedd y prosiect yn hwyr.")
    stored = Confession.objects.values_list("search_vector", flat=True).get(pk=story.pk)
    assert "'is'" in stored and "'prosiect'" in stored
    english = make_story(title="Launching the councils' project")
    stored = Confession.objects.values_list("search_vector", flat=True).get(pk=english.pk)
    assert "'launch'" in stored and "'council'" in stored  # stemmed
    assert titles(client, "is") == ["Cyflog is na'r disgwyl"]


def test_english_stories_are_still_found_by_their_stems(client):
    make_story(title="Launch", what_went_wrong="We launched on the busiest day of the year.")
    welsh_story(title="Lansio", what_happened="Lansiwyd y gwasanaeth ar ddydd Llun.")
    assert titles(client, "launching") == ["Launch"]
    assert titles(client, "lansiwyd") == ["Lansio"]


def test_one_search_finds_both_languages(client):
    make_story(title="Digital exclusion in the library", what_happened="Digidol was its name.")
    welsh_story(title="Gwasanaeth digidol", what_happened="Roedd y gwasanaeth digidol yn araf.")
    assert sorted(titles(client, "digidol")) == [
        "Digital exclusion in the library",
        "Gwasanaeth digidol",
    ]


def test_leaving_a_word_out_leaves_out_welsh_stories_with_it(client):
    welsh_story(title="Y gyllideb", what_happened="Roedd y gyllideb yn rhy fach.")
    welsh_story(title="Y staff", what_happened="Roedd y staff yn brin.")
    assert titles(client, "roedd -gyllideb") == ["Y staff"]


def test_the_words_found_are_marked_in_a_welsh_story(client):
    welsh_story(title="Y gyllideb a redodd allan", what_we_learned="Gwiriwch y gyllideb bob mis.")
    body = client.get("/confessions/", {"q": "gyllideb"}).content.decode()
    assert "Y <mark>gyllideb</mark> a redodd allan" in body
    assert "Gwiriwch y <mark>gyllideb</mark>" in body


def test_the_list_can_be_filtered_by_language(client):
    welsh_story(title="Gwasanaeth digidol", what_happened="Roedd y gwasanaeth yn araf.")
    make_story(title="A digital service", what_happened="The service was slow.")
    assert titles(client, "", language="cy") == ["Gwasanaeth digidol"]
    assert titles(client, "", language="en") == ["A digital service"]
    body = client.get("/cy/confessions/", {"language": "cy"}).content.decode()
    assert "Iaith: Cymraeg" in body
    response = client.get("/confessions/", {"language": "fr"})
    assert "There is no such language" in response.content.decode()
    assert len(response.context["listing"].page.object_list) == 2


def test_a_search_can_be_filtered_by_language(client):
    welsh_story(title="Digidol", what_happened="Roedd y gwasanaeth digidol yn araf.")
    make_story(title="Digidol in English", what_happened="Our app was called Digidol.")
    assert titles(client, "digidol", language="cy") == ["Digidol"]
    assert titles(client, "digidol", language="en") == ["Digidol in English"]
