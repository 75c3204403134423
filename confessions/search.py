"""Full-text search of the published stories: the one statement written out in SQL.

Finding and ranking the candidates of a search is the statement the search target rests on
(see ``candidates``); it is built from fixed pieces rather than by the ORM, derived from the
models' names and ``Status.APPROVED``. Everything else a search page reads (the cards of the
page shown, with the matches marked) goes through the ORM: ``ConfessionQuerySet.search`` and
``ConfessionQuerySet.highlighted``.
"""

import datetime
from functools import cache
from typing import NamedTuple

from django.db import connection

from confessions.models import SEARCH_CONFIG, Confession, Status, TaggedStory

# A quoted phrase is looked for among at most this many of the newest stories with its words.
PHRASE_POOL = 2000
# Candidates carry their month as a number of days since this date: cheaper to keep than dates.
MONTH_EPOCH = datetime.date(2000, 1, 1)

_STORIES = connection.ops.quote_name(Confession._meta.db_table)
_TAGGED = connection.ops.quote_name(TaggedStory._meta.db_table)


class Candidate(NamedTuple):
    """A published story a search found, with what ordering and facets need."""

    id: int
    sector: str
    me_too_count: int
    month: int  # days since MONTH_EPOCH
    rank: float
    tag_ids: list[int]


def _matching(query: str, *, sector: bool, tag: bool) -> str:
    """The conditions on a published story (as ``s``) that ``query`` matches."""
    conditions = [
        "s.status = %(published)s",
        f"s.search_vector @@ websearch_to_tsquery(%(config)s::regconfig, {query})",
    ]
    if sector:
        conditions.append("s.sector = %(sector)s")
    if tag:
        # EXISTS probes the (story, tag) index for each story found.
        conditions.append(
            f"EXISTS (SELECT 1 FROM {_TAGGED} t "  # noqa: S608
            "WHERE t.content_object_id = s.id AND t.tag_id = %(tag)s)"
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
        f"ARRAY(SELECT t.tag_id FROM {_TAGGED} t WHERE t.content_object_id = m.id) "
        f"FROM ({newest}) AS m"
    )


def candidates(
    text: str,
    *,
    limit: int,
    month_slices: tuple[tuple[datetime.date, ...], ...] = (),
    sector: str = "",
    tag_id: int | None = None,
) -> list[Candidate]:
    """Up to ``limit`` newest published matches of ``text``.

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
        "published": Status.APPROVED.value,
        "config": SEARCH_CONFIG,
        "text": text,
        "limit": limit,
        "epoch": MONTH_EPOCH,
        "sector": sector,
        "tag": tag_id,
        "loose": text.replace('"', " "),
        "phrase_pool": PHRASE_POOL,
        "sliced": [month for months in month_slices for month in months],
        **{f"slice_{number}": list(months) for number, months in enumerate(month_slices)},
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, parameters)
        return [Candidate(*row) for row in cursor.fetchall()]
