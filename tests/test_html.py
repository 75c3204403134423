"""The quick HTML builders give exactly what Django's format_html and format_html_join give."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from hypothesis import given
from hypothesis import strategies as st

from failshare.html import format_html_join_quickly, format_html_quickly
from tests.fuzz.strategies import fuzz_settings

values = st.one_of(
    st.text(),
    st.integers(),
    st.text().map(mark_safe),
    st.sampled_from(["<script>", "a & b", "\"quoted\" 'single'", "</li>", "&amp;"]),
)


@fuzz_settings(200)
@given(st.lists(values, min_size=3, max_size=3))
def test_it_escapes_like_format_html(arguments):
    template = '<a href="{}" title="{}">{}</a>'
    quick = format_html_quickly(template, *arguments)
    assert quick == format_html(template, *arguments)
    assert isinstance(quick, SafeString)


@fuzz_settings(200)
@given(st.lists(st.tuples(values, values), max_size=5), st.sampled_from(["", ", ", "<br>"]))
def test_it_joins_like_format_html_join(rows, separator):
    template = "<li>{} ({})</li>"
    quick = format_html_join_quickly(separator, template, rows)
    assert quick == format_html_join(separator, template, rows)


def test_named_values_are_escaped_too():
    assert format_html_quickly("<b>{name}</b>", name="<i>") == "<b>&lt;i&gt;</b>"
