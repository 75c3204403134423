"""The story list: reading its parameters, counting, faceting, searching and paging.

Built to stay fast at 100,000 stories: counts and facets are computed once per change of the
published stories (``failshare.pagecache.remember``), deep pages start from cached keyset
boundaries instead of scanning an OFFSET, and a search ranks a bounded set of candidates.
"""

import datetime
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from confessions import search
from confessions.models import Cause, Confession, Impact, Sector
from confessions.search import Candidate
from failshare import pagecache
from failshare.models import STORIES, ContentLanguage
from failshare.pagination import page_links

PAGE_SIZE = 20
# Search results come ten a page, as on most search pages: each card carries snippets marked up
# where the words were found, which PostgreSQL re-reads each text to make, the dearest part of a
# search page.
SEARCH_PAGE_SIZE = 10
# Below this many rows an OFFSET over the index costs less than anything cleverer.
KEYSET_FROM = 1000
# Deep pages start from the sort key of every BLOCK-th row, then skip fewer than BLOCK rows.
BLOCK = 1000
# A search ranks at most this many of its newest matches.
SEARCH_CANDIDATES = 200
# A search looks through the newest stories in slices of whole months ending at or after these
# positions, then the rest (see confessions.search.candidates): cheaper, and the same results.
SEARCH_SLICES = (1_000, 10_000)
TOP_TAGS = 15
QUERY_MAX = 200

SORT_CHOICES = [
    ("relevance", _("Best match")),
    ("newest", _("Newest first")),
    ("me-too", _("Most “this happened to us too”")),
]


# The impact filter: an impact, or stories whose writer did not give one.
IMPACT_NOT_GIVEN = "not-given"
# Translators: the impact of a story whose writer did not give one.
NOT_GIVEN = _("Not given")
IMPACT_CHOICES = [("", _("Any impact")), *Impact.choices, (IMPACT_NOT_GIVEN, NOT_GIVEN)]
ALL_SECTORS = _("All sectors")
ALL_CAUSES = _("All causes")
LANGUAGE_CHOICES = [("", _("Any language")), *ContentLanguage.choices]


class BrowseForm(forms.Form):
    q = forms.CharField(label=_("Search the stories"), required=False, max_length=QUERY_MAX)
    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=[("", ALL_SECTORS), *Sector.choices]
    )
    cause = forms.ChoiceField(
        label=_("Cause"), required=False, choices=[("", ALL_CAUSES), *Cause.choices]
    )
    tag = forms.SlugField(required=False, max_length=100, widget=forms.HiddenInput)
    # A month of publication, as YYYY-MM (the insights page's bars link to one).
    month = forms.RegexField(
        regex=r"^\d{4}-(0[1-9]|1[0-2])$", required=False, max_length=7, widget=forms.HiddenInput
    )
    impact = forms.ChoiceField(required=False, choices=IMPACT_CHOICES, widget=forms.HiddenInput)
    language = forms.ChoiceField(label=_("Language"), required=False, choices=LANGUAGE_CHOICES)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)


@dataclass
class Facet:
    label: str
    count: int
    url: str
    selected: bool = False


