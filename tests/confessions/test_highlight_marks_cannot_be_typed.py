"""The marks search puts around found words are characters no story can contain."""

import pytest
from django.core.exceptions import ValidationError

from confessions.models import HIGHLIGHT_START, HIGHLIGHT_STOP, Confession
from tests.confessions.stories import make_confession, post_step

pytestmark = pytest.mark.django_db

TYPED = f"budget {HIGHLIGHT_START}overrun{HIGHLIGHT_STOP} again"


def test_the_story_form_refuses_the_marks(client):
    response = post_step(client, "submit", what_we_learned=TYPED)
    assert response.status_code == 200
    assert "Remove the control characters" in response.content.decode()
    assert Confession.objects.count() == 0


@pytest.mark.parametrize("field", ["title", "what_happened", "what_we_learned"])
def test_a_moderators_edit_cannot_add_them_either(field):
    confession, _ = make_confession()
    setattr(confession, field, TYPED)
    with pytest.raises(ValidationError):
        confession.full_clean()
