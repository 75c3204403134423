"""Every public page in Welsh, with no English left in its interface.

Each page is fetched under /cy/ and at its English address. Any piece of text (a text node, or
an attribute a person hears or sees: title, alt, aria-label, placeholder, a button's value) that
is the same in both, and is not content people wrote (stories, events, tags, addresses), is
interface English that was never translated: the test names it. So a string nobody marked is
caught as surely as one marked but left untranslated. The English interface's own phrases (the
catalogue's msgids) are also looked for directly.
"""

import gettext
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.urls import URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern
from django.utils import timezone
from taggit.models import Tag

from confessions.digests.models import Subscription
from confessions.digests.tokens import confirm_token, manage_token
from confessions.models import Confession
from events.models import Event, Registration, RegistrationStatus
from events.replies import feedback_token, reply_token
from tests.people import make_user

pytestmark = pytest.mark.django_db

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "cy" / "LC_MESSAGES" / "django.mo"
# The same in both languages by nature: names, and the switch's own language names.
THE_SAME_IN_BOTH = {"failshare", "Chatham House", "English", "Cymraeg", "RSS", "Atom", "API"}
# Pages reached only by POST, files, or feeds (checked by their own tests), by route name.
NOT_PAGES = {
    "confessions:feed",
    "confessions:me_too",
    "confessions:responses_feed",
    "confessions:helped",
    "events:calendar",
    "events:region",
    "digests:remove_mine",
    # The same view and page as a story's report page, which is walked.
    "confessions:report_response",
}
EMAIL_ADDRESS = re.compile(r"[^@\s]+@[^@\s]+")
ATTRIBUTES = {"title", "alt", "aria-label", "placeholder", "aria-description"}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        values = dict(attrs)
        for name in ATTRIBUTES & values.keys():
            self.pieces.append(values[name] or "")
        if tag == "input" and values.get("type") in ("submit", "button"):
            self.pieces.append(values.get("value") or "")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.pieces.append(data)


def text_pieces(body: str) -> set[str]:
    parser = _Text()
    parser.feed(body)
    pieces = {re.sub(r"\s+", " ", piece).strip() for piece in parser.pieces}
    return {piece for piece in pieces if re.search(r"[A-Za-z]{2}", piece)}


def content_strings() -> list[str]:
    """Every text people or organisers wrote, as stored: pages may quote any part of it."""
    found = []
    for model in apps.get_models():
        if model._meta.app_label not in ("confessions", "events", "auth", "taggit"):
            continue
        fields = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField | models.EmailField)
        ]
        for row in model.objects.values_list(*fields):
            found.extend(re.sub(r"\s+", " ", value) for value in row if isinstance(value, str))
    found.extend(Tag.objects.values_list("name", flat=True))
    return found


def is_content(piece: str, content: list[str]) -> bool:
    core = piece.removesuffix(f" – {settings.SITE_NAME}").strip(" …:.,()“”\"'#")
    return any(core in value for value in content)


def compiled_catalogue() -> dict:
    """The Welsh catalogue as the site reads it: each English msgid with its Welsh."""
    with CATALOGUE.open("rb") as compiled:
        return gettext.GNUTranslations(compiled)._catalog


def same_in_welsh() -> set[str]:
    """The interface's words that Welsh writes as English does ("Data", "Sector")."""
    catalogue = compiled_catalogue()
    return {msgid for msgid, msgstr in catalogue.items() if msgid == msgstr and msgid}


def without_counts(piece: str) -> str:
    """ "Data: 11" and "Data (1)" are the word "Data" with a count."""
    return re.sub(r"(:\s*\d+|\s*\(\d+\))$", "", piece)


@pytest.fixture
def site(client):
    call_command("seed_demo", verbosity=0)
    person = make_user("cymro@example.org")
    story = Confession.objects.published().first()
    event = Event.objects.filter(starts_at__gt=timezone.now()).order_by("starts_at").first()
    registration = Registration.objects.create(
        event=event, user=person, status=RegistrationStatus.CONFIRMED, language="cy"
    )
    subscription = Subscription.objects.create(email=person.email, frequency="weekly")
    return {
        "person": person,
        "story": story,
        "event": event,
        "registration": registration,
        "subscription": subscription,
        "tag": story.tags.first(),
    }


