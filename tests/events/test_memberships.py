"""Member organisations' complimentary places at priced events."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import Payment, Registration
from tests.events.conftest import make_event, make_user
from tests.events.members import make_member, staff_email

pytestmark = pytest.mark.django_db


@pytest.fixture
def priced():
    return make_event(price=Decimal("45.00"), capacity=20)


@pytest.fixture
def member(priced):
    return make_member(places=2, year=priced.membership_year)


def register(client, user, event):
    client.force_login(user)
    return client.post(reverse("events:register", args=[event.slug]))


def test_a_free_event_is_free_for_everyone(client, member):
    free = make_event()
    make_user(staff_email(member, "ana"))
    person = make_user(staff_email(member, "bo"))
    registration = services.registration_create(event=free, user=person)
    assert registration.payment == Payment.FREE
    assert registration.membership is None


def test_the_form_says_a_member_uses_a_complimentary_place_before_they_confirm(
    client, priced, member
):
    client.force_login(make_user(staff_email(member, "ana")))
    page = client.get(reverse("events:register", args=[priced.slug])).content.decode()
    name = member.organisation.name
    assert (
        f"This uses 1 of {name}'s 2 complimentary places for {priced.membership_year}; "
        "2 are left." in page
    )


def test_members_use_their_places_then_are_invoiced_and_a_cancellation_gives_one_back(
    client, priced, member
):
    ana, bo, cy = (make_user(staff_email(member, n)) for n in ("ana", "bo", "cy"))
    assert services.registration_create(event=priced, user=ana).payment == Payment.COMPLIMENTARY
    other_event = make_event(price=Decimal("10"), starts_at=priced.starts_at)
    assert services.registration_create(event=other_event, user=bo).payment == Payment.COMPLIMENTARY

    client.force_login(cy)
    page = client.get(reverse("events:register", args=[priced.slug])).content.decode()
    assert "This place will be invoiced: £45.00" in page
    assert "complimentary places for" in page and "are all used" in page
    answer = client.post(reverse("events:register", args=[priced.slug]), follow=True)
    assert "It will be invoiced" in answer.content.decode()
    assert Registration.objects.get(user=cy).payment == Payment.INVOICE

    services.registration_cancel(registration=Registration.objects.get(user=ana))
    dee = make_user(staff_email(member, "dee"))
    assert services.registration_create(event=priced, user=dee).payment == Payment.COMPLIMENTARY


def test_someone_outside_any_member_is_invoiced(client, priced, member):
    person = make_user("pat@elsewhere.example")
    client.force_login(person)
    page = client.get(reverse("events:register", args=[priced.slug])).content.decode()
    assert "This place will be invoiced: £45.00" in page
    assert "complimentary" not in page
    assert services.registration_create(event=priced, user=person).payment == Payment.INVOICE


def test_only_a_verified_address_makes_a_person_a_members_staff(priced, member):
    unverified = make_user(staff_email(member, "ana"), verified=False)
    assert services.registration_create(event=priced, user=unverified).payment == Payment.INVOICE


def test_places_belong_to_the_year_of_the_event(member):
    next_year = make_event(
        price=Decimal("45"),
        starts_at=timezone.now().replace(year=member.year + 1, month=3, day=1),
    )
    person = make_user(staff_email(member, "ana"))
    assert services.registration_create(event=next_year, user=person).payment == Payment.INVOICE


def test_a_waiting_member_holds_the_place_and_cancelling_returns_it(priced, member):
    full = make_event(price=Decimal("45"), capacity=1, starts_at=priced.starts_at)
    services.registration_create(event=full, user=make_user("first@elsewhere.example"))
    waiting = services.registration_create(event=full, user=make_user(staff_email(member, "a")))
    assert (waiting.status, waiting.payment) == ("waiting", Payment.COMPLIMENTARY)
    services.registration_cancel(registration=waiting)
    assert services.price_quote(event=priced, user=make_user(staff_email(member, "b"))).left == 2


def test_organisers_see_and_export_each_members_use(organiser_client, priced, member):
    services.registration_create(event=priced, user=make_user(staff_email(member, "ana")))
    listed = organiser_client.get(reverse("admin:events_membership_changelist"))
    assert listed.status_code == 200
    assert member.organisation.name in listed.content.decode()

    exported = organiser_client.post(
        reverse("admin:events_membership_changelist"),
        {"action": "export_use", "_selected_action": [member.pk]},
    )
    rows = list(csv.reader(io.StringIO(exported.content.decode())))
    assert rows == [
        ["Organisation", "Year", "Tier", "Places", "Used", "Left"],
        [member.organisation.name, str(member.year), member.tier.name, "2", "1", "1"],
    ]


def test_organisers_manage_member_organisations_in_the_admin(organiser_client):
    for name in ("membershiptier", "memberorganisation"):
        assert organiser_client.get(reverse(f"admin:events_{name}_add")).status_code == 200


def test_finance_exports_the_registrations_to_be_invoiced(organiser_client, priced, member):
    services.registration_create(event=priced, user=make_user(staff_email(member, "ana")))
    services.registration_create(event=priced, user=make_user("pat@elsewhere.example"))
    exported = organiser_client.post(
        reverse("admin:events_registration_changelist"),
        {
            "action": "export_invoices",
            "_selected_action": list(Registration.objects.values_list("pk", flat=True)),
        },
    )
    rows = list(csv.reader(io.StringIO(exported.content.decode())))
    assert [row[3] for row in rows] == ["Email", "pat@elsewhere.example"]
    assert rows[1][2] == "45.00"


def test_the_event_page_shows_the_price(client, priced):
    page = client.get(priced.get_absolute_url()).content.decode()
    assert "£45.00 for non-members" in page


def test_the_emails_and_your_registrations_say_how_the_place_is_paid_for(
    client, priced, member, mailoutbox, django_capture_on_commit_callbacks
):
    ana = make_user(staff_email(member, "ana"))
    pat = make_user("pat@elsewhere.example")
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_create(event=priced, user=ana)
        services.registration_create(event=priced, user=pat)
    bodies = {m.to[0]: m.body for m in mailoutbox}
    assert f"one of {member.organisation.name}'s complimentary places" in bodies[ana.email]
    assert "This place costs £45.00: we will send you an invoice." in bodies[pat.email]
    client.force_login(pat)
    assert "To be invoiced: £45.00" in client.get(reverse("events:mine")).content.decode()
