"""Consent before publication: what a moderator changed in a story, and whether it needs the
writer's agreement.

A change that only puts the redaction mark (``[removed]``) in place of some words needs no
agreement; any other rewording waits for the writer, who sees it section by section on the
receipt page (``changes``) and publishes it, withdraws the story or replies.
"""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.utils.translation import gettext_lazy as _

from confessions.conversation import REDACTION

TEXT_FIELDS = (
    "title",
    "what_happened",
    "what_went_wrong",
    "what_we_learned",
    "what_we_would_do_differently",
)
LABELS = {
    "title": _("Title"),
    "what_happened": _("What happened"),
    "what_went_wrong": _("What went wrong and why"),
    "what_we_learned": _("What we learned"),
    "what_we_would_do_differently": _("What we would do differently"),
}
# Words and single marks, each with the spaces after it: a shared space never splits a change.
_TOKENS = re.compile(r"^\s+|" + re.escape(REDACTION) + r"\s*|\w+\s*|[^\w\s]\s*")


@dataclass(frozen=True)
class Piece:
    """A run of text in a comparison: ``kind`` is "same", "removed" or "added"."""

    kind: str
    text: str


@dataclass(frozen=True)
class SectionChanges:
    name: str
    label: str
    pieces: list[Piece]


def _tokens(text: str) -> list[str]:
    return _TOKENS.findall(text.replace("\r\n", "\n"))


def _is_redaction(new: list[str]) -> bool:
    words = [token.strip() for token in new if not token.isspace()]
    return bool(words) and all(word == REDACTION for word in words)


def _opcodes(old: str, new: str):
    a, b = _tokens(old), _tokens(new)
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        yield tag, a[i1:i2], b[j1:j2]


def only_redactions(old: str, new: str) -> bool:
    """True when every change from ``old`` to ``new`` replaces words with the redaction mark."""
    return all(tag == "equal" or _is_redaction(b) for tag, _, b in _opcodes(old, new))


def redacted_only(old: str, new: str) -> str:
    """``old`` with only the redactions of ``new`` applied: every other rewording left out.

    A rewording that runs into a redaction (no unchanged word between them) is one change,
    and is left out whole: the writer's words stay there rather than words they never saw."""
    kept = []
    for tag, a, b in _opcodes(old, new):
        kept += b if tag != "equal" and _is_redaction(b) else a
    return "".join(kept)


def pieces(old: str, new: str) -> list[Piece]:
    found = []
    for tag, a, b in _opcodes(old, new):
        if tag == "equal":
            found.append(Piece("same", "".join(a)))
            continue
        if a:
            found.append(Piece("removed", "".join(a)))
        if b:
            found.append(Piece("added", "".join(b)))
    return found


def texts(obj) -> dict[str, str]:
    return {name: getattr(obj, name) for name in TEXT_FIELDS}


def needs_consent(agreed: dict[str, str], current: dict[str, str]) -> bool:
    return not all(only_redactions(agreed[name], current[name]) for name in TEXT_FIELDS)


def changes(agreed: dict[str, str], current: dict[str, str]) -> list[SectionChanges]:
    """Each section the moderator changed, as pieces to show struck through or marked."""
    return [
        SectionChanges(name, LABELS[name], pieces(agreed[name], current[name]))
        for name in TEXT_FIELDS
        if agreed[name] != current[name]
    ]
