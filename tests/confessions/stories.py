"""Helpers shared by the story tests: a valid story, and sending it as a browser would."""

import re
import uuid

from taggit.utils import edit_string_for_tags

from confessions.receipts import new_receipt_code
from confessions.services import confession_submit

NEW = "/confessions/new/"
RECEIPT = "/confessions/receipt/"


def story_data(**overrides) -> dict:
    data = {
        "title": "The portal nobody could use",
        "sector": "local-government",
        "organisation_size": "large",
        "what_happened": "We built a new portal for paying for bulky waste collections.",
        "what_went_wrong": "Nobody tested it with residents before launch.",
        "what_we_learned": "Test with real users early, and often.",
        "what_we_would_do_differently": "Start with research, not a supplier demo.",
        "impact": "medium",
        "tags": "User research, Procurement",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return data


def form_token(client) -> str:
    page = client.get(NEW).content.decode()
    return re.search(r'name="token" value="([^"]+)"', page).group(1)


def tokens_in(response) -> list[str]:
    return re.findall(r'name="token" value="([^"]+)"', response.content.decode())


def post_step(client, step: str, token: str | None = None, headers: dict | None = None, **fields):
    """Post the story form's ``step`` (preview, edit or submit) as the browser would."""
    data = story_data(**fields)
    data["step"] = step
    data["token"] = form_token(client) if token is None else token
    return client.post(NEW, data, **(headers or {}))


def receipt_code_in(response) -> str:
    return re.search(r'id="receipt-code">([^<]+)<', response.content.decode()).group(1)


def submit(client, headers: dict | None = None, **fields) -> tuple:
    """Send a story straight to the last step; returns (response, receipt code or None)."""
    response = post_step(client, "submit", headers=headers, **fields)
    code = receipt_code_in(response) if response.status_code == 200 else None
    return response, code


def make_confession(**overrides):
    """A stored, pending story and its receipt code, made as the public form makes them."""
    code = new_receipt_code()
    fields = {
        "title": "The portal nobody could use",
        "sector": "local-government",
        "what_happened": "We built a new portal for paying for bulky waste collections.",
        "what_went_wrong": "Nobody tested it with residents before launch.",
        "what_we_learned": "Test with real users early, and often.",
        "what_we_would_do_differently": "Start with research, not a supplier demo.",
        "tags": ["user research"],
    }
    fields.update(overrides)
    confession = confession_submit(**fields, receipt_code=code, submission_key=uuid.uuid4())
    return confession, code


# The moderation admin, driven as a moderator's browser would.

CHANGELIST = "/admin/confessions/confession/"
REJECT = "/admin/confessions/confession/reject/"


def change_url(confession) -> str:
    return f"/admin/confessions/confession/{confession.pk}/change/"


def action(client, name, *confessions):
    return client.post(
        CHANGELIST,
        {"action": name, "_selected_action": [c.pk for c in confessions], "index": 0},
    )


def change_form_data(confession, **changes) -> dict:
    data = {
        "language": confession.language,
        "title": confession.title,
        "sector": confession.sector,
        "organisation_size": confession.organisation_size,
        "impact": confession.impact,
        "causes": confession.causes,
        "tags": edit_string_for_tags(list(confession.tags.all())),
        "what_happened": confession.what_happened,
        "what_went_wrong": confession.what_went_wrong,
        "what_we_learned": confession.what_we_learned,
        "what_we_would_do_differently": confession.what_we_would_do_differently,
        "decisions-TOTAL_FORMS": "0",
        "decisions-INITIAL_FORMS": "0",
        "decisions-MIN_NUM_FORMS": "0",
        "decisions-MAX_NUM_FORMS": "0",
    }
    data.update(changes)
    return data
