"""The resources library: guides, tools, templates and write-ups people found useful.

Anyone suggests one (the story form's spam guards); a moderator approves it in the admin; then
it is listed at /resources/ and on its tags' pages. Nothing about who suggested it is kept.
"""
