"""Digests by email: new stories by sector, tag and cause, weekly or monthly.

A subscription holds an email address and what to send; it is never linked to any story
anyone sent. Signed-in people subscribe from their account page (confirmed at once: their
address is verified); anyone else confirms by a link first, and nothing is sent before that.
"""