@dataclass
class Listing:
    form: BrowseForm
    page: Page
    q: str
    sector: str
    tag_slug: str
    tag_name: str
    sort: str
    total: int
    capped: bool
    sector_facets: list[Facet]
    tag_facets: list[Facet]
    sector_counts: dict[str, int]
    cause: str
    cause_facets: list[Facet]
    cause_counts: dict[str, int]
    month: str
    impact: str
    language: str
    typed_q: str
    unknown_tag: bool
    path: str
    notices: list[str] = field(default_factory=list)
    common_words_only: bool = False

    @property
    def filtered(self) -> bool:
        return bool(
            self.q
            or self.sector
            or self.tag_slug
            or self.cause
            or self.month
            or self.impact
            or self.language
        )

    @property
    def sector_label(self) -> str:
        return Sector(self.sector).label if self.sector else ""

    @property
    def sector_choices(self) -> list[tuple[str, str]]:
        # A sector without stories is not offered, unless it is the one chosen.
        return [("", ALL_SECTORS)] + [
            (value, f"{label} ({count})")
            for value, label in Sector.choices
            if (count := self.sector_counts.get(value, 0)) or value == self.sector
        ]

    @property
    def cause_label(self) -> str:
        return Cause(self.cause).label if self.cause else ""

    @property
    def language_label(self) -> str:
        return ContentLanguage(self.language).label if self.language else ""

    @property
    def language_choices(self) -> list[tuple[str, str]]:
        return LANGUAGE_CHOICES

    @property
    def impact_label(self) -> str:
        return dict(IMPACT_CHOICES)[self.impact] if self.impact else ""

    @property
    def month_label(self) -> str:
        return date_format(month_of(self.month), "F Y") if self.month else ""

    @property
    def cause_choices(self) -> list[tuple[str, str]]:
        # As for sectors: a cause without stories is not offered, unless it is the one chosen.
        return [("", ALL_CAUSES)] + [
            (value, f"{label} ({count})")
            for value, label in Cause.choices
            if (count := self.cause_counts.get(value, 0)) or value == self.cause
        ]

    @property
    def sort_choices(self) -> list[tuple[str, str]]:
        return [c for c in SORT_CHOICES if self.q or c[0] != "relevance"]

    def url(self, **changes) -> str:
        current = {
            "q": self.q,
            "sector": self.sector,
            "cause": self.cause,
            "tag": self.tag_slug,
            "month": self.month,
            "impact": self.impact,
            "language": self.language,
            "sort": self.sort,
        }
        return list_url(self.path, current, **changes)

    @property
    def page_links(self) -> list:
        return page_links(self.page.number, self.page.paginator.num_pages, self.page_url)

    def page_url(self, number: int) -> str:
        return self.url(page=number)

    @property
    def previous_url(self) -> str:
        return self.url(page=self.page.number - 1) if self.page.has_previous() else ""

    @property
    def next_url(self) -> str:
        return self.url(page=self.page.number + 1) if self.page.has_next() else ""

    @property
    def clear_url(self) -> str:
        return self.path

    @property
    def without_q_url(self) -> str:
        return self.url(q="")

    @property
    def without_sector_url(self) -> str:
        return self.url(sector="")

    @property
    def without_tag_url(self) -> str:
        return self.url(tag="")

    @property
    def without_cause_url(self) -> str:
        return self.url(cause="")

    @property
    def without_month_url(self) -> str:
        return self.url(month="")

    @property
    def without_impact_url(self) -> str:
        return self.url(impact="")

    @property
    def without_language_url(self) -> str:
        return self.url(language="")


def list_url(path: str, current: dict, **changes) -> str:
    """The list's address (``path``, reversed once per page: a list links to itself some thirty
    times) with ``changes`` applied; defaults are left out, page resets to 1."""
    params = {**current, "page": 1, **changes}
    default_sort = "relevance" if params["q"] else "newest"
    if params["sort"] == default_sort:
        params["sort"] = ""
    if params["page"] == 1:
        params["page"] = ""
    query = urlencode({key: value for key, value in params.items() if value})
    return f"{path}?{query}" if query else path


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def read_params(data) -> tuple[BrowseForm, dict, list[str]]:
    """Valid parameters, and a plain message for each one we had to ignore."""
    form = BrowseForm(data)
    form.is_valid()
    notices = []
    params = {name: form.cleaned_data.get(name) or "" for name in form.fields}
    if "q" in form.errors:
        notices.append(
            gettext(
                "Your search must be at most %(max)s characters of ordinary text, "
                "so it was ignored. Please shorten it."
            )
            % {"max": QUERY_MAX}
        )
    if "sector" in form.errors:
        notices.append(gettext("There is no such sector, so stories from every sector are shown."))
    if "impact" in form.errors:
        notices.append(gettext("There is no such impact, so stories of any impact are shown."))
    if "language" in form.errors:
        notices.append(
            gettext("There is no such language, so stories in every language are shown.")
        )
    if "month" in form.errors:
        notices.append(gettext("That is not a month, so stories from every month are shown."))
    if "cause" in form.errors:
        notices.append(gettext("There is no such cause, so stories with any cause are shown."))
    if "tag" in form.errors:
        notices.append(gettext("That is not a valid tag, so stories with any tag are shown."))
    if "sort" in form.errors:
        notices.append(gettext("That sort order is unknown, so the usual order is used."))
    params["q"] = _CONTROL.sub(" ", params["q"]).strip()
    if params["q"] and (params["month"] or params["impact"]):
        notices.append(
            gettext(
                "A search looks through stories of every month and impact, so those filters "
                "were left out."
            )
        )
        params["month"] = params["impact"] = ""
    if params["sort"] == "relevance" and not params["q"]:
        params["sort"] = ""
    params["sort"] = params["sort"] or ("relevance" if params["q"] else "newest")
    return form, params, notices


