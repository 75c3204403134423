from django import template
from django.urls import Resolver404, resolve
from django.utils.translation import gettext_lazy as _

register = template.Library()

# Pages that send signed-out people to sign in, and what the sign-in page says they came for.
SIGN_IN_REASONS = {
    "events:register": _("Sign in to register for a place"),
    "events:cancel": _("Sign in to cancel your registration"),
    "events:mine": _("Sign in to see your registrations"),
}


@register.simple_tag
def sign_in_reason(next_url: str | None) -> str:
    """Why a person was sent to sign in, from the page they are going back to."""
    if not next_url:
        return ""
    try:
        match = resolve(next_url.split("?", 1)[0])
    except Resolver404:
        return ""
    return SIGN_IN_REASONS.get(match.view_name, "")
