"""Forms for sharing a story and for checking it with a receipt code."""

import re
import time
import uuid
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.functional import lazy
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from confessions.api import LICENCE_NAME
from confessions.identifying import Finding, find_identifying
from confessions.models import (
    SECTION_MAX,
    TITLE_MAX,
    Cause,
    Impact,
    OrganisationSize,
    Sector,
    no_control_characters,
)
from confessions.receipts import normalise_code
from failshare.models import ContentLanguage
from failshare.tagging import parse_tags

TAG_MAX = 40
TAGS_MAX = 8
# A form left open longer than this is sent again with a fresh key (nothing typed is lost).
TOKEN_MAX_AGE = 7 * 24 * 3600
_FORM_SALT = "confessions.submission"


def filled_in_later(message, **values):
    """``message`` (a lazy translation) with ``values`` put in when it is shown, in the language
    of that moment: for texts made when the module is imported."""
    return lazy(lambda: str(message) % values, str)()


# A placeholder Django fills in itself when it shows a "too long" error (the length given).
SHOW_VALUE = {"show_value": "%(show_value)s"}

TERMS = filled_in_later(
    _(
        "Your story is published without attribution, under the Chatham House rule. "
        "Moderators may remove details that could identify people or organisations before "
        "publishing it. You can withdraw it at any time with the receipt code you get next. "
        "While it is published, its text is open data under the %(licence)s licence: "
        "anyone may reuse it, crediting failshare."
    ),
    licence=LICENCE_NAME,
)

# Neutral words for a form sent too soon or kept open too long: a quick person is never
# suspected, and their next press goes through (SubmissionToken.checked). Kept in English, as
# ``spam_problem`` gives them; a page shows them translated (``gettext``).
EXPIRED_PROBLEM = gettext_noop(
    "Your story has not been sent yet: this page was open for a long time. "
    "Check your story, then continue again."
)
TOO_FAST_PROBLEM = gettext_noop(
    "Your story has not been sent yet. Check your story, then continue again."
)
HONEYPOT_PROBLEM = gettext_noop(
    "We could not accept this form. If you are a person, leave the field labelled "
    "“Leave this field empty” empty, then continue again."
)
# What "Remove it" puts in place of a detail, in the writer's draft (part of the story's text,
# so never translated).
REMOVED = "[removed]"
WRONG_RECEIPT = gettext_noop(
    "We could not find a story with that receipt code. Check the code and try again."
)
# What the public reads as the name of each part of a story (the check page, the findings).
PUBLIC_LABELS = {
    "language": _("Language"),
    "title": _("Title"),
    "sector": _("Sector"),
    "organisation_size": _("Organisation size"),
    "what_happened": _("What happened"),
    "what_went_wrong": _("What went wrong and why"),
    "what_we_learned": _("What we learned"),
    "what_we_would_do_differently": _("What we would do differently"),
    "impact": _("Impact"),
    "causes": _("Causes"),
    "tags": _("Tags"),
}


def up_to(hint, max_length: int):
    """A field's hint with its limit after it: "… Up to 5,000 characters."."""
    return filled_in_later(
        # Translators: %(hint)s is a field's hint, a sentence of its own.
        _("%(hint)s Up to %(count)s characters."),
        hint=hint,
        count=f"{max_length:,}",
    )


def too_long(label, max_length: int, *, thousands: bool = False):
    """The error for a text over ``max_length`` characters; Django gives the length found."""
    return filled_in_later(
        # Translators: %(label)s is the field's label ("Title"); %(show_value)s the length given.
        _("%(label)s must be %(max)s characters or fewer (it has %(show_value)s)."),
        label=label,
        max=f"{max_length:,}" if thousands else str(max_length),
        **SHOW_VALUE,
    )