def clamp_page(requested: str, last: int) -> int:
    """A page number within 1..last, whatever was asked for."""
    try:
        number = int(requested.strip()[:12])
    except ValueError:
        return 1
    return min(max(number, 1), last)


# Counts and facets of the published stories without a search, computed once per change.


def remember(name: str, parts: tuple, compute, *, shared: bool = True):
    """``compute()``, kept until the published stories change (``failshare.pagecache``)."""
    return pagecache.remember(STORIES, name, parts, compute, shared=shared)


def month_of(value: str) -> datetime.date:
    """The first day of a valid YYYY-MM."""
    year, month = value.split("-")
    return datetime.date(int(year), int(month), 1)


def facet_table(month: str = "", impact: str = "", language: str = "") -> dict:
    """Stories per sector, and per (sector, tag), for the published stories (of one month, one
    impact and one language, if given)."""
    if month or impact or language:
        return remember(
            "facets",
            (month, impact, language),
            lambda: _compute_facet_table(month_of(month) if month else None, impact, language),
        )
    return remember("facets", (), _compute_facet_table)


def _impact_filter(impact: str) -> dict:
    return {"impact": "" if impact == IMPACT_NOT_GIVEN else impact} if impact else {}


CAUSES = list(enumerate(Cause.values))


def _cause_counts_by(stories, *names: str):
    """Rows of (*names, stories, stories with each cause in Cause's order), in one pass."""
    per_cause = {f"cause_{i}": Count("id", filter=Q(causes__contains=[c])) for i, c in CAUSES}
    grouped = stories.values(*names).annotate(n=Count("id"), **per_cause)
    return grouped.values_list(*names, "n", *per_cause)


def _compute_facet_table(
    month: datetime.date | None = None, impact: str = "", language: str = ""
) -> dict:
    published = Confession.objects.published().order_by().filter(**_impact_filter(impact))
    if language:
        published = published.filter(language=language)
    if month is not None:
        published = published.filter(published_month=month)
    sectors: Counter = Counter()
    months: Counter = Counter()
    # (sector, tag id or None for every story, cause): stories with that cause.
    cause_cells: Counter = Counter()
    for sector, month, n, *per_cause in _cause_counts_by(published, "sector", "published_month"):
        sectors[sector] += n
        months[month] += n
        for (_index, cause), with_cause in zip(CAUSES, per_cause, strict=True):
            if with_cause:
                cause_cells[(sector, None, cause)] += with_cause
    cells = {}
    for sector, tag_id, n, *per_cause in _cause_counts_by(
        published.filter(tags__isnull=False), "sector", "tags__id"
    ):
        cells[(sector, tag_id)] = n
        for (_index, cause), with_cause in zip(CAUSES, per_cause, strict=True):
            if with_cause:
                cause_cells[(sector, tag_id, cause)] = with_cause
    names = Tag.objects.filter(id__in={tag_id for _, tag_id in cells}).values_list(
        "id", "slug", "name"
    )
    tags = {tag_id: (slug, name) for tag_id, slug, name in names}
    return {
        "sectors": dict(sectors),
        "month_slices": _month_slices(months),
        "cells": cells,
        "cause_cells": dict(cause_cells),
        "tags": tags,
        "tag_ids": {slug: tag_id for tag_id, (slug, _) in tags.items()},
    }


def _month_slices(stories_per_month: Counter) -> tuple[tuple, ...]:
    """The months, newest first, in slices that end where SEARCH_SLICES' positions fall; the
    months after the last slice are left out."""
    slices, months, seen = [], [], 0
    positions = iter(SEARCH_SLICES)
    position = next(positions)
    for month in sorted(stories_per_month, reverse=True):
        months.append(month)
        seen += stories_per_month[month]
        if position is not None and seen >= position:
            slices.append(tuple(months))
            months = []
            while position is not None and seen >= position:
                position = next(positions, None)
        if position is None:
            break
    return tuple(slices)


def published_count_for_tag(tag_id: int) -> int:
    table = facet_table()
    return sum(n for (_, t), n in table["cells"].items() if t == tag_id)


def _count(table: dict, sector: str, tag_id: int | None, cause: str = "") -> int:
    if cause:
        return sum(
            n
            for (s, t, c), n in table["cause_cells"].items()
            if c == cause and t == tag_id and (not sector or s == sector)
        )
    if tag_id is None:
        return table["sectors"].get(sector, 0) if sector else sum(table["sectors"].values())
    return sum(
        n for (s, t), n in table["cells"].items() if t == tag_id and (not sector or s == sector)
    )


