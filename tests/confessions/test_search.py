import pytest

from confessions import browse
from confessions.models import Sector, Status
from confessions.templatetags.stories import highlighted
from tests.caches import forget_pages
from tests.confessions.factories import make_stories, make_story


def results(response):
    return response.context["listing"].page.object_list


def test_it_finds_a_word_anywhere_in_the_story(client):
    make_story(title="Bins", what_happened="The recycling contract was renewed without a review.")
    make_story(title="Elsewhere", what_happened="Nothing about waste here.")
    response = client.get("/confessions/?q=recycling")
    assert [story.title for story in results(response)] == ["Bins"]


def test_it_highlights_the_words_found_in_the_title_and_lessons(client):
    make_story(
        title="Recycling bins",
        what_we_learned="Check the recycling rounds with the crews before changing them.",
    )
    body = client.get("/confessions/?q=recycling").content.decode()
    assert "<mark>Recycling</mark> bins" in body
    assert "Check the <mark>recycling</mark> rounds" in body


def test_stemming_matches_other_forms_of_a_word(client):
    make_story(title="Launch", what_went_wrong="We launched on the busiest day of the year.")
    assert [s.title for s in results(client.get("/confessions/?q=launching"))] == ["Launch"]


def test_title_and_lessons_rank_above_what_happened(client):
    make_story(title="Mentioned in passing", what_happened="There was a consultation once.")
    make_story(title="A consultation that reached nobody")
    make_story(title="Lessons", what_we_learned="Every consultation needs paper forms too.")
    found = [s.title for s in results(client.get("/confessions/?q=consultation"))]
    assert found[-1] == "Mentioned in passing"
    assert set(found[:2]) == {"A consultation that reached nobody", "Lessons"}


def test_search_never_shows_unpublished_stories(client):
    make_story(title="Published recycling")
    for status in (Status.PENDING, Status.REJECTED, Status.WITHDRAWN):
        make_story(title=f"Hidden {status}", status=status, what_happened="recycling")
    make_story(title="More recycling", what_happened="recycling")
    found = [s.title for s in results(client.get("/confessions/?q=recycling"))]
    assert found == ["More recycling"] or set(found) == {"Published recycling", "More recycling"}
    assert not [t for t in found if t.startswith("Hidden")]


def test_search_combines_with_sector_and_tag(client):
    make_story(title="Health budgets", sector=Sector.HEALTH, tags=("budgets",))
    make_story(title="Housing budgets", sector=Sector.HOUSING, tags=("budgets",))
    make_story(title="Health budgets untagged", sector=Sector.HEALTH)
    response = client.get("/confessions/?q=budgets&sector=health&tag=budgets")
    assert [s.title for s in results(response)] == ["Health budgets"]
    listing = response.context["listing"]
    assert {f.label: f.count for f in listing.sector_facets} == {"Health": 1, "Housing": 1}
    assert {f.label: f.count for f in listing.tag_facets} == {"budgets": 1}


def test_websearch_syntax_excludes_words_and_matches_phrases(client):
    make_story(title="Website redesign", what_happened="A new website and a redesign.")
    make_story(title="Website hosting", what_happened="The website hosting contract ended.")
    excluded = [s.title for s in results(client.get("/confessions/", {"q": "website -redesign"}))]
    assert excluded == ["Website hosting"]
    phrase = [s.title for s in results(client.get("/confessions/", {"q": '"hosting contract"'}))]
    assert phrase == ["Website hosting"]


def test_story_text_is_escaped_and_only_the_highlight_is_markup(client):
    make_story(
        title="<b>Bold</b> claims about budgets",
        what_we_learned="<script>alert('budgets')</script> never trust input",
    )
    body = client.get("/confessions/?q=budgets").content.decode()
    assert "<script>" not in body
    assert "<b>Bold</b>" not in body
    assert "&lt;b&gt;Bold&lt;/b&gt; claims about <mark>budgets</mark>" in body


def test_it_sorts_search_results_by_newest_when_asked(client):
    import datetime

    make_story(title="Old budgets story", published_month=datetime.date(2020, 1, 1))
    make_story(title="Budgets budgets budgets", published_month=datetime.date(2019, 1, 1))
    make_story(title="New budgets story", published_month=datetime.date(2026, 1, 1))
    newest = [s.title for s in results(client.get("/confessions/?q=budgets&sort=newest"))]
    assert newest == ["New budgets story", "Old budgets story", "Budgets budgets budgets"]


def test_it_ranks_only_a_bounded_set_of_candidates_and_says_so(client, monkeypatch):
    monkeypatch.setattr(browse, "SEARCH_CANDIDATES", 3)
    for i in range(5):
        make_story(title=f"Budgets story {i}")
    response = client.get("/confessions/?q=budgets")
    assert response.context["listing"].total == 3
    assert "More than 3 stories match" in response.content.decode()


