"""The pages of the conversation around a story: the writer's receipt page (messages, consent,
withdrawal), responses under a story, "this helped", and reports.

None of these pages is cached (``never_cache``) and nothing here reads or keeps who is asking:
signed in or not, everybody is treated the same.
"""

from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from confessions import me_too
from confessions.conversation import Author, ResponseStatus, StoryResponse
from confessions.conversation_forms import MessageForm, ReportForm, ResponseForm
from confessions.conversation_services import (
    ConsentNotAsked,
    consent_changes,
    message_send,
    report_response,
    report_story,
    response_helped,
    response_submit,
    writer_agrees,
)
from confessions.forms import (
    EXPIRED_PROBLEM,
    TOO_FAST_PROBLEM,
    SubmissionToken,
    WithdrawForm,
    spam_problem,
)
from confessions.models import Confession, Status
from confessions.services import TransitionNotAllowed, confession_withdraw
from failshare.ratelimit import RateLimit

MESSAGES_PER_CLIENT = RateLimit("receipt-message", limit=20, period=3600)
RESPONSES_PER_CLIENT = RateLimit("story-response", limit=5, period=3600)
TOO_MANY_MESSAGES = _(
    "You have sent many messages from your connection in the last hour. Wait an hour, then "
    "send it again: your message is still in the box below."
)
TOO_MANY_RESPONSES = _(
    "You have sent several responses from your connection in the last hour. Wait an hour, then "
    "send it again: your response is still on this page."
)

# The story form's words for a form sent too soon or kept open too long (``spam_problem``, in
# English), said of a response; shown translated.
RESPONSE_PROBLEMS = {
    EXPIRED_PROBLEM: gettext_noop(
        "Your response has not been sent yet: this page was open for a long time. "
        "Check your response, then continue again."
    ),
    TOO_FAST_PROBLEM: gettext_noop(
        "Your response has not been sent yet. Check your response, then continue again."
    ),
}


def receipt_status(request, confession: Confession, code: str):
    """The writer's page, after their code was found: everything they can do is a POST that
    carries the code again (never in an address, never in a cookie)."""
    action = request.POST.get("action", "")
    withdraw_form, message_form = WithdrawForm(), MessageForm()
    notice, problem, status = "", "", 200
    if action == "withdraw":
        withdraw_form = WithdrawForm(request.POST)
        if withdraw_form.is_valid():
            confession = confession_withdraw(confession=confession)
            notice = "withdrawn"
    elif action == "publish":
        try:
            confession = writer_agrees(confession=confession)
            notice = "published"
        except (ConsentNotAsked, TransitionNotAllowed):
            notice = "nothing-to-agree"
    elif action == "reply" and confession.status != Status.WITHDRAWN:
        message_form = MessageForm(request.POST)
        step = request.POST.get("step")
        if message_form.is_valid() and step == "check":
            context = {"confession": confession, "code": code, "form": message_form}
            return render(request, "confessions/receipt_message_check.html", context)
        if message_form.is_valid() and step == "send":
            if MESSAGES_PER_CLIENT.is_exceeded(request):
                problem, status = TOO_MANY_MESSAGES, 429
            else:
                message_send(
                    confession=confession,
                    author=Author.WRITER,
                    text=message_form.cleaned_data["text"],
                )
                MESSAGES_PER_CLIENT.hit(request)
                message_form, notice = MessageForm(), "sent"
    context = {
        "confession": confession,
        "code": code,
        "withdraw_form": withdraw_form,
        "message_form": message_form,
        "conversation": list(confession.messages.all()),
        "changes": consent_changes(confession),
        "notice": notice,
        "problem": problem,
    }
    return render(request, "confessions/receipt_status.html", context, status=status)


def _published(slug: str) -> Confession:
    return get_object_or_404(Confession.objects.published(), slug=slug)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def respond(request, slug):
    """Add a response under a published story: write, check for identifying details, send."""
    confession = _published(slug)
    if request.method != "POST":
        return _response_page(request, confession, ResponseForm(), SubmissionToken.issue())
    form = ResponseForm(request.POST)
    if "token" not in request.POST and not request.POST.get("website"):
        # Written in the form under the story (a cached page, so it carries no one-time key):
        # the key is issued now, and the check page carries it on.
        token = SubmissionToken.issue()
        if not form.is_valid():
            return _response_page(request, confession, form, token)
        return _response_check(request, confession, form, token)
    token = SubmissionToken.load(request.POST.get("token"))
    if problem := spam_problem(request.POST, token):
        # As for stories: sent back once, in neutral words, and the next press goes through.
        sent_back = (token or SubmissionToken.issue()).checked()
        problem = gettext(RESPONSE_PROBLEMS.get(problem, problem))
        return _response_page(request, confession, form, sent_back, problem, status=400)
    step = request.POST.get("step")
    if step == "edit" or not form.is_valid():
        return _response_page(request, confession, form, token)
    if step != "send":
        return _response_check(request, confession, form, token)
    if StoryResponse.objects.filter(submission_key=token.key).exists():
        return render(request, "confessions/response_sent.html", {"confession": confession})
    if RESPONSES_PER_CLIENT.is_exceeded(request):
        return _response_check(request, confession, form, token, TOO_MANY_RESPONSES, status=429)
    response_submit(
        confession=confession,
        text=form.cleaned_data["text"],
        language=form.cleaned_data["language"],
        submission_key=token.key,
    )
    RESPONSES_PER_CLIENT.hit(request)
    return render(request, "confessions/response_sent.html", {"confession": confession})


def _response_page(request, confession, form, token, problem="", status=200):
    context = {"confession": confession, "form": form, "token": token.dumps(), "problem": problem}
    return render(request, "confessions/response_new.html", context, status=status)


def _response_check(request, confession, form, token, problem="", status=200):
    context = {"confession": confession, "form": form, "token": token.dumps(), "problem": problem}
    return render(request, "confessions/response_check.html", context, status=status)


def _published_response(confession: Confession, response_id: int) -> StoryResponse:
    return get_object_or_404(
        confession.responses.filter(status=ResponseStatus.APPROVED), pk=response_id
    )


@require_POST
def helped(request, slug, response_id):
    confession = _published(slug)
    response = _published_response(confession, response_id)
    if me_too.claim(request, response.pk, what="helped"):
        response_helped(response=response)
    return redirect(f"{confession.get_absolute_url()}#response-{response.pk}")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def report(request, slug, response_id=None):
    """ "Report this" for a published story, or for one of its responses."""
    confession = _published(slug)
    response = None if response_id is None else _published_response(confession, response_id)
    form = ReportForm(request.POST if request.method == "POST" else None)
    if not form.is_valid():
        context = {"confession": confession, "response": response, "form": form}
        return render(request, "confessions/report.html", context)
    target = f"response-{response.pk}" if response else f"story-{confession.pk}"
    # Counted once per browser, and a few times at most per network address, as "this
    # happened to us too" is.
    if me_too.claim(request, target, what="report"):
        reason, note = form.cleaned_data["reason"], form.cleaned_data["note"]
        if response is not None:
            report_response(response=response, reason=reason, note=note)
        else:
            report_story(confession=confession, reason=reason, note=note)
    return render(request, "confessions/report_sent.html", {"confession": confession})
