"""Reading and finding: numbered pages, the current section in the navigation, feed
discovery and a favicon on every page, sectors offered only with stories, tidy me-too and
online-event lines."""

import re

import pytest

from confessions.models import Sector
from events.models import Kind
from failshare.pagination import page_links
from tests.confessions.factories import make_story
from tests.events.conftest import make_event

pytestmark = pytest.mark.django_db


def numbers(links) -> list:
    return [link.number for link in links]


def test_page_links_show_the_first_last_and_neighbours_with_gaps():
    links = page_links(5, 10, lambda n: f"?page={n}")
    assert numbers(links) == [1, None, 4, 5, 6, None, 10]
    assert [link.number for link in links if link.current] == [5]
    assert links[0].url == "?page=1"
    assert numbers(page_links(1, 3, str)) == [1, 2, 3]
    assert numbers(page_links(2, 2, str)) == [1, 2]


def test_the_story_list_has_numbered_pages_in_a_nav(client):
    for _ in range(45):
        make_story()
    body = client.get("/confessions/?page=2").content.decode()
    nav = re.search(
        r'<nav class="pagination-nav" aria-label="Pages of stories">(.*?)</nav>', body, re.S
    )
    assert nav
    nav = nav.group(1)
    assert '<a href="/confessions/"><span class="visually-hidden">Page </span>1</a>' in nav
    current = 'aria-current="page" class="pagination__current">'
    assert current + '<span class="visually-hidden">Page </span>2</a>' in nav
    assert '<span class="visually-hidden">Page </span>3</a>' in nav
    assert 'rel="prev"' in nav and 'rel="next"' in nav


def test_the_event_list_has_numbered_pages(client):
    for _ in range(21):
        make_event()
    body = client.get("/events/").content.decode()
    assert 'aria-label="Pages of events"' in body
    assert 'href="?page=2"><span class="visually-hidden">Page </span>2</a>' in body
    assert 'aria-current="page"' in body


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/confessions/", "Stories"),
        ("/confessions/new/", "Share a story"),
        ("/events/", "Events"),
        ("/accounts/login/", "Sign in"),
    ],
)
def test_the_current_section_is_marked_in_the_navigation(client, path, current):
    body = client.get(path).content.decode()
    nav = re.search(r'<nav class="site-nav".*?</nav>', body, re.S).group(0)
    marked = re.findall(r'aria-current="(?:page|true)">([^<]+)</a>', nav)
    assert marked == [current]


def test_the_home_page_marks_no_section(client):
    body = client.get("/").content.decode()
    nav = re.search(r'<nav class="site-nav".*?</nav>', body, re.S).group(0)
    assert "aria-current" not in nav


@pytest.mark.parametrize("path", ["/", "/events/", "/privacy/"])
def test_every_page_links_the_feed_and_the_favicon(client, path):
    head = client.get(path).content.decode().split("</head>")[0]
    assert head.count('type="application/atom+xml"') == 1
    assert 'rel="icon"' in head and "favicon" in head


def test_the_favicon_is_served(client):
    from django.contrib.staticfiles import finders

    assert finders.find("favicon.svg")


def test_sectors_without_stories_are_not_offered(client):
    make_story(sector=Sector.HEALTH)
    body = client.get("/confessions/").content.decode()
    assert "(0)</option>" not in body
    assert re.search(r">Health \(1\)</option>", body)


def test_a_chosen_sector_without_stories_stays_offered(client):
    make_story(sector=Sector.HEALTH)
    body = client.get("/confessions/?sector=housing").content.decode()
    assert re.search(r'value="housing" selected>Housing \(0\)</option>', body)


def test_the_me_too_line_has_no_stray_space(client):
    story = make_story(me_too_count=2)
    body = client.get(story.get_absolute_url()).content.decode()
    assert "2 readers said “this happened to us too”.</p>" in body


def test_an_online_chat_says_online_once_on_its_card(client):
    make_event(
        title="Failure over coffee",
        kind=Kind.ONLINE_CHAT,
        venue="",
        address="",
        city="",
        online_url="https://meet.example.org/x",
    )
    body = client.get("/events/").content.decode()
    card = re.search(r"Failure over coffee.*?</li>", body, re.S).group(0)
    assert len(re.findall(r"\bonline\b", card, re.I)) == 1


def test_a_long_lessons_excerpt_ends_on_a_whole_word_with_an_ellipsis(client):
    lessons = "Involve the people doing the work from the very start. " * 8
    make_story(title="A long lesson", what_we_learned=lessons)
    body = client.get("/confessions/").content.decode()
    excerpt = re.search(r'What we learned:</span> <span lang="en">(.*?)</span></p>', body, re.S)
    excerpt = excerpt.group(1)
    assert excerpt.endswith("…")
    assert excerpt[:-1].split()[-1] in lessons.split()
    assert len(excerpt) <= 241


def test_a_short_lessons_excerpt_has_no_ellipsis(client):
    make_story(what_we_learned="Test with real users.")
    body = client.get("/confessions/").content.decode()
    assert 'What we learned:</span> <span lang="en">Test with real users.</span></p>' in body


def test_a_search_snippet_that_stops_mid_sentence_ends_with_an_ellipsis(client):
    lessons = "We learned that procurement " + "needs people who use the service and " * 12
    make_story(title="Procurement story", what_we_learned=lessons)
    body = client.get("/confessions/?q=procurement").content.decode()
    excerpt = re.search(r'What we learned:</span> <span lang="en">(.*?)</span></p>', body, re.S)
    excerpt = excerpt.group(1)
    assert "<mark>procurement</mark>" in excerpt.lower()
    assert excerpt.endswith("…")


def test_a_search_of_only_common_words_says_so_and_suggests_what_to_do(client):
    make_story(title="The portal and the users")
    body = client.get("/confessions/?q=the+and").content.decode()
    assert "made only of very common words" in body
    assert "Search for words that say what the story is about" in body


def test_a_search_that_finds_nothing_for_real_words_says_nothing_of_common_words(client):
    make_story()
    body = client.get("/confessions/?q=zeppelin").content.decode()
    assert "very common words" not in body
    assert "No published story matches" in body


def test_the_common_words_are_those_the_database_leaves_out():
    from django.db import connection

    from confessions.search import COMMON_WORDS, only_common_words

    with connection.cursor() as cursor:
        for word in sorted(COMMON_WORDS):
            cursor.execute("SELECT numnode(websearch_to_tsquery('english', %s))", [word])
            assert cursor.fetchone()[0] == 0, word
    assert only_common_words("The AND it")
    assert not only_common_words("the portal")
    assert not only_common_words("")
