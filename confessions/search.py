"""Full-text search of the published stories, written out in SQL.

A search page runs two statements: one finds and ranks the candidates, one marks up the matches
in the cards of the page shown. Both are built from fixed pieces rather than by the ORM: for
every new search, building them with the ORM cost more than PostgreSQL took to run them.
"""

import datetime
from functools import cache

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from taggit.models import TaggedItem

from confessions.models import SEARCH_CONFIG, Confession, Status

# Markers ts_headline puts around matches; private-use characters never typed in a story.
HIGHLIGHT_START = "\ue000"
HIGHLIGHT_STOP = "\ue001"
# A search card's lessons snippet is looked for in this much of the lessons.
HIGHLIGHT_CHARS = 1000
# A quoted phrase is looked for among at most this many of the newest stories with its words.
PHRASE_POOL = 2000
# Candidates carry their month as a number of days since this date: cheaper to cache than dates.
MONTH_EPOCH = datetime.date(2000, 1, 1)

_STORIES = connection.ops.quote_name(Confession._meta.db_table)
_TAGGED = connection.ops.quote_name(TaggedItem._meta.db_table)


def _matching(query: str, *, sector: bool, tag: bool) -> str:
    """The conditions on a published story (as ``s``) that ``query`` matches."""
    conditions = [
        "s.status = %(approved)s",
        f"s.search_vector @@ websearch_to_tsquery(%(config)s::regconfig, {query})",
    ]
    if sector:
        conditions.append("s.sector = %(sector)s")
    if tag:
        # EXISTS probes taggit's (content type, object, tag) index for each story found.
        conditions.append(
            f"EXISTS (SELECT 1 FROM {_TAGGED} t WHERE t.content_type_id = %(story_type)s "  # noqa: S608
            "AND t.tag_id = %(tag)s AND t.object_id = s.id)"
        )
    return " AND ".join(conditions)


@cache
def _candidates_sql(*, sector: bool, tag: bool, phrase: bool, slices: int) -> str:
    """The candidate query for one shape of search; its values are named parameters."""
    match = _matching("%(text)s", sector=sector, tag=tag)
    if phrase:
        # A quoted phrase of common words that are seldom side by side would walk the whole
        # recency index checking word positions: look for it only among the newest stories that
        # contain all of its words.
        loose = _matching("%(loose)s", sector=sector, tag=tag)
        match += (
            f" AND s.id IN (SELECT s.id FROM {_STORIES} s WHERE {loose} "  # noqa: S608
            "ORDER BY s.published_month DESC, s.id DESC LIMIT %(phrase_pool)s)"
        )
    # The newest slices by their months, which the full-text index holds beside the words; the
    # rest by leaving those months out, which PostgreSQL checks on the rows the words find.
    bounds = [f"s.published_month = ANY(%(slice_{number})s)" for number in range(slices)]
    bounds.append("NOT s.published_month = ANY(%(sliced)s)" if slices else "TRUE")
    parts = [
        f"(SELECT s.id, s.sector, s.me_too_count, s.published_month, s.search_vector "  # noqa: S608
        f"FROM {_STORIES} s WHERE {match} AND {bound} "
        "ORDER BY s.published_month DESC, s.id DESC LIMIT %(limit)s)"
        for bound in bounds
    ]
    newest = " UNION ALL ".join(parts) + (" LIMIT %(limit)s" if len(parts) > 1 else "")
    return (
        "SELECT m.id, m.sector, m.me_too_count, m.published_month - %(epoch)s, "  # noqa: S608
        "ts_rank(m.search_vector, websearch_to_tsquery(%(config)s::regconfig, %(text)s)), "
        f"ARRAY(SELECT t.tag_id FROM {_TAGGED} t "
        "WHERE t.content_type_id = %(story_type)s AND t.object_id = m.id) "
        f"FROM ({newest}) AS m"
    )


