"""English and Welsh: each page in the other language, the switch between them, and the home
page following the language last chosen.

English keeps the site's addresses; Welsh pages are the same addresses under /cy/
(``i18n_patterns`` in failshare/urls.py), so a link always shows the language it names.
"""

from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.urls import translate_url
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, get_language_from_path, get_language_info
from django.views.decorators.http import require_safe

from failshare.pagecache import page_query


def _this_page(request) -> str:
    query = page_query(request)
    return f"{request.path}?{query}" if query else request.path


def languages(request):
    """Context for every page: its address in each language (the head's hreflang alternates)
    and the switch to the other one."""
    here = get_language()
    page = _this_page(request)
    versions = [
        {
            "code": code,
            "name": name,
            "lang": get_language_info(code)["code"] if code != "en-gb" else "en-GB",
            "url": translate_url(page, code),
        }
        for code, name in settings.LANGUAGES
    ]
    other = next(version for version in versions if version["code"] != here)
    prefix = f"/{here}/"
    return {
        # The address without its language prefix, for the navigation's "you are here".
        "path_in_site": request.path[len(prefix) - 1 :]
        if request.path.startswith(prefix)
        else request.path,
        "language_versions": versions,
        "other_language": other,
        "html_lang": "cy" if here == "cy" else "en-GB",
    }


@require_safe
def switch_language(request, code):
    """The switch's link: remembers the choice (Django's language cookie) and goes to ``next``
    (a page of this site) in that language. A link, so it works without JavaScript."""
    if code not in dict(settings.LANGUAGES):
        raise Http404("No such language")
    next_url = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(translate_url(next_url, code))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
    )
    add_never_cache_headers(response)
    return response


class RememberedLanguageMiddleware:
    """The home page follows the language last chosen with the switch: someone who reads in
    Welsh and comes back to the site's address lands on /cy/. Every other address shows its
    own language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/" and request.method in ("GET", "HEAD"):
            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
            if chosen != settings.LANGUAGE_CODE and get_language_from_path(f"/{chosen}/"):
                query = request.META.get("QUERY_STRING", "")
                response = HttpResponseRedirect(f"/{chosen}/" + (f"?{query}" if query else ""))
                add_never_cache_headers(response)
                return response
        response = self.get_response(request)
        if request.path_info == "/":
            patch_vary_headers(response, ["Cookie"])
        return response