def test_a_search_with_no_results_says_so(client):
    make_story(title="Budgets")
    body = client.get("/confessions/?q=zeppelin").content.decode()
    assert "No stories found" in body
    assert "removing the search" in body


@pytest.mark.parametrize("query", ["&", "!!!", "a", "'", '"', "or", "-", "()", "the and of"])
def test_odd_search_text_never_fails(client, query):
    make_story(title="Budgets")
    assert client.get("/confessions/", {"q": query}).status_code == 200


def test_a_quoted_phrase_is_looked_for_among_the_newest_stories_with_its_words(client, monkeypatch):
    import datetime

    from confessions import search

    monkeypatch.setattr(search, "PHRASE_POOL", 2)
    make_story(
        title="Old", what_happened="hosting contract", published_month=datetime.date(2020, 1, 1)
    )
    make_story(
        title="Newer",
        what_happened="contract for hosting",
        published_month=datetime.date(2025, 1, 1),
    )
    make_story(
        title="Newest", what_happened="hosting contract", published_month=datetime.date(2026, 1, 1)
    )
    found = [s.title for s in results(client.get("/confessions/", {"q": '"hosting contract"'}))]
    assert found == ["Newest"]
    monkeypatch.setattr(search, "PHRASE_POOL", 2000)
    forget_pages()
    found = [s.title for s in results(client.get("/confessions/", {"q": '"hosting contract"'}))]
    assert sorted(found) == ["Newest", "Old"]


def test_searching_in_slices_of_months_finds_the_same_newest_matches(client, monkeypatch):
    import datetime

    monkeypatch.setattr(browse, "SEARCH_CANDIDATES", 4)
    for months_ago, title in enumerate(["Budgets a", "Budgets b", "Other", "Budgets c"] * 3):
        make_story(
            title=title,
            published_month=datetime.date(2026 - months_ago // 12, 12 - months_ago % 12, 1),
        )
    whole = [s.title for s in results(client.get("/confessions/?q=budgets&sort=newest"))]
    for slices in [(3, 7), (1, 2), (5,), (100, 200)]:
        monkeypatch.setattr(browse, "SEARCH_SLICES", slices)
        forget_pages()
        listing = client.get("/confessions/?q=budgets&sort=newest").context["listing"]
        assert [s.title for s in listing.page.object_list] == whole
        assert listing.total == 4


@pytest.mark.django_db
def test_the_database_refuses_a_published_story_without_a_month():
    from django.db import IntegrityError, transaction

    from confessions.models import Confession
    from tests.confessions.factories import make_story

    story = make_story()
    with pytest.raises(IntegrityError), transaction.atomic():
        Confession.objects.filter(pk=story.pk).update(published_month=None)


@pytest.mark.parametrize("sort", ["relevance", "newest", "me-too"])
def test_every_page_of_a_search_shows_its_own_stories_marked_up(client, monkeypatch, sort):
    """Walking the pages of a search, or going straight to one, shows the same stories."""
    import datetime

    monkeypatch.setattr(browse, "SEARCH_PAGE_SIZE", 3)
    titles = [f"Budgets {i}" + " budgets" * (i % 3) for i in range(8)]
    for i, title in enumerate(titles):
        make_story(
            title=title,
            what_we_learned=f"Lesson {i} about budgets.",
            published_month=datetime.date(2025, 1 + i, 1),
            me_too_count=i % 4,
        )

    def page(number):
        response = client.get("/confessions/", {"q": "budgets", "sort": sort, "page": number})
        cards = results(response)
        marks = [highlighted(c.title_marked) + highlighted(c.lessons_marked) for c in cards]
        assert all(m.count("<mark>") >= 2 for m in marks)
        return [c.title for c in cards]

    walked = [page(1), page(2), page(3)]
    assert sorted(title for shown in walked for title in shown) == sorted(titles)
    for number in (3, 2, 1):
        forget_pages()
        assert page(number) == walked[number - 1]


def test_search_results_come_ten_a_page_and_the_list_twenty(client):
    make_stories(25, title="A supplier story")
    search = client.get("/confessions/", {"q": "supplier"}).context["listing"]
    assert len(search.page.object_list) == 10
    assert search.page.paginator.num_pages == 3
    assert len(client.get("/confessions/").context["listing"].page.object_list) == 20


def test_a_negated_phrase_only_leaves_out_the_stories_with_that_phrase(client):
    make_story(title="Budget story", what_happened="We set the budget too early.")
    make_story(title="Budget overrun", what_happened="The budget had a cost overrun.")
    make_story(title="Budget costs", what_happened="The budget cost more than we thought.")
    found = {s.title for s in results(client.get("/confessions/", {"q": 'budget -"cost overrun"'}))}
    assert found == {"Budget story", "Budget costs"}
