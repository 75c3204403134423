"""Sharing a story (form, check your answers, receipt) and checking it with a receipt code.

The same for everybody, signed in or not: nothing here reads or keeps who the writer is, and no
page is cached anywhere (``never_cache`` sends ``Cache-Control: no-store``).
"""

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from confessions.forms import (
    ConfessionForm,
    ReceiptForm,
    SubmissionToken,
    WithdrawForm,
    spam_problem,
)
from confessions.models import Confession
from confessions.receipts import receipt_hash
from confessions.services import AlreadySubmitted, confession_submit, confession_withdraw
from failshare.ratelimit import RateLimit

STORIES_PER_CLIENT = RateLimit("confession-submit", limit=5, period=3600)
WRONG_RECEIPTS_PER_CLIENT = RateLimit("confession-receipt", limit=10, period=900)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def share(request):
    if request.method != "POST":
        return _form_page(request, ConfessionForm(), SubmissionToken.issue())
    form = ConfessionForm(request.POST)
    token = SubmissionToken.load(request.POST.get("token"))
    if problem := spam_problem(request.POST, token):
        return _form_page(request, form, token or SubmissionToken.issue(), problem, status=400)
    if request.POST.get("step") == "edit" or not form.is_valid():
        return _form_page(request, form, token)
    if request.POST.get("step") != "submit":
        return _preview_page(request, form, token)
    return _submit(request, form, token)


def _submit(request, form: ConfessionForm, token: SubmissionToken):
    stored = Confession.objects.filter(submission_key=token.key).first()
    if stored is None and STORIES_PER_CLIENT.is_exceeded(request):
        return _preview_page(request, form, token, rate_limited=True, status=429)
    if stored is None:
        try:
            confession_submit(
                **form.story(), receipt_code=token.receipt_code, submission_key=token.key
            )
            STORIES_PER_CLIENT.hit(request)
        except AlreadySubmitted as already:  # the same form, sent twice at the same moment
            stored = already.confession
    if stored is not None and stored.receipt_hash != receipt_hash(token.receipt_code):
        return render(request, "confessions/already_received.html")
    # A retried post carries the same code, so it gets the same receipt page again.
    return render(request, "confessions/submitted.html", {"receipt_code": token.receipt_code})


def _form_page(request, form, token, problem: str = "", status: int = 200):
    context = {"form": form, "token": token.dumps(), "problem": problem}
    return render(request, "confessions/new.html", context, status=status)


def _preview_page(request, form, token, rate_limited: bool = False, status: int = 200):
    context = {
        "form": form,
        "token": token.dumps(),
        "preview": form.preview(),
        "identifying": form.identifying(),
        "rate_limited": rate_limited,
    }
    return render(request, "confessions/preview.html", context, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def receipt(request):
    if request.method != "POST":
        return render(request, "confessions/receipt.html", {"form": ReceiptForm()})
    if WRONG_RECEIPTS_PER_CLIENT.is_exceeded(request):
        return render(request, "confessions/receipt_too_many.html", status=429)
    form = ReceiptForm(request.POST)
    if not form.is_valid():
        if form.wrong_code:
            WRONG_RECEIPTS_PER_CLIENT.hit(request)
        return render(request, "confessions/receipt.html", {"form": form})
    confession = form.confession
    withdraw_form = WithdrawForm()
    just_withdrawn = False
    if request.POST.get("action") == "withdraw":
        withdraw_form = WithdrawForm(request.POST)
        if withdraw_form.is_valid():
            confession = confession_withdraw(confession=confession)
            just_withdrawn = True
    context = {
        "confession": confession,
        "code": form.cleaned_data["code"],
        "withdraw_form": withdraw_form,
        "just_withdrawn": just_withdrawn,
    }
    return render(request, "confessions/receipt_status.html", context)
