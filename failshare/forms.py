"""allauth's account forms in the site's words: labels without placeholders that repeat them,
plain-text hints, and error messages that say what to do, as the story form's do."""

from allauth.account import forms as allauth_forms
from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.totp import forms as totp_forms
from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

PASSWORD_HINT = _(
    "Use at least 8 characters. Do not use a common password, only numbers, or something close "
    "to your email address."
)

# What each field is called in the site's error messages, and what to enter there.
LABELS = {
    "login": (_("Email address"), _("Enter your email address")),
    "email": (_("Email address"), _("Enter your email address")),
    "password": (_("Password"), _("Enter your password")),
    "oldpassword": (_("Current password"), _("Enter your current password")),
    "password1": (_("Password"), _("Enter a password")),
    "password2": (_("Confirm password"), _("Enter the password again")),
    "remember": (_("Remember me on this computer for 14 days"), ""),
}
NEW_PASSWORD_LABELS = {
    "password1": (_("New password"), _("Enter a new password")),
    "password2": (_("Confirm new password"), _("Enter the new password again")),
}


class SiteWordingMixin:
    """Labels, hints and required-field messages in the site's style, no placeholders, and
    aria-describedby naming the hint and the error of each field that has them."""

    labels = LABELS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs.pop("placeholder", None)
            field.widget.attrs.pop("autofocus", None)
            label, required = self.labels.get(name, LABELS.get(name, (field.label, "")))
            field.label = label
            if required:
                field.error_messages["required"] = required
            if isinstance(field, forms.EmailField):
                field.error_messages["invalid"] = _(
                    "Enter an email address in the correct format, like name@example.org"
                )
            if name == "password" and hasattr(field, "help_text"):
                field.help_text = ""  # allauth's "Forgot your password?" link: the page has it
            if name == "password1":
                field.help_text = PASSWORD_HINT

    def full_clean(self):
        super().full_clean()
        for name, field in self.fields.items():
            ids = []
            if field.help_text:
                ids.append(f"{self[name].auto_id}_helptext")
            if self.errors.get(name):
                ids.append(f"{self[name].auto_id}_error")
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)


class LoginForm(SiteWordingMixin, allauth_forms.LoginForm):
    pass


class SignupForm(SiteWordingMixin, allauth_forms.SignupForm):
    name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        required=False,
        help_text=_("Event organisers see it on their list of attendees."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"max_length": _("Your name must be 150 characters or fewer")},
    )
    field_order = ["name", "email", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(self.field_order)

    def custom_signup(self, request, user) -> None:
        user.first_name = self.cleaned_data.get("name", "").strip()
        user.save(update_fields=["first_name"])


class ResetPasswordForm(SiteWordingMixin, allauth_forms.ResetPasswordForm):
    pass


class ResetPasswordKeyForm(SiteWordingMixin, allauth_forms.ResetPasswordKeyForm):
    labels = {**LABELS, **NEW_PASSWORD_LABELS}


class ChangePasswordForm(SiteWordingMixin, allauth_forms.ChangePasswordForm):
    labels = {**LABELS, **NEW_PASSWORD_LABELS}


class SetPasswordForm(SiteWordingMixin, allauth_forms.SetPasswordForm):
    pass


class AddEmailForm(SiteWordingMixin, allauth_forms.AddEmailForm):
    labels = {
        **LABELS,
        "email": (_("Another email address"), _("Enter the email address to add")),
    }


class ReauthenticateForm(SiteWordingMixin, allauth_forms.ReauthenticateForm):
    pass


class AuthenticateForm(SiteWordingMixin, mfa_forms.AuthenticateForm):
    # Translators: the label of the field for the six-digit code of an authenticator app.
    labels = {**LABELS, "code": (_("Code"), _("Enter the code from your authenticator app"))}


class MfaReauthenticateForm(SiteWordingMixin, mfa_forms.ReauthenticateForm):
    labels = AuthenticateForm.labels


class ActivateTOTPForm(SiteWordingMixin, totp_forms.ActivateTOTPForm):
    labels = {
        **LABELS,
        "code": (_("Authenticator code"), _("Enter the code from your authenticator app")),
    }


class DeleteAccountForm(SiteWordingMixin, forms.Form):
    """Deleting one's own account asks for its password, so a borrowed session cannot."""

    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(gettext("The password is not right. Enter your password"))
        return password
