"""HTML built in Python for the parts of a page repeated many times over (cards, facets)."""

import html

from django.utils.safestring import SafeString, mark_safe


def escaped(value) -> str:
    """``value`` as HTML: escaped, unless it is already safe. What ``format_html`` does to each
    value, without the checks for lazy translations that make up most of its cost."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def format_html_quickly(format_string: str, *args, **kwargs) -> SafeString:
    """``django.utils.html.format_html``, at a third of the cost, for strings built in bulk."""
    return mark_safe(  # noqa: S308 - every value is escaped
        format_string.format(
            *(escaped(value) for value in args),
            **{name: escaped(value) for name, value in kwargs.items()},
        )
    )


def format_html_join_quickly(separator: str, format_string: str, rows) -> SafeString:
    """``django.utils.html.format_html_join`` at the cost of ``format_html_quickly``."""
    return mark_safe(  # noqa: S308 - every value is escaped
        escaped(separator).join(
            format_string.format(*(escaped(value) for value in row)) for row in rows
        )
    )
