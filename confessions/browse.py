"""The story list: reading its parameters, counting, faceting, searching and paging.

Built to stay fast at 100,000 stories: counts and facets are computed once per change of the
published stories (``failshare.pagecache.remember``), deep pages start from cached keyset
boundaries instead of scanning an OFFSET, and a search ranks a bounded set of candidates.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import Count
from django.urls import reverse
from taggit.models import Tag

from confessions.models import Confession, Sector
from confessions.search import Candidate
from failshare import pagecache
from failshare.models import STORIES

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
    ("relevance", "Best match"),
    ("newest", "Newest first"),
    ("me-too", "Most “this happened to us too”"),
]


class BrowseForm(forms.Form):
    q = forms.CharField(label="Search the stories", required=False, max_length=QUERY_MAX)
    sector = forms.ChoiceField(
        label="Sector", required=False, choices=[("", "All sectors"), *Sector.choices]
    )
    tag = forms.SlugField(required=False, max_length=100, widget=forms.HiddenInput)
    sort = forms.ChoiceField(label="Sort by", required=False, choices=SORT_CHOICES)


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
    typed_q: str
    unknown_tag: bool
    path: str
    notices: list[str] = field(default_factory=list)

    @property
    def filtered(self) -> bool:
        return bool(self.q or self.sector or self.tag_slug)

    @property
    def sector_label(self) -> str:
        return Sector(self.sector).label if self.sector else ""

    @property
    def sector_choices(self) -> list[tuple[str, str]]:
        return [("", "All sectors")] + [
            (value, f"{label} ({self.sector_counts.get(value, 0)})")
            for value, label in Sector.choices
        ]

    @property
    def sort_choices(self) -> list[tuple[str, str]]:
        return [c for c in SORT_CHOICES if self.q or c[0] != "relevance"]

    def url(self, **changes) -> str:
        current = {"q": self.q, "sector": self.sector, "tag": self.tag_slug, "sort": self.sort}
        return list_url(self.path, current, **changes)

    @property
    def previous_url(self) -> str:
        return self.url(page=self.page.previous_page_number())

    @property
    def next_url(self) -> str:
        return self.url(page=self.page.next_page_number())

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
            f"Your search must be at most {QUERY_MAX} characters of ordinary text, "
            "so it was ignored. Please shorten it."
        )
    if "sector" in form.errors:
        notices.append("There is no such sector, so stories from every sector are shown.")
    if "tag" in form.errors:
        notices.append("That is not a valid tag, so stories with any tag are shown.")
    if "sort" in form.errors:
        notices.append("That sort order is unknown, so the usual order is used.")
    params["q"] = _CONTROL.sub(" ", params["q"]).strip()
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


def facet_table() -> dict:
    """Stories per sector, and per (sector, tag), for the published stories."""
    return remember("facets", (), _compute_facet_table)


def _compute_facet_table() -> dict:
    published = Confession.objects.published().order_by()
    sectors: Counter = Counter()
    months: Counter = Counter()
    for sector, month, n in published.values_list("sector", "published_month").annotate(
        n=Count("id")
    ):
        sectors[sector] += n
        months[month] += n
    pairs = published.filter(tags__isnull=False).values_list("sector", "tags__id")
    cells = {(sector, tag_id): n for sector, tag_id, n in pairs.annotate(n=Count("id"))}
    names = Tag.objects.filter(id__in={tag_id for _, tag_id in cells}).values_list(
        "id", "slug", "name"
    )
    tags = {tag_id: (slug, name) for tag_id, slug, name in names}
    return {
        "sectors": dict(sectors),
        "month_slices": _month_slices(months),
        "cells": cells,
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


def _count(table: dict, sector: str, tag_id: int | None) -> int:
    if tag_id is None:
        return table["sectors"].get(sector, 0) if sector else sum(table["sectors"].values())
    return sum(
        n for (s, t), n in table["cells"].items() if t == tag_id and (not sector or s == sector)
    )


def _tag_counts(table: dict, sector: str) -> Counter:
    counts: Counter = Counter()
    for (s, tag_id), n in table["cells"].items():
        if not sector or s == sector:
            counts[tag_id] += n
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


class SearchSequence:
    """Ranked search candidates (already ordered); the cards are read per page only."""

    def __init__(self, candidate_ids: list[int], text: str):
        self.ids = candidate_ids
        self.text = text

    def count(self) -> int:
        return len(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, window: slice) -> list:
        ids = self.ids[window]
        found = Confession.objects.published().filter(id__in=ids).for_cards()
        by_id = {story.id: story for story in found.highlighted(self.text)}
        return [by_id[i] for i in ids if i in by_id]


def _candidates(q: str, sector: str, tag_id: int | None) -> list[Candidate]:
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
        )
        return sorted(found, key=lambda c: (c.rank, c.month, c.id), reverse=True)

    return remember("search", (q, sector, tag_id), compute, shared=False)


def _ordered_candidates(candidates: list[Candidate], sort: str) -> list[int]:
    if sort == "newest":
        candidates = sorted(candidates, key=lambda c: (c.month, c.id), reverse=True)
    elif sort == "me-too":
        candidates = sorted(candidates, key=lambda c: (c.me_too_count, c.month, c.id), reverse=True)
    return [c.id for c in candidates]


def _search_tag_counts(candidates: list[Candidate], tags: dict) -> list[tuple[str, str, int]]:
    counts = Counter(tag_id for c in candidates for tag_id in c.tag_ids)
    return [(*tags[tag_id], n) for tag_id, n in counts.most_common(TOP_TAGS) if tag_id in tags]


def browse(data) -> Listing:
    form, params, notices = read_params(data)
    q, sector, tag_slug, sort = params["q"], params["sector"], params["tag"], params["sort"]
    table = facet_table()
    tag_id = table["tag_ids"].get(tag_slug) if tag_slug else None
    tag_name = table["tags"][tag_id][1] if tag_id is not None else ""
    unknown_tag = bool(tag_slug) and tag_id is None

    path = reverse("confessions:list")

    def url(**changes):
        current = {"q": q, "sector": sector, "tag": tag_slug, "sort": sort}
        return list_url(path, current, **changes)

    capped = False
    if unknown_tag:
        sequence: StorySequence | SearchSequence | list = []
        sector_counts: dict = {}
        tag_counts: list[tuple[str, str, int]] = []
    elif q:
        candidates = _candidates(q, sector, tag_id)
        capped = len(candidates) >= SEARCH_CANDIDATES
        sequence = SearchSequence(_ordered_candidates(candidates, sort), q)
        across_sectors = _candidates(q, "", tag_id) if sector else candidates
        sector_counts = Counter(c.sector for c in across_sectors)
        # Tag facets count the search within the sector but across every tag.
        across_tags = _candidates(q, sector, None) if tag_id is not None else candidates
        tag_counts = _search_tag_counts(across_tags, table["tags"])
    else:
        total = _count(table, sector, tag_id)
        queryset = Confession.objects.published().in_sector(sector).tagged(tag_id)
        sequence = StorySequence(queryset, sort, total, (sector, tag_id, sort))
        sector_counts = {value: _count(table, value, tag_id) for value, _ in Sector.choices}
        tag_counts = [
            (*table["tags"][i], n) for i, n in _tag_counts(table, sector).most_common(TOP_TAGS)
        ]

    paginator = Paginator(sequence, SEARCH_PAGE_SIZE if q else PAGE_SIZE)
    requested = data.get("page", "")
    number = clamp_page(requested, paginator.num_pages)
    if requested and str(number) != requested.strip():
        notices.append(f"There is no page “{requested[:20]}”, so page {number} is shown.")
    page = paginator.page(number)

    sector_facets = [
        Facet(label, sector_counts.get(value, 0), url(sector=value), value == sector)
        for value, label in Sector.choices
        if sector_counts.get(value, 0) or value == sector
    ]
    tag_facets = [Facet(name, n, url(tag=slug), slug == tag_slug) for slug, name, n in tag_counts]
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
        typed_q=_CONTROL.sub(" ", data.get("q", ""))[: QUERY_MAX * 2],
        unknown_tag=unknown_tag,
        path=path,
        notices=notices,
    )
