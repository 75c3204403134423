"""Full-text search of the published stories: the one statement written out in SQL.

Finding and ranking the candidates of a search is the statement the search target rests on
(see ``candidates``); it is built from fixed pieces rather than by the ORM, derived from the
models' names and ``Status.APPROVED``. So is the read of the cards of the page shown, with the
matches marked (``marked_cards``): the ORM spent longer building that statement than
PostgreSQL spent running it. ``ConfessionQuerySet.search`` is the entry point.
"""

import datetime
import re
from collections import Counter
from functools import cache
from typing import NamedTuple

from django.db import connection, connections, router

from confessions.conversation import ResponseStatus, StoryResponse
from confessions.models import (
    EXCERPT_CHARS,
    HIGHLIGHT_CHARS,
    HIGHLIGHT_START,
    HIGHLIGHT_STOP,
    SEARCH_CONFIG,
    WELSH_SEARCH_CONFIG,
    Confession,
    Status,
    TaggedStory,
)
from failshare.models import ContentLanguage

# A quoted phrase is looked for among at most this many of the newest stories with its words.
PHRASE_POOL = 2000
# Candidates carry their month as a number of days since this date: cheaper to keep than dates.
MONTH_EPOCH = datetime.date(2000, 1, 1)

_STORIES = connection.ops.quote_name(Confession._meta.db_table)
_TAGGED = connection.ops.quote_name(TaggedStory._meta.db_table)
_RESPONSES = connection.ops.quote_name(StoryResponse._meta.db_table)
# A fixed value, written into the statements so the planner can use the Welsh stories' own
# index (a partial index serves only conditions it can see when planning).
_WELSH = f"'{ContentLanguage.WELSH.value}'"
# Each story found ranked by the words of its own language. Each arm's query has fixed values,
# so PostgreSQL parses it once for the statement, not once for every story it ranks.
_OWN_RANK = (
    f"CASE WHEN m.language = {_WELSH} "
    "THEN ts_rank(m.search_vector, websearch_to_tsquery(%(welsh_config)s::regconfig, %(text)s)) "
    "ELSE ts_rank(m.search_vector, websearch_to_tsquery(%(config)s::regconfig, %(text)s)) END"
)


class Candidate(NamedTuple):
    """A published story a search found, with what ordering and facets need."""

    id: int
    sector: str
    me_too_count: int
    month: int  # days since MONTH_EPOCH
    rank: float
    tag_ids: list[int]  # in the order they were added, as taggit lists them
    causes: list[str]


def _matching(
    query: str, *, sector: bool, tag: bool, cause: bool = False, language: bool = False
) -> str:
    """The conditions on a published story (as ``s``) that ``query`` matches."""
    conditions = [
        "s.status = %(published)s",
        # Each story by the words of its own language: English by their stems, Welsh (which
        # PostgreSQL cannot stem) word for word.
        f"(s.language <> {_WELSH} "
        f"AND s.search_vector @@ websearch_to_tsquery(%(config)s::regconfig, {query}) "
        f"OR s.language = {_WELSH} "
        f"AND s.search_vector @@ websearch_to_tsquery(%(welsh_config)s::regconfig, {query}))",
    ]
    if sector:
        conditions.append("s.sector = %(sector)s")
    if cause:
        conditions.append("s.causes @> ARRAY[%(cause)s]::varchar[]")
    if language:
        conditions.append("s.language = %(language)s")
    if tag:
        # EXISTS probes the (story, tag) index for each story found.
        conditions.append(
            f"EXISTS (SELECT 1 FROM {_TAGGED} t "  # noqa: S608
            "WHERE t.content_object_id = s.id AND t.tag_id = %(tag)s)"
        )
    return " AND ".join(conditions)


