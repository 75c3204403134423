"""The open data: a read-only JSON API of the published stories and bulk downloads of them.

Only what the public already reads on the site is given: a story's text, sector, size, impact,
tags and the month it was published. Nothing about a writer exists to be given.
"""

LICENCE_NAME = "Creative Commons Attribution 4.0 International (CC BY 4.0)"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
LICENCE = (
    f"Published stories are open data under the {LICENCE_NAME} licence ({LICENCE_URL}): "
    "reuse them freely, crediting failshare."
)

# The columns the API and the downloads read: never the search vector (large) or the receipt.
STORY_COLUMNS = (
    "slug",
    "title",
    "sector",
    "organisation_size",
    "impact",
    "published_month",
    "causes",
    "what_happened",
    "what_went_wrong",
    "what_we_learned",
    "what_we_would_do_differently",
    "me_too_count",
)


def published_stories():
    """Published stories with what the API and downloads show, their tags included."""
    from confessions.models import Confession

    return Confession.objects.published().only(*STORY_COLUMNS).prefetch_related("tags")