def candidates(
    text: str,
    *,
    limit: int,
    month_slices: tuple[tuple[datetime.date, ...], ...] = (),
    sector: str = "",
    tag_id: int | None = None,
) -> list[tuple]:
    """Up to ``limit`` newest published matches of ``text`` as (id, sector, me_too_count,
    month as days since MONTH_EPOCH, rank, tag ids).

    Ranking every match of a common word would read tens of thousands of search vectors; only
    the newest ``limit`` matches are ranked and have their tags looked up, in an outer query so
    PostgreSQL does that work after the limit.

    ``month_slices`` (newest first) split the stories into the newest few thousand, the next
    few thousand, and the rest. Each slice is searched in turn, newest first, and PostgreSQL
    stops as soon as ``limit`` matches are found, so the result is the same as one search of
    everything. The full-text index also holds each story's month, so within a slice it finds
    the stories with both the words and one of the slice's months, and reads only those: a word
    in a few per cent of the stories would otherwise have every match read to learn its month.
    The rest is searched by the words alone; a word that gets that far is a rare one."""
    # A quoted phrase is looked for among the newest stories with all of its words; with a
    # minus sign about, that pool could leave out stories the search finds (``-"cost overrun"``
    # must not require "overrun"), so such a search is made without it.
    pooled = '"' in text and "-" not in text
    sql = _candidates_sql(
        sector=bool(sector), tag=tag_id is not None, phrase=pooled, slices=len(month_slices)
    )
    parameters = {
        "approved": Status.APPROVED.value,
        "config": SEARCH_CONFIG,
        "text": text,
        "limit": limit,
        "epoch": MONTH_EPOCH,
        "story_type": ContentType.objects.get_for_model(Confession).id,
        "sector": sector,
        "tag": tag_id,
        "loose": text.replace('"', " "),
        "phrase_pool": PHRASE_POOL,
        "sliced": [month for months in month_slices for month in months],
        **{f"slice_{number}": list(months) for number, months in enumerate(month_slices)},
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, parameters)
        return cursor.fetchall()


_HIGHLIGHT_OPTIONS = f"StartSel='{HIGHLIGHT_START}', StopSel='{HIGHLIGHT_STOP}'"
_MARKUP_PARAMETERS = {
    "config": SEARCH_CONFIG,
    "title_options": f"{_HIGHLIGHT_OPTIONS}, HighlightAll=true",
    "lessons_options": (
        f"{_HIGHLIGHT_OPTIONS}, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=' … '"
    ),
    "approved": Status.APPROVED.value,
}
_HIGHLIGHTED_CARDS = (
    "SELECT id, slug, title, sector, published_month, me_too_count, "  # noqa: S608
    "ts_headline(%(config)s::regconfig, title, q, %(title_options)s), "
    f"ts_headline(%(config)s::regconfig, left(what_we_learned, {HIGHLIGHT_CHARS}), q, "
    "%(lessons_options)s) "
    f"FROM {_STORIES}, websearch_to_tsquery(%(config)s::regconfig, %(text)s) AS q "
    "WHERE id = ANY(%(ids)s) AND status = %(approved)s"
)
_CARD_COLUMNS = ("id", "slug", "title", "sector", "published_month", "me_too_count")


def highlighted_cards(ids: list[int], text: str) -> dict[int, dict]:
    """Card columns of these published stories, with the title and a lessons snippet marked up
    where they match (between HIGHLIGHT_START and _STOP), by id.

    ts_headline reparses each text, so it runs on these rows only, and on the opening
    HIGHLIGHT_CHARS of the lessons (what a card has room for), not all of them."""
    if not ids:
        return {}
    parameters = {**_MARKUP_PARAMETERS, "text": text, "ids": list(ids)}
    with connection.cursor() as cursor:
        cursor.execute(_HIGHLIGHTED_CARDS, parameters)
        return {
            row[0]: {
                **dict(zip(_CARD_COLUMNS, row[:6], strict=True)),
                "title_marked": row[6],
                "lessons_marked": row[7],
            }
            for row in cursor.fetchall()
        }
