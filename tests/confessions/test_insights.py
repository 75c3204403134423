"""/insights/: charts of the published stories, whose numbers are the database's own counts,
each with a table of the same numbers and links to the stories they count."""

import datetime
import re
from collections import OrderedDict

import pytest
from django.core.cache import caches
from django.db.models import Sum

from confessions import insights
from confessions.models import Cause, Confession, Impact, Sector, Status
from failshare import pagecache
from tests.confessions.factories import make_story

INSIGHTS = "/insights/"


@pytest.fixture(autouse=True)
def _nothing_remembered(monkeypatch):
    monkeypatch.setattr(pagecache, "_local", OrderedDict())


def _stories():
    make_story(
        sector=Sector.HEALTH,
        causes=[Cause.PROCUREMENT, Cause.DATA],
        impact=Impact.HIGH,
        me_too_count=7,
        published_month=datetime.date(2026, 1, 1),
    )
    make_story(
        sector=Sector.HEALTH,
        causes=[Cause.PROCUREMENT],
        impact=Impact.LOW,
        me_too_count=2,
        published_month=datetime.date(2026, 3, 1),
    )
    make_story(
        sector=Sector.HOUSING,
        causes=[Cause.SKILLS],
        me_too_count=1,
        published_month=datetime.date(2026, 3, 1),
    )
    make_story(sector=Sector.CHARITY, published_month=datetime.date(2025, 11, 1))
    make_story(sector=Sector.HEALTH, causes=[Cause.DATA], status=Status.PENDING, me_too_count=50)
    make_story(sector=Sector.HEALTH, causes=[Cause.DATA], status=Status.REJECTED)


def _chart(charts, chart_id):
    return next(chart for chart in charts if chart.id == chart_id)


def _bars(chart) -> dict[str, int]:
    return {bar.label: bar.value for bar in chart.bars}


def _table(body: str, chart_id: str) -> list[tuple[str, str, str]]:
    """(link, label, number) of each row of a chart's table."""
    section = body[body.index(f'id="{chart_id}-title"') :]
    table = section[section.index("<table") : section.index("</table>")]
    return re.findall(
        r'<th scope="row"><a href="([^"]+)">([^<]+)</a></th><td class="numeric">(\d+)</td>', table
    )


def test_every_number_is_the_databases_own_count_of_published_stories(client):
    _stories()
    response = client.get(INSIGHTS)
    assert response.status_code == 200
    charts = response.context["charts"]
    published = Confession.objects.published()
    assert response.context["stories"] == published.count() == 4

    assert _bars(_chart(charts, "by-cause")) == {
        label: published.filter(causes__contains=[value]).count() for value, label in Cause.choices
    }
    assert _bars(_chart(charts, "by-sector")) == {
        label: published.filter(sector=value).count() for value, label in Sector.choices
    }
    impacts = _bars(_chart(charts, "by-impact"))
    assert list(impacts) == ["Low", "Medium", "High", "Not given"]
    for value, label in Impact.choices:
        assert impacts[label.partition(":")[0]] == published.filter(impact=value).count()
    assert impacts["Not given"] == published.filter(impact="").count() == 2
    months = _bars(_chart(charts, "by-month"))
    # Every month from the first to the last, empty ones too.
    assert list(months) == [
        "November 2025",
        "December 2025",
        "January 2026",
        "February 2026",
        "March 2026",
    ]
    for label, value in months.items():
        month = datetime.datetime.strptime(label, "%B %Y").date()
        assert value == published.filter(published_month=month).count()
    me_too = _bars(_chart(charts, "me-too-by-cause"))
    for value, label in Cause.choices:
        presses = published.filter(causes__contains=[value]).aggregate(n=Sum("me_too_count"))
        assert me_too[label] == (presses["n"] or 0)
    assert me_too["Procurement and suppliers"] == 9
    stacked = _chart(charts, "cause-within-sector")
    for row in stacked.rows:
        sector = next(value for value, label in Sector.choices if label == row.label)
        for bar in row.segments:
            cause = next(value for value, label in Cause.choices if label == bar.label)
            expected = published.filter(sector=sector, causes__contains=[cause]).count()
            assert bar.value == expected


