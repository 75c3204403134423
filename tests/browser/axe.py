from axe_playwright_python.sync_playwright import Axe

_axe = Axe()


def assert_accessible(page) -> None:
    """Run axe-core on the page as it stands and fail on any violation, with the report."""
    results = _axe.run(page)
    assert results.violations_count == 0, (
        f"axe-core found problems on {page.url}:\n{results.generate_report()}"
    )
