"""Subscribing to digests, confirming, managing and leaving without signing in.

None of these pages is cached: each belongs to one person (never_cache sends no-store)."""

from allauth.account.models import EmailAddress
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from confessions.digests import services, tokens
from confessions.digests.forms import SubscribeForm
from confessions.digests.models import Subscription
from confessions.digests.tasks import send_confirmation
from failshare.ratelimit import RateLimit

SUBSCRIPTIONS_PER_CLIENT = RateLimit("digest-subscribe", limit=10, period=3600)


def _verified_email(user) -> str | None:
    if not user.is_authenticated:
        return None
    found = EmailAddress.objects.filter(user=user, verified=True, primary=True).first()
    return found.email if found else None


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request):
    email = _verified_email(request.user)
    form = SubscribeForm(request.POST or None, signed_in=email is not None)
    mine = Subscription.objects.filter(user=request.user).select_related("tag") if email else []
    context = {"form": form, "signed_in_email": email, "mine": mine}
    if request.method != "POST" or not form.is_valid():
        return render(request, "confessions/digests/subscribe.html", context)
    if form.cleaned_data["website"]:
        return render(request, "confessions/digests/check_email.html")
    if SUBSCRIPTIONS_PER_CLIENT.is_exceeded(request):
        context["problem"] = gettext(
            "Too many subscriptions from here in the last hour: try later."
        )
        return render(request, "confessions/digests/subscribe.html", context, status=429)
    SUBSCRIPTIONS_PER_CLIENT.hit(request)
    chosen = {name: form.cleaned_data[name] for name in ("sector", "tag", "cause", "frequency")}
    if email:
        services.subscription_create(email=email, user=request.user, **chosen)
        messages.success(request, gettext("You are subscribed."))
        return redirect("digests:subscribe")
    subscription = services.subscription_create(email=form.cleaned_data["email"], **chosen)
    send_confirmation.enqueue(subscription.pk)
    return render(request, "confessions/digests/check_email.html")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    # A GET only shows the button: mail scanners open links, and must not confirm them.
    subscription = tokens.from_confirm_token(token)
    if subscription is None:
        return render(request, "confessions/digests/bad_link.html", status=404)
    if request.method == "POST":
        services.subscription_confirm(subscription=subscription)
        return redirect(subscription.manage_url())
    return render(request, "confessions/digests/confirm.html", {"subscription": subscription})


@never_cache
@require_http_methods(["GET", "HEAD"])
def manage(request, token):
    subscription = tokens.from_manage_token(token)
    if subscription is None:
        return render(request, "confessions/digests/bad_link.html", status=404)
    return render(request, "confessions/digests/manage.html", {"subscription": subscription})


@never_cache
@csrf_exempt  # RFC 8058: mail clients POST the one-click unsubscribe with no page or cookie.
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    subscription = tokens.from_manage_token(token)
    if request.method == "POST":
        if subscription is not None:
            subscription.delete()
        return render(request, "confessions/digests/unsubscribed.html")
    if subscription is None:
        return render(request, "confessions/digests/bad_link.html", status=404)
    return render(request, "confessions/digests/unsubscribe.html", {"subscription": subscription})


@login_required
@require_POST
def remove_mine(request, pk):
    deleted, _ = Subscription.objects.filter(user=request.user, pk=pk).delete()
    if not deleted:
        raise Http404("No such subscription")
    messages.success(request, gettext("That subscription has been removed."))
    return redirect("digests:subscribe")