def _text_field(*, label, hint, max_length: int, missing, long: bool = True):
    return forms.CharField(
        label=label,
        help_text=up_to(hint, max_length),
        max_length=max_length,
        validators=[no_control_characters],
        # data-max-length: the count of characters left that static/js/character-count.js shows.
        widget=forms.Textarea(attrs={"rows": 8, "data-max-length": max_length})
        if long
        else forms.TextInput(attrs={"data-max-length": max_length}),
        error_messages={
            "required": missing,
            "max_length": too_long(label, max_length),
            "null_characters_not_allowed": _("Remove the null characters from this text."),
        },
    )


def _choices(blank, choices) -> list[tuple[str, str]]:
    return [("", blank), *choices]


@dataclass(frozen=True)
class SubmissionToken:
    """What a story form carries between pages, signed so it cannot be forged.

    ``key`` is the one-time key (a retried post is stored once), ``issued_at`` when the form was
    first shown (a person takes some seconds to write). It carries no receipt code: a signed
    token can be read by anyone who has the page, so the code is made only when the story is
    stored, and shown once.
    A token read from a form goes back into the next page exactly as it came: signing it again
    would restart the clock of its signature.
    """

    key: uuid.UUID
    issued_at: int
    signed: str = field(default="", compare=False, repr=False)

    @classmethod
    def issue(cls) -> "SubmissionToken":
        return cls(key=uuid.uuid4(), issued_at=int(time.time()))

    def checked(self) -> "SubmissionToken":
        """The same key, for a form sent back once to be checked: dated as if it had been
        open long enough, so the person's next press is not held back again."""
        earliest = int(time.time()) - settings.CONFESSION_MIN_SECONDS
        return SubmissionToken(key=self.key, issued_at=min(self.issued_at, earliest))

    @classmethod
    def load(cls, value: str | None) -> "SubmissionToken | None":
        try:
            data = signing.loads(value or "", salt=_FORM_SALT, max_age=TOKEN_MAX_AGE)
            return cls(
                key=uuid.UUID(data["k"]),
                issued_at=int(data["t"]),
                signed=value,
            )
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            return None

    def dumps(self) -> str:
        if self.signed:
            return self.signed
        data = {"k": self.key.hex, "t": self.issued_at}
        return signing.dumps(data, salt=_FORM_SALT, compress=True)

    def seconds_open(self) -> float:
        return time.time() - self.issued_at


def spam_problem(data, token: SubmissionToken | None) -> str | None:
    """Why this post looks automated, or None. Checked without any outside service.

    The words are one of the ``*_PROBLEM`` texts, in English: a page shows ``gettext(problem)``."""
    if data.get("website"):
        return HONEYPOT_PROBLEM
    if token is None:
        return EXPIRED_PROBLEM
    if token.seconds_open() < settings.CONFESSION_MIN_SECONDS:
        return TOO_FAST_PROBLEM
    return None


def written_in_field(label) -> forms.ChoiceField:
    """The language a person writes in. A form sent without it (from a page cached before it
    was asked) is in the language of the page it was sent from (``written_in``)."""
    return forms.ChoiceField(
        label=label,
        help_text=_("Readers search for it in the language you write it in."),
        choices=ContentLanguage.choices,
        required=False,
        error_messages={"invalid_choice": _("Choose a language from the list")},
    )


def written_in(value: str) -> str:
    return value or ContentLanguage.of_page()


