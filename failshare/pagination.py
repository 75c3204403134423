"""Numbered page links, as GOV.UK's pagination shows them: the first and last pages, the
current one with its neighbours, and a gap (None) where numbers are left out."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None: a gap
    url: str = ""
    current: bool = False


def page_links(current: int, last: int, url: Callable[[int], str], around: int = 1) -> list:
    shown = sorted({1, last, *range(max(1, current - around), min(last, current + around) + 1)})
    links: list[PageLink] = []
    for number in shown:
        if links and number - links[-1].number > 1:
            links.append(PageLink(None))
        links.append(PageLink(number, url(number), number == current))
    return links