def test_each_chart_has_a_title_a_description_a_drawing_and_a_table_of_the_same_numbers(client):
    _stories()
    response = client.get(INSIGHTS)
    body = response.content.decode()
    for chart in response.context["charts"]:
        section = body[body.index(f'<h2 id="{chart.id}-title">{chart.title}</h2>') :]
        section = section[: section.index("</section>")]
        assert f"<p>{chart.description}</p>" in section
        assert '<svg class="chart"' in section
        assert "<caption" in section
        if chart.rows:
            continue
        table = _table(body, chart.id)
        assert [(label, int(n)) for _, label, n in table] == [
            (bar.label, bar.value) for bar in chart.bars
        ]
        # Every bar of the drawing links where its row of the table does.
        for bar in chart.bars:
            assert f'<a href="{bar.url.replace("&", "&amp;")}" tabindex="-1">' in section


def test_every_bar_links_to_a_list_of_the_stories_it_counts(client):
    _stories()
    charts = client.get(INSIGHTS).context["charts"]
    for chart in charts:
        bars = [bar for row in chart.rows for bar in row.segments] or chart.bars
        for bar in bars:
            if chart.id == "me-too-by-cause":
                assert "sort=me-too" in bar.url
                continue
            listing = client.get(bar.url).context["listing"]
            assert listing.total == bar.value, (chart.id, bar.label, bar.url)


def test_with_no_published_story_the_page_says_so(client):
    make_story(status=Status.PENDING)
    body = client.get(INSIGHTS).content.decode()
    assert "No stories have been published yet." in body
    assert "<svg" not in body.split("<main", 1)[-1].split("</main>")[0]


def test_counts_are_made_once_per_change_of_the_published_stories(
    client, django_assert_max_num_queries, django_assert_num_queries
):
    _stories()
    # Uncached: the versions, then one grouped query for every chart.
    with django_assert_max_num_queries(2):
        client.get(INSIGHTS)
    # The page from the cache: the versions only.
    with django_assert_num_queries(1):
        client.get(INSIGHTS)
    # Without the page, the counts are still kept for this version: no counting again.
    caches["pages"].clear()
    with django_assert_num_queries(1):
        assert client.get(INSIGHTS).context["stories"] == 4
    # A story published changes the counts at once.
    story = Confession.objects.get(status=Status.PENDING)
    Confession.objects.filter(pk=story.pk).update(
        status=Status.APPROVED, published_month=datetime.date(2026, 3, 1)
    )
    response = client.get(INSIGHTS)
    assert response.context["stories"] == 5
    assert _bars(_chart(response.context["charts"], "by-cause"))["Data"] == 2


@pytest.mark.parametrize("stories", [3, 30])
def test_the_page_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries, stories):
    sectors, causes = Sector.values, Cause.values
    for number in range(stories):
        make_story(
            sector=sectors[number % len(sectors)],
            causes=[causes[number % len(causes)], causes[(number * 7) % len(causes)]],
            published_month=datetime.date(2020 + number // 12, number % 12 + 1, 1),
        )
    with django_assert_max_num_queries(2):
        assert client.get(INSIGHTS).status_code == 200


def test_the_drawing_is_laid_out_within_its_box():
    chart = insights._bar_chart(
        "x", "X", "x", "Cause", "Stories", [insights.Bar("a", 10, "/"), insights.Bar("b", 5, "/")]
    )
    longest, half = chart.bars
    assert longest.width == insights.WIDTH - insights.LABEL_WIDTH - insights.VALUE_WIDTH
    assert half.width == longest.width / 2
    assert chart.height == 2 * insights.ROW_HEIGHT
