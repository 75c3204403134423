import pytest

from events.demo import seed
from events.models import Event, Question

pytestmark = pytest.mark.django_db


def test_it_adds_believable_events_and_is_safe_to_run_twice():
    seed(bulk_confessions=0, seed=1)
    counts = (Event.objects.count(), Question.objects.count())
    assert seed(bulk_confessions=0, seed=1) == []
    assert (Event.objects.count(), Question.objects.count()) == counts

    events = {event.slug: event for event in Event.objects.with_counts()}
    states = {event.registration_state() for event in events.values()}
    assert {"open", "waiting-list", "past"} <= states
    cardiff = events["learning-from-failure-cardiff"]
    assert cardiff.starts_at.month == 8 and cardiff.city == "Cardiff"
    assert events["learning-from-failure-leeds"].starts_at.month == 10
    assert events["learning-from-failure-leeds"].waiting_count > 0
    assert any(event.kind == "online-chat" and event.hashtag for event in events.values())
    assert any(event.kind == "conference" for event in events.values())
    assert cardiff.questions.exists()
    welsh = [event for event in events.values() if event.language == "cy"]
    assert [event.city for event in welsh] == ["Caernarfon"]
    assert welsh[0].questions.filter(label__startswith="Ym mha sector").exists()
