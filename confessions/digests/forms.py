from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from confessions.digests.models import Frequency
from confessions.models import Cause, Sector


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("We send a link to confirm it; nothing else is sent until you follow it."),
    )
    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=[("", _("Every sector")), *Sector.choices]
    )
    tag = forms.SlugField(
        label=_("Tag (optional)"),
        required=False,
        max_length=100,
        help_text=_(
            "Only stories with this tag, as in a story's tag links, for example procurement."
        ),
    )
    cause = forms.ChoiceField(
        label=_("Cause"), required=False, choices=[("", _("Every cause")), *Cause.choices]
    )
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=Frequency.choices,
        widget=forms.RadioSelect,
        initial="weekly",
    )
    # The honeypot: hidden from people and assistive technology; only robots fill it in.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args, signed_in: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        if signed_in:
            del self.fields["email"]

    def clean_tag(self):
        slug = self.cleaned_data["tag"]
        if not slug:
            return None
        tag = Tag.objects.filter(slug=slug).first()
        if tag is None:
            raise forms.ValidationError(
                gettext("There is no tag with this name: check its spelling.")
            )
        return tag
