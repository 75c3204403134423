"""Member organisations for the events tests."""

import itertools

from events.models import MemberDomain, MemberOrganisation, Membership, MembershipTier

_numbers = itertools.count(1)


def make_member(*, places: int, year: int, domain: str | None = None) -> Membership:
    number = next(_numbers)
    tier, _ = MembershipTier.objects.get_or_create(
        name=f"Tier with {places} places", defaults={"places_per_year": places}
    )
    organisation = MemberOrganisation.objects.create(name=f"Borough council {number}")
    domain = domain or f"council{number}.gov.uk"
    MemberDomain.objects.create(organisation=organisation, domain=domain)
    return Membership.objects.create(organisation=organisation, year=year, tier=tier)


def staff_email(membership: Membership, name: str) -> str:
    return f"{name}@{membership.organisation.domains.first().domain}"