def _tag_counts(table: dict, sector: str, cause: str = "") -> Counter:
    counts: Counter = Counter()
    if cause:
        for (s, tag_id, c), n in table["cause_cells"].items():
            if c == cause and tag_id is not None and (not sector or s == sector):
                counts[tag_id] += n
        return counts
    for (s, tag_id), n in table["cells"].items():
        if not sector or s == sector:
            counts[tag_id] += n
    return counts


def _cause_counts(table: dict, sector: str, tag_id: int | None) -> Counter:
    counts: Counter = Counter()
    for (s, t, cause), n in table["cause_cells"].items():
        if t == tag_id and (not sector or s == sector):
            counts[cause] += n
    return counts


class StorySequence:
    """The published stories for one filter and sort, sliced the cheap way for Paginator."""

    def __init__(self, queryset, sort: str, total: int, boundary_key: tuple):
        self.queryset = queryset
        self.sort = sort
        self.total = total
        self.boundary_key = boundary_key

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, window: slice) -> list:
        start, stop = window.start, window.stop
        rows = self.queryset.sorted_by(self.sort)
        if start >= KEYSET_FROM:
            starts = remember(
                "page-starts",
                (*self.boundary_key, BLOCK),
                lambda: self.queryset.page_starts(self.sort, BLOCK, self.total),
            )
            rows = rows.from_key(self.sort, starts[start // BLOCK])
            start, stop = start % BLOCK, start % BLOCK + (stop - start)
        # Find the page's ids on the narrow sort index first, then read just those rows.
        page_ids = rows.values("id")[start:stop]
        return list(Confession.objects.filter(id__in=page_ids).sorted_by(self.sort).for_cards())


class CardTag(NamedTuple):
    """A tag as a card links it (templates/tags/_tag_list.html)."""

    slug: str
    name: str


class SearchSequence:
    """Ranked search candidates (already ordered); the cards are read per page only, their
    tags taken from the candidates and the facet table's names."""

    def __init__(self, candidates: list[Candidate], text: str, tags: dict):
        self.ids = [c.id for c in candidates]
        self.tag_ids = {c.id: c.tag_ids for c in candidates}
        self.tags = tags
        self.text = text

    def count(self) -> int:
        return len(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, window: slice) -> list:
        ids = self.ids[window]
        if not ids:  # a search that found nothing: no cards to build a query for
            return []
        by_id = {story.id: story for story in Confession.objects.search_cards(ids, self.text)}
        for story in by_id.values():
            named = (self.tags.get(tag_id) for tag_id in self.tag_ids[story.id])
            story.card_tags = [CardTag(slug, name) for slug, name in filter(None, named)]
        return [by_id[i] for i in ids if i in by_id]


def _candidates(
    q: str, sector: str, tag_id: int | None, cause: str = "", language: str = ""
) -> list[Candidate]:
    """The ranked candidates of a search, best first.

    Kept in this process only, for the next pages and other orders of the same search: sharing
    them cost two round trips to the shared cache on every new search, more than finding them
    again for the next page when another process serves it."""

    def compute():
        found = Confession.objects.search(
            q,
            limit=SEARCH_CANDIDATES,
            month_slices=facet_table()["month_slices"],
            sector=sector,
            tag_id=tag_id,
            cause=cause,
            language=language,
        )
        return sorted(found, key=lambda c: (c.rank, c.month, c.id), reverse=True)

    return remember("search", (q, sector, tag_id, cause, language), compute, shared=False)


def _ordered_candidates(candidates: list[Candidate], sort: str) -> list[Candidate]:
    if sort == "newest":
        candidates = sorted(candidates, key=lambda c: (c.month, c.id), reverse=True)
    elif sort == "me-too":
        candidates = sorted(candidates, key=lambda c: (c.me_too_count, c.month, c.id), reverse=True)
    return candidates


def _search_tag_counts(candidates: list[Candidate], tags: dict) -> list[tuple[str, str, int]]:
    counts = Counter(tag_id for c in candidates for tag_id in c.tag_ids)
    return [(*tags[tag_id], n) for tag_id, n in counts.most_common(TOP_TAGS) if tag_id in tags]


def browse(data) -> Listing:
    form, params, notices = read_params(data)
    q, sector, tag_slug, sort = params["q"], params["sector"], params["tag"], params["sort"]
    cause, month, impact = params["cause"], params["month"], params["impact"]
    language = params["language"]
    table = facet_table(month, impact, language)
    # Tags are known across every month, even when the month shown has none of one.
    every_month = facet_table() if month or impact or language else table
    tag_id = every_month["tag_ids"].get(tag_slug) if tag_slug else None
    tag_name = every_month["tags"][tag_id][1] if tag_id is not None else ""
    unknown_tag = bool(tag_slug) and tag_id is None

    path = reverse("confessions:list")

    def url(**changes):
        current = {
            "q": q,
            "sector": sector,
            "cause": cause,
            "tag": tag_slug,
            "month": month,
            "impact": impact,
            "language": language,
            "sort": sort,
        }
        return list_url(path, current, **changes)

    capped = False
    if unknown_tag:
        sequence: StorySequence | SearchSequence | list = []
        sector_counts: dict = {}
        tag_counts: list[tuple[str, str, int]] = []
        cause_counts: dict = {}
    elif q:
        candidates = _candidates(q, sector, tag_id, cause, language)
        capped = len(candidates) >= SEARCH_CANDIDATES
        sequence = SearchSequence(_ordered_candidates(candidates, sort), q, table["tags"])
        across_sectors = _candidates(q, "", tag_id, cause, language) if sector else candidates
        sector_counts = Counter(c.sector for c in across_sectors)
        # Each facet counts the search with the other filters, but across all of its own.
        across_tags = (
            _candidates(q, sector, None, cause, language) if tag_id is not None else candidates
        )
        tag_counts = _search_tag_counts(across_tags, table["tags"])
        across_causes = _candidates(q, sector, tag_id, "", language) if cause else candidates
        cause_counts = Counter(c for found in across_causes for c in found.causes)
    else:
        total = _count(table, sector, tag_id, cause)
        queryset = Confession.objects.published().in_sector(sector).tagged(tag_id).with_cause(cause)
        if month:
            queryset = queryset.filter(published_month=month_of(month))
        queryset = queryset.filter(**_impact_filter(impact))
        if language:
            queryset = queryset.filter(language=language)
        scope = (sector, tag_id, cause, month, impact, language, sort)
        sequence = StorySequence(queryset, sort, total, scope)
        sector_counts = {value: _count(table, value, tag_id, cause) for value, _ in Sector.choices}
        tag_counts = [
            (*table["tags"][i], n)
            for i, n in _tag_counts(table, sector, cause).most_common(TOP_TAGS)
        ]
        cause_counts = _cause_counts(table, sector, tag_id)

    # Only when nothing was found: why, if every word was too common to search for.
    common_words_only = bool(q) and not len(sequence) and search.only_common_words(q)
    paginator = Paginator(sequence, SEARCH_PAGE_SIZE if q else PAGE_SIZE)
    requested = data.get("page", "")
    number = clamp_page(requested, paginator.num_pages)
    if requested and str(number) != requested.strip():
        notices.append(
            gettext("There is no page “%(requested)s”, so page %(number)s is shown.")
            % {"requested": requested[:20], "number": number}
        )
    page = paginator.page(number)

    sector_facets = [
        Facet(label, sector_counts.get(value, 0), url(sector=value), value == sector)
        for value, label in Sector.choices
        if sector_counts.get(value, 0) or value == sector
    ]
    tag_facets = [Facet(name, n, url(tag=slug), slug == tag_slug) for slug, name, n in tag_counts]
    cause_facets = [
        Facet(label, cause_counts.get(value, 0), url(cause=value), value == cause)
        for value, label in Cause.choices
        if cause_counts.get(value, 0) or value == cause
    ]
    return Listing(
        form=form,
        page=page,
        q=q,
        sector=sector,
        tag_slug=tag_slug,
        tag_name=tag_name,
        sort=sort,
        total=paginator.count,
        capped=capped,
        sector_facets=sector_facets,
        tag_facets=tag_facets,
        sector_counts=dict(sector_counts),
        cause=cause,
        cause_facets=cause_facets,
        cause_counts=dict(cause_counts),
        month=month,
        impact=impact,
        language=language,
        typed_q=_CONTROL.sub(" ", data.get("q", ""))[: QUERY_MAX * 2],
        unknown_tag=unknown_tag,
        path=path,
        notices=notices,
        common_words_only=common_words_only,
    )