@cache
def _candidates_sql(
    *, sector: bool, tag: bool, cause: bool, phrase: bool, slices: int, language: bool = False
) -> str:
    """The candidate query for one shape of search; its values are named parameters."""
    match = _matching("%(text)s", sector=sector, tag=tag, cause=cause, language=language)
    if phrase:
        # A quoted phrase of common words that are seldom side by side would walk the whole
        # recency index checking word positions: look for it only among the newest stories that
        # contain all of its words.
        loose = _matching("%(loose)s", sector=sector, tag=tag, cause=cause, language=language)
        match += (
            f" AND s.id IN (SELECT s.id FROM {_STORIES} s WHERE {loose} "  # noqa: S608
            "ORDER BY s.published_month DESC, s.id DESC LIMIT %(phrase_pool)s)"
        )
    # The newest slices by their months, which the full-text index holds beside the words; the
    # rest by leaving those months out, which PostgreSQL checks on the rows the words find.
    bounds = [f"s.published_month = ANY(%(slice_{number})s)" for number in range(slices)]
    bounds.append("NOT s.published_month = ANY(%(sliced)s)" if slices else "TRUE")
    parts = [
        "(SELECT s.id, s.sector, s.me_too_count, s.published_month, s.search_vector, "  # noqa: S608
        f"s.causes, s.language FROM {_STORIES} s WHERE {match} AND {bound} "
        "ORDER BY s.published_month DESC, s.id DESC LIMIT %(limit)s)"
        for bound in bounds
    ]
    newest = " UNION ALL ".join(parts) + (" LIMIT %(limit)s" if len(parts) > 1 else "")
    return (
        "SELECT m.id, m.sector, m.me_too_count, m.published_month - %(epoch)s, "  # noqa: S608
        f"{_OWN_RANK}, "
        f"ARRAY(SELECT t.tag_id FROM {_TAGGED} t WHERE t.content_object_id = m.id ORDER BY t.id), "
        "m.causes "
        f"FROM ({newest}) AS m"
    )


def candidates(
    text: str,
    *,
    limit: int,
    month_slices: tuple[tuple[datetime.date, ...], ...] = (),
    sector: str = "",
    tag_id: int | None = None,
    cause: str = "",
    language: str = "",
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
        sector=bool(sector),
        tag=tag_id is not None,
        cause=bool(cause),
        phrase=pooled,
        slices=len(month_slices),
        language=bool(language),
    )
    parameters = {
        "published": Status.APPROVED.value,
        "config": SEARCH_CONFIG,
        "welsh_config": WELSH_SEARCH_CONFIG,
        "text": text,
        "limit": limit,
        "epoch": MONTH_EPOCH,
        "sector": sector,
        "tag": tag_id,
        "cause": cause,
        "language": language,
        "loose": text.replace('"', " "),
        "phrase_pool": PHRASE_POOL,
        "sliced": [month for months in month_slices for month in months],
        **{f"slice_{number}": list(months) for number, months in enumerate(month_slices)},
    }
    # Through the router, so a public search may run on the read replica (failshare/dbrouter.py).
    with connections[router.db_for_read(Confession)].cursor() as cursor:
        cursor.execute(sql, parameters)
        return [Candidate(*row) for row in cursor.fetchall()]


# ts_headline's options, as SearchHeadline writes them: the whole title marked, and up to two
# fragments of the lessons' opening.
_MARKS = f"StartSel='{HIGHLIGHT_START}', StopSel='{HIGHLIGHT_STOP}'"
_TITLE_MARKS = f"{_MARKS}, HighlightAll=true"
_LESSONS_MARKS = f"{_MARKS}, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=' … '"
# What a story card shows (templates/confessions/_card.html, as ``for_cards()`` reads it), with
# the title and lessons marked where the words of the search are, each in its own language.
_MARKED_CARDS_SQL = (
    "SELECT s.id, s.slug, s.title, s.sector, s.published_month, s.me_too_count, s.language, "  # noqa: S608
    "LEFT(s.what_we_learned, %(excerpt_chars)s) AS lessons_excerpt, "
    f"(SELECT COUNT(*) FROM {_RESPONSES} r "
    "WHERE r.confession_id = s.id AND r.status = %(response_published)s) AS response_count, "
    "ts_headline(own.config, s.title, own.query, %(title_marks)s) AS title_marked, "
    "ts_headline(own.config, LEFT(s.what_we_learned, %(highlight_chars)s), own.query, "
    "%(lessons_marks)s) AS lessons_marked "
    f"FROM {_STORIES} s CROSS JOIN LATERAL (SELECT c.config, "
    "websearch_to_tsquery(c.config, %(text)s) AS query FROM (SELECT CASE "
    f"WHEN s.language = {_WELSH} THEN %(welsh_config)s::regconfig "
    "ELSE %(config)s::regconfig END AS config) AS c) AS own "
    "WHERE s.status = %(published)s AND s.id = ANY(%(ids)s)"
)


