"""Forms of the conversation around a story: a message, a response and a report."""

from django import forms
from django.utils.translation import gettext_lazy as _

from confessions.conversation import (
    MESSAGE_MAX,
    REPORT_NOTE_MAX,
    RESPONSE_MAX,
    ReportReason,
)
from confessions.forms import (
    SHOW_VALUE,
    FieldFindings,
    WrittenInForm,
    filled_in_later,
    too_long,
    up_to,
    written_in_field,
)
from confessions.identifying import find_identifying
from confessions.models import no_control_characters


def _text(label, hint, max_length: int, missing, rows: int = 6):
    return forms.CharField(
        label=label,
        help_text=up_to(hint, max_length),
        max_length=max_length,
        validators=[no_control_characters],
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": missing,
            "max_length": too_long(label, max_length, thousands=True),
            "null_characters_not_allowed": _("Remove the null characters from this text."),
        },
    )


class CheckedTextForm(forms.Form):
    """A form of one text, checked for identifying details before it is sent."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # No maxlength in the page: browsers cut pasted text silently; we say what is too long.
        self.fields["text"].widget.attrs.pop("maxlength", None)

    def identifying(self) -> FieldFindings | None:
        text = self.cleaned_data["text"]
        if findings := find_identifying(text):
            return FieldFindings("text", self.fields["text"].label, text, findings)
        return None

    def highlighted(self):
        found = self.identifying()
        if found is not None:
            return found.highlighted()
        return FieldFindings("text", "", self.cleaned_data["text"], []).highlighted()


class MessageForm(CheckedTextForm):
    text = _text(
        _("Your message"),
        _(
            "Answer the moderator's question, or ask one. Do not give your name or your "
            "organisation's."
        ),
        MESSAGE_MAX,
        _("Enter your message"),
    )


class ModeratorMessageForm(CheckedTextForm):
    text = _text(
        _("Message to the writer"),
        _("The writer reads it when they next enter their receipt code. Be kind and specific."),
        MESSAGE_MAX,
        _("Enter a message for the writer"),
    )


class ResponseForm(WrittenInForm, CheckedTextForm):
    language = written_in_field(_("Language of your response"))
    text = _text(
        _("Your response"),
        _(
            "What happened to you, or what worked. Leave out names of people, organisations "
            "and places."
        ),
        RESPONSE_MAX,
        _("Enter your response"),
        rows=8,
    )
    # The honeypot: hidden from people and assistive technology; only robots fill it in.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why are you reporting it?"),
        choices=ReportReason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose why you are reporting it"),
            "invalid_choice": _("Choose a reason from the list"),
        },
    )
    note = forms.CharField(
        label=_("Anything else the moderators should know"),
        help_text=up_to(_("Do not give your name or contact details."), REPORT_NOTE_MAX),
        required=False,
        max_length=REPORT_NOTE_MAX,
        validators=[no_control_characters],
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": filled_in_later(
                _("The note must be %(max)s characters or fewer (it has %(show_value)s)."),
                max=REPORT_NOTE_MAX,
                **SHOW_VALUE,
            ),
            "null_characters_not_allowed": _("Remove the null characters from the note."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].widget.attrs.pop("maxlength", None)
