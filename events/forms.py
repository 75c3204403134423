from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from events.models import Kind, OrganiserMessage, Question, QuestionKind, Region

SHORT_ANSWER_MAX = 300
LONG_ANSWER_MAX = 3000


def field_name(question: Question) -> str:
    return f"question_{question.pk}"


def question_field(question: Question) -> forms.Field:
    options = {
        "label": question.label,
        "help_text": question.help_text,
        "required": question.required,
    }
    choices = [(choice, choice) for choice in question.choice_list]
    # In the story form's words: what to do, naming the question.
    named = {"question": question.label}
    # Django fills in a message's own values (the choice given, the answer's length) with "%":
    # the question's words keep theirs in the messages it fills in.
    escaped = {"question": question.label.replace("%", "%%")}
    if question.kind in (QuestionKind.ONE_CHOICE, QuestionKind.SEVERAL_CHOICES):
        several = question.kind == QuestionKind.SEVERAL_CHOICES
        if several:
            # Translators: an error on a registration or feedback form; the question's words.
            choose = gettext("Choose at least one answer to “%(question)s”")
        else:
            # Translators: an error on a registration or feedback form; the question's words.
            choose = gettext("Choose an answer to “%(question)s”")
        options["error_messages"] = {"required": choose % named, "invalid_choice": choose % escaped}
        if several:
            return forms.MultipleChoiceField(
                choices=choices, widget=forms.CheckboxSelectMultiple, **options
            )
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **options)
    long = question.kind == QuestionKind.LONG
    most = LONG_ANSWER_MAX if long else SHORT_ANSWER_MAX
    too_long = gettext(
        # Translators: an error on a registration or feedback form: the question's words, the
        # most characters allowed (e.g. 3,000) and how many the answer has.
        "Your answer to “%(question)s” must be %(most)s characters or fewer (it has %(count)s)"
    )
    options["error_messages"] = {
        # Translators: an error on a registration or feedback form; the question's words.
        "required": gettext("Enter your answer to “%(question)s”") % named,
        "max_length": too_long % {**escaped, "most": f"{most:,}", "count": "%(show_value)d"},
    }
    if long:
        return forms.CharField(max_length=most, widget=forms.Textarea(attrs={"rows": 5}), **options)
    return forms.CharField(max_length=most, **options)


class RegistrationForm(forms.Form):
    """The event's own questions, one field each, named ``question_<id>``."""

    def __init__(self, questions: list[Question], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[field_name(question)] = question_field(question)
        self._describe_fields()

    def full_clean(self):
        super().full_clean()
        self._describe_fields()

    def _describe_fields(self) -> None:
        """Point each input at its hint and error; choice groups do it on their fieldset."""
        errors = self._errors or {}
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.RadioSelect):
                continue
            auto_id = self[name].auto_id
            described_by = [f"{auto_id}-hint"] if field.help_text else []
            if name in errors:
                described_by.append(f"{auto_id}-error")
            if described_by:
                field.widget.attrs["aria-describedby"] = " ".join(described_by)

    def answers(self) -> list[tuple[Question, str]]:
        """Answered questions with their values; several choices one per line."""
        result = []
        for question in self.questions:
            value = self.cleaned_data.get(field_name(question))
            if isinstance(value, list):
                value = "\n".join(value)
            if value:
                result.append((question, value))
        return result


class EventFilterForm(forms.Form):
    """The events list's filters, read from the query string; invalid values filter nothing."""

    region = forms.ChoiceField(
        choices=[("", _("All regions"))] + Region.choices, required=False, label=_("Region")
    )
    kind = forms.ChoiceField(
        # Translators: the events list's filter by kind of event: no filter.
        choices=[("", _("All kinds"))] + Kind.choices,
        required=False,
        label=_("Kind of event"),
    )

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value}


class RegionChoiceForm(forms.Form):
    region = forms.ChoiceField(
        choices=[("", _("No region: show all events alike"))] + Region.choices,
        required=False,
        label=_("Your region"),
        help_text=_("Events in your region are listed first."),
        widget=forms.Select(attrs={"aria-describedby": "region-hint"}),
    )


class OrganiserMessageForm(forms.ModelForm):
    class Meta:
        model = OrganiserMessage
        fields = ["audience", "subject", "body"]
        widgets = {"audience": forms.RadioSelect, "body": forms.Textarea(attrs={"rows": 12})}
        help_texts = {"body": "Plain text. Each person gets their own copy, sent once."}
