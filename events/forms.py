from django import forms

from events.models import Question, QuestionKind

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
    if question.kind == QuestionKind.LONG:
        return forms.CharField(
            max_length=LONG_ANSWER_MAX, widget=forms.Textarea(attrs={"rows": 5}), **options
        )
    if question.kind == QuestionKind.ONE_CHOICE:
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **options)
    if question.kind == QuestionKind.SEVERAL_CHOICES:
        return forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, **options
        )
    return forms.CharField(max_length=SHORT_ANSWER_MAX, **options)


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