def public_pages(site) -> dict[str, str]:
    """Every page of the site people read, by route name, at its English address."""
    story, event, registration = site["story"], site["event"], site["registration"]
    subscription = site["subscription"]
    return {
        "home": "/",
        "privacy": "/privacy/",
        "accessibility": "/accessibility/",
        "insights": "/insights/",
        "tag": f"/tags/{site['tag'].slug}/",
        "account_delete": "/accounts/delete/",
        "confessions:list": "/confessions/",
        "confessions:new": "/confessions/new/",
        "confessions:receipt": "/confessions/receipt/",
        "confessions:detail": story.get_absolute_url(),
        "confessions:respond": f"{story.get_absolute_url()}respond/",
        "confessions:report": f"{story.get_absolute_url()}report/",
        "events:list": "/events/",
        "events:past": "/events/past/",
        "events:mine": "/events/mine/",
        "events:detail": event.get_absolute_url(),
        "events:register": f"{event.get_absolute_url()}register/",
        "events:cancel": f"{event.get_absolute_url()}cancel/",
        "events:answers": f"{event.get_absolute_url()}answers/",
        "events:feedback": f"/events/feedback/{feedback_token(registration)}/",
        "events:reply-coming": f"/events/reply/coming/{reply_token(registration, 'coming')}/",
        "events:reply-not-coming": (
            f"/events/reply/not-coming/{reply_token(registration, 'not-coming')}/"
        ),
        "digests:subscribe": "/subscriptions/",
        "digests:confirm": f"/subscriptions/confirm/{confirm_token(subscription)}/",
        "digests:manage": f"/subscriptions/manage/{manage_token(subscription)}/",
        "digests:unsubscribe": (f"/subscriptions/unsubscribe/{manage_token(subscription)}/"),
        "resources:list": "/resources/",
        "resources:suggest": "/resources/suggest/",
        "account_login": "/accounts/login/",
        "account_signup": "/accounts/signup/",
        "account_reset_password": "/accounts/password/reset/",
        "account_reset_password_done": "/accounts/password/reset/done/",
        "account_email_verification_sent": "/accounts/confirm-email/",
        "not found": "/no-such-page/",
    }


def signed_in_pages() -> set[str]:
    return {
        "account_delete",
        "events:mine",
        "events:register",
        "events:cancel",
        "events:answers",
        "account_email",
        "account_change_password",
        "account_logout",
    }


def route_names() -> set[str]:
    """The names of the routes under the language prefix: the pages this test must visit."""
    (prefixed,) = [
        entry
        for entry in get_resolver().url_patterns
        if isinstance(entry, URLResolver) and isinstance(entry.pattern, LocalePrefixPattern)
    ]
    names = set()

    def walk(resolver, namespace):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                inner = entry.namespace or namespace
                walk(entry, inner)
            elif entry.name:
                names.add(f"{namespace}:{entry.name}" if namespace else entry.name)

    walk(prefixed, "")
    return names


def english_phrases() -> set[str]:
    """The interface's phrases of three words or more, as its English says them."""
    catalogue = compiled_catalogue()
    return {
        re.sub(r"\s+", " ", msgid)
        for msgid, msgstr in catalogue.items()
        if isinstance(msgid, str)
        and msgid != msgstr
        and "%" not in msgid
        and "{" not in msgid
        and len(msgid.split()) >= 3
    }


def test_every_page_is_walked(site):
    walked = set(public_pages(site)) | NOT_PAGES | signed_in_pages()
    # allauth's routes this site does not offer (social accounts, codes, sessions) answer 404.
    allauth_unused = {
        name
        for name in route_names()
        if name.startswith(("socialaccount_", "mfa_", "usersessions"))
    }
    assert (
        route_names()
        - walked
        - allauth_unused
        - {
            "account_confirm_email",
            "account_reset_password_from_key",
            "account_reset_password_from_key_done",
            "account_inactive",
            "account_set_password",
            "account_login_code_confirm",
            "account_request_login_code",
            "account_reauthenticate",
            "account_email_verification_sent",
            "account_confirm_login_code",
            "account_change_phone",
            "account_verify_phone",
            "account_reauthenticate_code",
            "account_confirm_code",
        }
        == set()
    )


@pytest.mark.parametrize("signed_in", [False, True], ids=["signed out", "signed in"])
def test_no_english_is_left_on_a_welsh_page(site, signed_in):
    english, welsh = Client(), Client()
    if signed_in:
        english.force_login(site["person"])
        welsh.force_login(site["person"])
    content = content_strings()
    phrases = english_phrases()
    same = THE_SAME_IN_BOTH | same_in_welsh()
    pages = public_pages(site)
    if signed_in:
        pages = {name: path for name, path in pages.items() if name in signed_in_pages()}
        pages.update(
            {
                "account_email": "/accounts/email/",
                "account_change_password": "/accounts/password/change/",
                "account_logout": "/accounts/logout/",
            }
        )
    left = {}
    for name, path in pages.items():
        in_welsh = welsh.get("/cy" + path, follow=True)
        assert in_welsh.status_code in (200, 400, 404), (name, in_welsh.status_code)
        body = in_welsh.content.decode()
        assert '<html lang="cy"' in body, name
        both = text_pieces(body) & text_pieces(english.get(path, follow=True).content.decode())
        untranslated = {
            piece
            for piece in both
            if without_counts(piece) not in same
            and not EMAIL_ADDRESS.fullmatch(piece)
            and not is_content(piece, content)
        }
        plain = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))
        untranslated |= {phrase for phrase in phrases if phrase in plain}
        if untranslated:
            left[name] = sorted(untranslated)
    assert left == {}, json.dumps(left, indent=1, ensure_ascii=False)
