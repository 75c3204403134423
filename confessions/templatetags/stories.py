from django import template

from confessions.cards import card_html

register = template.Library()


@register.filter
def story_card(story, heading):
    """``{{ story|story_card:"h2" }}``: the story's card (see ``confessions.cards.card_html``)."""
    return card_html(story, heading)
