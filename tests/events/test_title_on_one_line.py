"""An event's title is one line: it goes into the subject of every email about the event."""

import pytest
from django.core.exceptions import ValidationError

from tests.events.conftest import make_event

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("title", ["Learning\nfrom failure", "Learning\r\nfrom", "A\u2028B"])
def test_a_title_with_a_line_break_is_refused(title):
    event = make_event()
    event.title = title
    with pytest.raises(ValidationError) as refused:
        event.full_clean()
    assert "without line breaks" in str(refused.value)


def test_the_admin_refuses_it_with_a_message(organiser_client):
    event = make_event()
    response = organiser_client.get(f"/admin/events/event/{event.pk}/change/")
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data["title"] = "Learning\nfrom failure"
    form_class = type(form)
    bound = form_class(data=data, instance=event)
    assert not bound.is_valid()
    assert "Write the title on one line, without line breaks." in bound.errors["title"]


def test_a_one_line_title_is_accepted():
    event = make_event()
    event.title = "Learning from failure in Leeds"
    event.full_clean()
