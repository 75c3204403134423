"""Forms for sharing a story and for checking it with a receipt code."""

import re
import time
import uuid
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst

from confessions.identifying import Finding, find_identifying
from confessions.models import (
    SECTION_MAX,
    TITLE_MAX,
    Confession,
    Impact,
    OrganisationSize,
    Sector,
    no_control_characters,
)
from confessions.receipts import normalise_code
from failshare.tagging import parse_tags

TAG_MAX = 40
TAGS_MAX = 8
# A form left open longer than this is sent again with a fresh key (nothing typed is lost).
TOKEN_MAX_AGE = 7 * 24 * 3600
_FORM_SALT = "confessions.submission"

TERMS = (
    "Your story is published without attribution, under the Chatham House rule. "
    "Moderators may remove details that could identify people or organisations before "
    "publishing it. You can withdraw it at any time with the receipt code you get next."
)

EXPIRED_PROBLEM = "This form has expired. Check your story and continue again."
TOO_FAST_PROBLEM = (
    "That was quicker than we expected from a person. Check your story and continue again."
)
HONEYPOT_PROBLEM = (
    "We could not accept this form. If you are a person, leave the field labelled "
    "“Leave this field empty” empty, then continue again."
)
# What "Remove it" puts in place of a detail, in the writer's draft.
REMOVED = "[removed]"
WRONG_RECEIPT = "We could not find a story with that receipt code. Check the code and try again."


def _text_field(*, label: str, hint: str, max_length: int, missing: str, long: bool = True):
    return forms.CharField(
        label=label,
        help_text=f"{hint} Up to {max_length:,} characters.",
        max_length=max_length,
        validators=[no_control_characters],
        widget=forms.Textarea(attrs={"rows": 8}) if long else forms.TextInput,
        error_messages={
            "required": missing,
            "max_length": f"{label} must be {max_length} characters or fewer "
            "(it has %(show_value)d).",
            "null_characters_not_allowed": "Remove the null characters from this text.",
        },
    )


def _choices(blank: str, choices) -> list[tuple[str, str]]:
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
    """Why this post looks automated, or None. Checked without any outside service."""
    if data.get("website"):
        return HONEYPOT_PROBLEM
    if token is None:
        return EXPIRED_PROBLEM
    if token.seconds_open() < settings.CONFESSION_MIN_SECONDS:
        return TOO_FAST_PROBLEM
    return None


