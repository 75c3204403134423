"""Someone who registers on a Welsh page gets every email about that registration in Welsh,
with links to the Welsh pages, whoever or whatever sends it later."""

import pytest
from django.core import mail

from events import services
from events.models import Registration, RegistrationStatus
from failshare.models import ContentLanguage
from tests.events.conftest import make_event, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _commit(django_capture_on_commit_callbacks):
    global committed
    committed = django_capture_on_commit_callbacks


def register(client, event, prefix: str) -> Registration:
    person = make_user()
    client.force_login(person)
    with committed(execute=True):
        client.post(f"{prefix}/events/{event.slug}/register/")
    return Registration.objects.get(event=event, user=person)


def test_registering_on_a_welsh_page_records_welsh_and_writes_in_it(client, mailoutbox):
    event = make_event(title="Dysgu o fethiant")
    registration = register(client, event, "/cy")
    assert registration.language == ContentLanguage.WELSH
    (email,) = mailoutbox
    assert "Eich lle ar gyfer Dysgu o fethiant" in email.subject
    assert f"/cy/events/{event.slug}/" in email.body
    assert "/cy/events/mine/" in email.body


def test_registering_on_an_english_page_writes_in_english(client, mailoutbox):
    event = make_event(title="Learning from failure")
    registration = register(client, event, "")
    assert registration.language == ContentLanguage.ENGLISH
    (email,) = mailoutbox
    assert "Your place at Learning from failure" in email.subject
    assert "/cy/" not in email.body


def test_a_promotion_is_written_in_the_language_of_the_one_promoted(client, mailoutbox):
    event = make_event(capacity=1)
    first = register(client, event, "")
    waiting = register(client, event, "/cy")
    assert waiting.status == RegistrationStatus.WAITING
    assert "rhestr aros" in mailoutbox[-1].subject
    mail.outbox.clear()
    with committed(execute=True):
        services.registration_cancel(registration=first)  # in English, by the other person
    (promoted,) = mail.outbox
    assert promoted.to == [waiting.user.email]
    assert "Mae lle wedi dod ar gael i chi" in promoted.subject
    assert f"/cy/events/{event.slug}/" in promoted.body


def test_an_organisers_message_reaches_each_person_in_their_language(client, mailoutbox):
    event = make_event()
    english = register(client, event, "")
    welsh = register(client, event, "/cy")
    mail.outbox.clear()
    with committed(execute=True):
        services.message_send(
            event=event,
            audience=RegistrationStatus.CONFIRMED,
            subject="Room change",
            body="We have moved to room 2.",
            sender=make_user(),
        )
    by_person = {email.to[0]: email for email in mail.outbox}
    assert "/cy/events/" not in by_person[english.user.email].body
    assert f"/cy/events/{event.slug}/" in by_person[welsh.user.email].body
