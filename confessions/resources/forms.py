from django import forms
from django.utils.translation import gettext_lazy as _

from confessions.forms import WrittenInForm, written_in_field
from confessions.models import Cause
from confessions.resources.models import Resource
from failshare.tagging import parse_tags


class ResourceForm(WrittenInForm, forms.ModelForm):
    language = written_in_field(_("Language of the resource"))
    causes = forms.MultipleChoiceField(
        label=_("Causes it helps with (optional)"),
        required=False,
        choices=Cause.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    tags = forms.CharField(
        label=_("Tags (optional)"),
        required=False,
        max_length=200,
        help_text=_("Comma-separated topics, for example procurement, user research"),
    )
    url = forms.URLField(
        label=_("Link"),
        max_length=500,
        assume_scheme="https",
        help_text=_("The full address, starting https://"),
    )
    # The honeypot: hidden from people and assistive technology; only robots fill it in.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    class Meta:
        model = Resource
        fields = ["title", "url", "description"]
        labels = {"title": _("Title"), "description": _("What it is and why it helped")}
        help_texts = {"description": _("At most 500 characters.")}
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean_tags(self) -> list[str]:
        return parse_tags(self.cleaned_data["tags"])[:10]
