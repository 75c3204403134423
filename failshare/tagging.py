"""Tags are parsed one way everywhere: split at commas only, spaces folded, lower case.

Set as taggit's ``TAGGIT_TAGS_FROM_STRING`` and ``TAGGIT_STRING_FROM_TAGS``, so the admin's tag
fields and the story form agree: "user research" is one tag, never two.
"""


def parse_tags(text: str) -> list[str]:
    """The tags typed in ``text``, in the order typed, each once."""
    names = (" ".join(part.split()).lower() for part in text.split(","))
    return list(dict.fromkeys(name for name in names if name))


def edit_string_for_tags(tags) -> str:
    """The tags as one would type them back: ``procurement, user research``."""
    return ", ".join(sorted(tag.name for tag in tags))