class ConfessionForm(forms.Form):
    """A story, as the public will read it once a moderator has approved it."""

    STORY_FIELDS = (
        "title",
        "sector",
        "organisation_size",
        "what_happened",
        "what_went_wrong",
        "what_we_learned",
        "what_we_would_do_differently",
        "impact",
        "tags",
    )
    TEXT_FIELDS = (
        "title",
        "what_happened",
        "what_went_wrong",
        "what_we_learned",
        "what_we_would_do_differently",
    )

    title = _text_field(
        label="Title",
        hint="A short summary of what went wrong, without names of people or organisations.",
        max_length=TITLE_MAX,
        missing="Enter a title",
        long=False,
    )
    sector = forms.ChoiceField(
        label="Sector",
        choices=_choices("Choose a sector", Sector.choices),
        error_messages={"required": "Choose a sector", "invalid_choice": "Choose a sector"},
    )
    organisation_size = forms.ChoiceField(
        label="Size of the organisation (optional)",
        help_text="A rough size only: never give the organisation's name.",
        choices=_choices("Prefer not to say", OrganisationSize.choices),
        required=False,
        error_messages={"invalid_choice": "Choose a size from the list"},
    )
    what_happened = _text_field(
        label="What happened",
        hint="Set the scene: what were you trying to do, and what happened?",
        max_length=SECTION_MAX,
        missing="Enter what happened",
    )
    what_went_wrong = _text_field(
        label="What went wrong and why",
        hint="What do you think caused it?",
        max_length=SECTION_MAX,
        missing="Enter what went wrong and why",
    )
    what_we_learned = _text_field(
        label="What we learned",
        hint="The lessons someone else could use.",
        max_length=SECTION_MAX,
        missing="Enter what you learned",
    )
    what_we_would_do_differently = _text_field(
        label="What we would do differently",
        hint="If you started again tomorrow.",
        max_length=SECTION_MAX,
        missing="Enter what you would do differently",
    )
    impact = forms.ChoiceField(
        label="Impact (optional)",
        choices=_choices("Prefer not to say", Impact.choices),
        required=False,
        error_messages={"invalid_choice": "Choose an impact from the list"},
    )
    tags = forms.CharField(
        label="Topics (optional)",
        help_text=(
            "Separate topics with commas, for example: procurement, user research. "
            f"Up to {TAGS_MAX} topics."
        ),
        required=False,
        validators=[no_control_characters],
        error_messages={
            "null_characters_not_allowed": "Remove the null characters from the topics.",
        },
    )
    consent = forms.BooleanField(
        label="I agree to share my story on these terms",
        help_text=TERMS,
        error_messages={"required": "Tick the box to agree to the terms, or do not send a story"},
    )
    # The honeypot: hidden from people and assistive technology; only robots fill it in.
    website = forms.CharField(label="Leave this field empty", required=False)

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
            raise ValidationError(f"Choose at most {TAGS_MAX} topics (you gave {len(tags)}).")
        for tag in tags:
            if len(tag) > TAG_MAX:
                raise ValidationError(f"Each topic must be {TAG_MAX} characters or fewer.")
            if not any(character.isalnum() for character in tag):
                raise ValidationError("Each topic needs at least one letter or number.")
        return tags

    def carried_fields(self) -> list[forms.BoundField]:
        """The fields the "check your answers" page carries on, hidden, to the next step."""
        return [self[name] for name in (*self.STORY_FIELDS, "consent")]

    def story(self) -> dict:
        """The cleaned fields, as ``confession_submit`` takes them."""
        return {name: self.cleaned_data[name] for name in self.STORY_FIELDS}

    def preview(self) -> list[tuple[str, str]]:
        """(label, text as the public will read it) for each filled-in field."""
        shown = []
        for name in self.STORY_FIELDS:
            field = self.fields[name]
            value = self.cleaned_data[name]
            if isinstance(field, forms.ChoiceField):
                value = dict(field.choices).get(value, "") if value else ""
            elif name == "tags":
                value = ", ".join(value)
            if value:
                shown.append((_public_label(name), value))
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

    def highlighted_preview(self, kept: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
        """``preview()``, with each finding in the text marked and named."""
        marked = {f.label: f.highlighted() for f in self.identifying(kept)}
        return [(label, marked.get(label, _paragraphs(value))) for label, value in self.preview()]

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
        html, position = [], 0
        for finding in sorted(self.findings, key=lambda f: f.start):
            if finding.start < position:
                continue
            html.append(escape(self.text[position : finding.start]))
            html.append(
                f"<mark>{escape(self.text[finding.start : finding.end])}"
                f'<span class="identifying__kind"> ({escape(finding.kind)})</span></mark>'
            )
            position = finding.end
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
    fragment = findings[int(number)].fragment
    pattern = re.compile(rf"(?<!\w){re.escape(fragment)}(?!\w)", re.IGNORECASE)
    draft = data.copy()
    draft[name] = pattern.sub(REMOVED, data.get(name, ""))
    return draft


def _public_label(name: str) -> str:
    return capfirst(str(Confession._meta.get_field(name).verbose_name))


class ReceiptForm(forms.Form):
    code = forms.CharField(
        label="Receipt code",
        help_text="For example ABCD-EFGH-JKMN-PQRS-TUVW. Capitals, spaces and dashes do not "
        "matter.",
        max_length=100,
        error_messages={
            "required": "Enter your receipt code",
            "max_length": WRONG_RECEIPT,
            "null_characters_not_allowed": WRONG_RECEIPT,
        },
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        if normalise_code(code) is None:
            raise ValidationError(WRONG_RECEIPT, code="wrong")
        return code

    @property
    def code_given(self) -> bool:
        """Whether something was typed: a wrong code counts against the client, none does not."""
        return bool(self.data.get("code", "").strip())


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label="I understand that withdrawing removes the text of my story for good",
        error_messages={"required": "Tick the box to confirm you want to withdraw your story"},
    )


class RejectionForm(forms.Form):
    """The moderator's reason, which the writer reads with their receipt code."""

    reason = forms.CharField(
        label="Reason",
        help_text="The writer sees this when they check their receipt code. Be kind and specific.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        validators=[no_control_characters],
        error_messages={"required": "Give a reason for the writer"},
    )
