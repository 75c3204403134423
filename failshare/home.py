"""Pages that gather content from several apps.

Each app contributes a function returning template context, and a template partial of the same
name under its own template folder (``confessions/_home.html``, ``events/_tag.html`` ...).
"""

from django.utils.module_loading import import_string

HOME_SECTIONS = ["confessions.sections.home", "events.sections.home"]
TAG_SECTIONS = ["confessions.sections.tag", "events.sections.tag"]


def home_sections() -> dict:
    context: dict = {}
    for path in HOME_SECTIONS:
        context.update(import_string(path)())
    return context


def tag_sections(tag) -> dict:
    context: dict = {}
    for path in TAG_SECTIONS:
        context.update(import_string(path)(tag))
    return context