class WrittenInForm:
    """For a form with a ``language`` field (``written_in_field``): it starts at the page's
    language, and a form sent without it is in that language too."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = ContentLanguage.of_page()

    def clean_language(self) -> str:
        return written_in(self.cleaned_data["language"])


class ConfessionForm(WrittenInForm, forms.Form):
    """A story, as the public will read it once a moderator has approved it."""

    STORY_FIELDS = (
        "language",
        "title",
        "sector",
        "organisation_size",
        "what_happened",
        "what_went_wrong",
        "what_we_learned",
        "what_we_would_do_differently",
        "impact",
        "causes",
        "tags",
    )
    TEXT_FIELDS = (
        "title",
        "what_happened",
        "what_went_wrong",
        "what_we_learned",
        "what_we_would_do_differently",
    )

    language = written_in_field(_("Language of your story"))
    title = _text_field(
        label=_("Title"),
        hint=_("A short summary of what went wrong, without names of people or organisations."),
        max_length=TITLE_MAX,
        missing=_("Enter a title"),
        long=False,
    )
    sector = forms.ChoiceField(
        label=_("Sector"),
        choices=_choices(_("Choose a sector"), Sector.choices),
        error_messages={"required": _("Choose a sector"), "invalid_choice": _("Choose a sector")},
    )
    organisation_size = forms.ChoiceField(
        label=_("Size of the organisation (optional)"),
        help_text=_("A rough size only: never give the organisation's name."),
        choices=_choices(_("Prefer not to say"), OrganisationSize.choices),
        required=False,
        error_messages={"invalid_choice": _("Choose a size from the list")},
    )
    what_happened = _text_field(
        label=_("What happened"),
        hint=_("Set the scene: what were you trying to do, and what happened?"),
        max_length=SECTION_MAX,
        missing=_("Enter what happened"),
    )
    what_went_wrong = _text_field(
        label=_("What went wrong and why"),
        hint=_("What do you think caused it?"),
        max_length=SECTION_MAX,
        missing=_("Enter what went wrong and why"),
    )
    what_we_learned = _text_field(
        label=_("What we learned"),
        hint=_("The lessons someone else could use."),
        max_length=SECTION_MAX,
        missing=_("Enter what you learned"),
    )
    what_we_would_do_differently = _text_field(
        label=_("What we would do differently"),
        hint=_("If you started again tomorrow."),
        max_length=SECTION_MAX,
        missing=_("Enter what you would do differently"),
    )
    impact = forms.ChoiceField(
        label=_("Impact (optional)"),
        choices=_choices(_("Prefer not to say"), Impact.choices),
        required=False,
        error_messages={"invalid_choice": _("Choose an impact from the list")},
    )
    causes = forms.MultipleChoiceField(
        label=_("What caused it (optional)"),
        help_text=_("Choose every cause that played a part. Readers can find stories by cause."),
        choices=Cause.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose causes from the list")},
    )
    tags = forms.CharField(
        label=_("Topics (optional)"),
        help_text=filled_in_later(
            _(
                "Separate topics with commas, for example: procurement, user research. "
                "Up to %(count)s topics."
            ),
            count=TAGS_MAX,
        ),
        required=False,
        validators=[no_control_characters],
        error_messages={
            "null_characters_not_allowed": _("Remove the null characters from the topics."),
        },
    )
    consent = forms.BooleanField(
        label=_("I agree to share my story on these terms"),
        help_text=TERMS,
        error_messages={
            "required": _("Tick the box to agree to the terms, or do not send a story")
        },
    )
    # The part of the story the form page opens on (see ``focus_on``).
    focused = ""

    # The honeypot: hidden from people and assistive technology; only robots fill it in.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # No maxlength in the page: browsers cut pasted text silently; we say what is too long.
        for name in self.TEXT_FIELDS:
            self.fields[name].widget.attrs.pop("maxlength", None)
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.fields["title"].widget.attrs["autocomplete"] = "off"

    def clean_tags(self) -> list[str]:
        # Parsed as the admin parses them: "user research" is one topic, not two.
        tags = parse_tags(self.cleaned_data["tags"])
        if len(tags) > TAGS_MAX:
            raise ValidationError(
                gettext("Choose at most %(max)s topics (you gave %(count)s).")
                % {"max": TAGS_MAX, "count": len(tags)}
            )
        for tag in tags:
            if len(tag) > TAG_MAX:
                raise ValidationError(
                    gettext("Each topic must be %(max)s characters or fewer.") % {"max": TAG_MAX}
                )
            if not any(character.isalnum() for character in tag):
                raise ValidationError(gettext("Each topic needs at least one letter or number."))
        return tags

    def draft_text(self) -> tuple[str, str]:
        """(title, the rest) of the draft, to find published stories like it: the sections,
        and the labels of the causes and the topics chosen."""
        data = self.cleaned_data
        # In English, as the search index holds them, whatever the page's language.
        with translation.override(None):
            causes = [str(Cause(cause).label) for cause in data["causes"]]
        parts = [data[name] for name in self.TEXT_FIELDS if name != "title"]
        return data["title"], "\n".join([*parts, *causes, *data["tags"]])

    def carried_fields(self) -> list[tuple[str, str]]:
        """(name, value) of what the "check your answers" page carries on, hidden, to the next
        step: one pair per value, so a field of several choices (causes) keeps them all."""
        carried = []
        for name in (*self.STORY_FIELDS, "consent"):
            field = self[name]
            values = field.value()
            if not isinstance(values, (list, tuple)):
                values = [values]
            carried += [(field.html_name, "" if value is None else value) for value in values]
        return carried

    def story(self) -> dict:
        """The cleaned fields, as ``confession_submit`` takes them."""
        return {name: self.cleaned_data[name] for name in self.STORY_FIELDS}

    def preview(self) -> list[tuple[str, str]]:
        """(label, text as the public will read it) for each filled-in field."""
        return [(label, value) for _, label, value in self._preview_rows()]

    def _preview_rows(self) -> list[tuple[str, str, str]]:
        """(field name, label, text as the public will read it) for each filled-in field."""
        shown = []
        for name in self.STORY_FIELDS:
            field = self.fields[name]
            value = self.cleaned_data[name]
            if isinstance(field, forms.MultipleChoiceField):
                value = ", ".join(str(Cause(cause).label) for cause in value)
            elif isinstance(field, forms.ChoiceField):
                value = dict(field.choices).get(value, "") if value else ""
            elif name == "tags":
                value = ", ".join(value)
            if value:
                shown.append((name, _public_label(name), value))
        return shown

    def identifying(self, kept: frozenset[str] = frozenset()) -> list["FieldFindings"]:
        """The findings in each part of the story that may identify someone.

        ``kept`` holds the choices ("field:fragment") the writer chose to keep for the moderator.
        """
        found = []
        for name in (*self.TEXT_FIELDS, "tags"):
            text = self._checked_text(name)
            if findings := find_identifying(text):
                found.append(FieldFindings(name, _public_label(name), text, findings, kept))
        return found

    def highlighted_preview(self, kept: frozenset[str] = frozenset()) -> list[dict]:
        """``preview()``, with each finding in the text marked and named, and for each section
        the field its "Change" button takes the writer back to."""
        marked = {f.name: f.highlighted() for f in self.identifying(kept)}
        return [
            {"name": name, "label": label, "value": marked.get(name, _paragraphs(value))}
            for name, label, value in self._preview_rows()
        ]

    def focus_on(self, name: str) -> None:
        """Have the form page open with the keyboard on field ``name`` (its "Change" button on
        the check page); a name that is not a part of the story is ignored."""
        if name not in self.STORY_FIELDS:
            return
        self.focused = name
        if not isinstance(self.fields[name].widget, forms.CheckboxSelectMultiple):
            self.fields[name].widget.attrs["autofocus"] = True  # the group's fieldset takes it

    def _checked_text(self, name: str) -> str:
        value = self.cleaned_data[name]
        return ", ".join(value) if name == "tags" else value


@dataclass
class FieldFindings:
    """The findings in one part of the story, each numbered for its "Remove it" button."""

    name: str
    label: str
    text: str
    findings: list[Finding]
    kept_choices: frozenset[str] = frozenset()

    def items(self) -> list[dict]:
        return [
            {
                "finding": finding,
                "choice": f"{self.name}:{index}",
                "keep": f"{self.name}:{finding.fragment}",
                "kept": f"{self.name}:{finding.fragment}" in self.kept_choices,
            }
            for index, finding in enumerate(self.findings)
        ]

    def highlighted(self) -> SafeString:
        """The text, escaped, with each finding in a <mark> followed by its kind."""
        # Every place a detail appears is marked: "Remove it" takes it out of all of them.
        spans = {(finding.start, finding.end, finding.kind) for finding in self.findings}
        for finding in self.findings:
            for match in _whole_words(finding.fragment).finditer(self.text):
                spans.add((match.start(), match.end(), finding.kind))
        html, position = [], 0
        # Translators: read out before each detail marked in the writer's text.
        hidden = escape(gettext("possible identifying detail:"))
        for start, end, kind in sorted(spans, key=lambda span: (span[0], -span[1])):
            if start < position:
                continue
            html.append(escape(self.text[position:start]))
            html.append(
                f'<span class="visually-hidden">{hidden} </span>'
                f"<mark>{escape(self.text[start:end])}"
                f'<span class="identifying__kind"> ({escape(kind)})</span></mark>'
            )
            position = end
        html.append(escape(self.text[position:]))
        return _paragraphs("".join(html), escaped=True)


def _paragraphs(text: str, escaped: bool = False) -> SafeString:
    """Like the ``linebreaks`` filter, for text that may already hold our own marks."""
    text = text if escaped else escape(text)
    paragraphs = re.split(r"\n{2,}", text.replace("\r\n", "\n").replace("\r", "\n"))
    return mark_safe(  # noqa: S308 - every part of it was escaped above
        "\n\n".join(f"<p>{p.strip().replace(chr(10), '<br>')}</p>" for p in paragraphs)
    )


def draft_without(data, choice: str):
    """The posted draft with one finding ("field:number") replaced by ``REMOVED`` in its field.

    The finding is looked for again in the same text the check page showed, and taken out
    wherever it appears in that field; everything else typed is left as it was.
    """
    name, _, number = choice.partition(":")
    form = ConfessionForm(data)
    if name not in (*ConfessionForm.TEXT_FIELDS, "tags") or not form.is_valid():
        return data
    findings = find_identifying(form._checked_text(name))
    if not number.isdigit() or int(number) >= len(findings):
        return data
    draft = data.copy()
    draft[name] = _whole_words(findings[int(number)].fragment).sub(REMOVED, data.get(name, ""))
    return draft


def _whole_words(fragment: str) -> re.Pattern:
    """Where ``fragment`` appears in a text as whole words, in any case."""
    return re.compile(rf"(?<!\w){re.escape(fragment)}(?!\w)", re.IGNORECASE)


def _public_label(name: str) -> str:
    return str(PUBLIC_LABELS[name])


class ReceiptForm(forms.Form):
    code = forms.CharField(
        label=_("Receipt code"),
        help_text=filled_in_later(
            _("For example %(example)s. Capitals, spaces and dashes do not matter."),
            example="ABCD-EFGH-JKMN-PQRS-TUVW",
        ),
        max_length=100,
        error_messages={
            "required": _("Enter your receipt code"),
            "max_length": _(WRONG_RECEIPT),
            "null_characters_not_allowed": _(WRONG_RECEIPT),
        },
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        if normalise_code(code) is None:
            raise ValidationError(gettext(WRONG_RECEIPT), code="wrong")
        return code

    @property
    def code_given(self) -> bool:
        """Whether something was typed: a wrong code counts against the client, none does not."""
        return bool(self.data.get("code", "").strip())


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that withdrawing removes the text of my story for good"),
        error_messages={"required": _("Tick the box to confirm you want to withdraw your story")},
    )


class RejectionForm(forms.Form):
    """The moderator's reason, which the writer reads with their receipt code."""

    reason = forms.CharField(
        label=_("Reason"),
        help_text=_(
            "The writer sees this when they check their receipt code. Be kind and specific."
        ),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        validators=[no_control_characters],
        error_messages={"required": _("Give a reason for the writer")},
    )
