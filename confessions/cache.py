"""Invalidation of cached public story pages.

Every write that changes what the public sees (approve, withdraw, edit, back to pending,
"this happened to us too") calls ``published_changed()`` so cached pages show it at once.
"""


def published_changed() -> None:
    """Mark every cached public story page as stale."""
