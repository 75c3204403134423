"""Stories made straight through the ORM, as the moderation services would leave them."""

import datetime
import itertools
import secrets

from confessions.models import Confession, Sector, Status, new_slug

_numbers = itertools.count(1)


def make_story(
    *,
    title: str | None = None,
    sector: str = Sector.LOCAL_GOVERNMENT,
    status: str = Status.APPROVED,
    published_month: datetime.date | None = datetime.date(2026, 10, 1),
    tags: tuple[str, ...] = (),
    me_too_count: int = 0,
    what_happened: str = "A supplier delivered a system that did not fit how the team works.",
    what_went_wrong: str = "Nobody who used the service was asked what they needed.",
    what_we_learned: str = "Involve the people doing the work from the very start.",
    what_we_would_do_differently: str = "Test with real users every fortnight.",
    **fields,
) -> Confession:
    number = next(_numbers)
    title = title or f"Story number {number} about a project that went wrong"
    story = Confession.objects.create(
        slug=new_slug(title),
        title=title,
        sector=sector,
        status=status,
        published_month=published_month if status == Status.APPROVED else None,
        me_too_count=me_too_count,
        what_happened=what_happened,
        what_went_wrong=what_went_wrong,
        what_we_learned=what_we_learned,
        what_we_would_do_differently=what_we_would_do_differently,
        receipt_hash=secrets.token_hex(32),
        **fields,
    )
    if tags:
        story.tags.add(*tags)
    return story


def make_stories(
    count: int, *, tags: tuple[str, ...] = ("budgets", "procurement", "agile"), **fields
):
    """``count`` approved stories, newest last, each with all of ``tags``."""
    sectors = [value for value, _ in Sector.choices]
    return [
        make_story(
            sector=sectors[i % len(sectors)],
            published_month=datetime.date(2020 + i // 12, i % 12 + 1, 1),
            tags=tags,
            **fields,
        )
        for i in range(count)
    ]
