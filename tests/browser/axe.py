"""axe-core checks of a page as it stands, without letting the checker trip the site's policy.

axe-core builds a scratch document of the page's style sheets (for its orientation-lock rule)
and fills it with inline ``<style>`` elements. Under the site's Content Security Policy the
browser refuses them and reports a violation that is the checker's, not the site's (on pages
whose style sheets use ``@import``, such as the admin's).

So axe never runs in the page under test. It runs in a twin page of its own context, whose CSP
is bypassed for the checker alone: the twin is given a copy of the page's current DOM under the
same address, with the page's own scripts held back (the copy already shows what they did).
The page under test keeps the real policy, and the ``page`` fixture still fails the test on any
violation it reports.
"""

from axe_playwright_python.base import AxeResults
from axe_playwright_python.sync_playwright import Axe

_axe = Axe()
_twins: dict = {}


def _twin_for(page):
    """One checking page per browser, made on first use and closed with the browser."""
    browser = page.context.browser
    twin = _twins.get(browser)
    if twin is None or twin.is_closed():
        context = browser.new_context(bypass_csp=True, locale="en-GB")
        twin = context.new_page()
        twin.set_default_timeout(10_000)
        _twins[browser] = twin
    return twin


def _copy(page, twin) -> None:
    url, snapshot = page.url.split("#")[0], page.content()

    def serve(route):
        if route.request.resource_type == "script":
            return route.abort()
        if route.request.is_navigation_request() and route.request.url == url:
            return route.fulfill(body=snapshot, content_type="text/html; charset=utf-8")
        return route.continue_()

    twin.route("**/*", serve)
    try:
        twin.goto(url, wait_until="load")
    finally:
        twin.unroute("**/*", serve)


def check(page) -> AxeResults:
    """axe-core's findings on ``page`` as it stands now."""
    twin = _twin_for(page)
    _copy(page, twin)
    twin.add_script_tag(content=_axe.axe_script)
    response = twin.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return AxeResults(response)


def assert_accessible(page) -> None:
    """Run axe-core on the page as it stands and fail on any violation, with the report."""
    results = check(page)
    assert results.violations_count == 0, (
        f"axe-core found problems on {page.url}:\n{results.generate_report()}"
    )