def marked_cards(ids: list[int], text: str) -> list[Confession]:
    """The published stories among ``ids`` (in no order), read for their cards, each with
    ``title_marked`` and ``lessons_marked``: the title, and a snippet of the lessons' opening,
    with the words ``text`` finds between the highlight marks."""
    parameters = {
        "ids": ids,
        "text": text,
        "published": Status.APPROVED.value,
        "response_published": ResponseStatus.APPROVED.value,
        "config": SEARCH_CONFIG,
        "welsh_config": WELSH_SEARCH_CONFIG,
        "excerpt_chars": EXCERPT_CHARS,
        "highlight_chars": HIGHLIGHT_CHARS,
        "title_marks": _TITLE_MARKS,
        "lessons_marks": _LESSONS_MARKS,
    }
    return list(Confession.objects.raw(_MARKED_CARDS_SQL, parameters))


# Stories like a draft ("has this happened before?"): the draft's own most frequent words,
# looked for with "or" by the search above, then ranked by how much of them each story holds.
SIMILAR_WORDS = 12
SIMILAR_POOL = 1000
_LETTERS = re.compile(r"[^\W\d_]{4,}")
# Words of four letters or more that say nothing about what went wrong (PostgreSQL drops the
# shorter stop words itself).
_PLAIN_WORDS = frozenset(
    (
        "about",
        "after",
        "also",
        "because",
        "been",
        "before",
        "being",
        "could",
        "every",
        "from",
        "have",
        "into",
        "just",
        "more",
        "most",
        "much",
        "only",
        "other",
        "over",
        "said",
        "some",
        "such",
        "than",
        "that",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "very",
        "were",
        "what",
        "when",
        "which",
        "while",
        "will",
        "with",
        "would",
        "your",
        "ours",
        "didn",
        "does",
        "done",
        "make",
        "made",
        "like",
    )
)


def draft_words(title: str, text: str) -> list[str]:
    """The draft's words to look for: the title's count twice, the most frequent (then the
    longest, which are the rarer) first."""
    words = Counter()
    for weight, part in ((2, title), (1, text)):
        for word in _LETTERS.findall(part.lower()):
            if word not in _PLAIN_WORDS:
                words[word] += weight
    ranked = sorted(words.items(), key=lambda item: (-item[1], -len(item[0]), item[0]))
    return [word for word, _ in ranked[:SIMILAR_WORDS]]


def similar(
    title: str,
    text: str,
    *,
    limit: int,
    month_slices: tuple[tuple[datetime.date, ...], ...] = (),
    exclude_id: int | None = None,
) -> list[int]:
    """The ids of up to ``limit`` published stories most like this text, best first.

    Nothing here keeps the text: it goes into one query as a parameter, and is not cached."""
    words = draft_words(title, text)
    if not words:
        return []
    found = candidates(" or ".join(words), limit=SIMILAR_POOL, month_slices=month_slices)
    ranked = sorted(found, key=lambda c: (c.rank, c.month, c.id), reverse=True)
    return [c.id for c in ranked if c.id != exclude_id][:limit]


# PostgreSQL's English stop words (tsearch_data/english.stop, which the "english" configuration
# leaves out of every search), so telling a search of only such words needs no query;
# tests/test_reading_and_finding.py checks the list against the server's.
_ENGLISH_STOP = """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves what which
    who whom this that these those am is are was were be been being have has had having do
    does did doing a an the and but if or because as until while of at by for with about
    against between into through during before after above below to from up down in out on
    off over under again further then once here there when where why how all any both each
    few more most other some such no nor not only own same so than too very s t can will
    just don should now
    """
COMMON_WORDS = frozenset(_ENGLISH_STOP.split())


def only_common_words(text: str) -> bool:
    """Whether the search leaves every word of ``text`` out as too common ("the", "and it")."""
    words = re.findall(r"\w+", text.lower())
    return bool(words) and all(word in COMMON_WORDS for word in words)
