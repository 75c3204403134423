"""Demo content: each app's seeder, run in this order in one transaction.

A seeder, ``seed(*, bulk_confessions: int, seed: int) -> list[str]``, adds only what is missing
(so running twice changes nothing) and returns lines to report. Bulk stories for benchmarks come
last, after the seeders, and only when asked for (see bench/bulk.py).
"""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from confessions import demo as confessions_demo
from events import demo as events_demo

# Demo people for development, one of each kind, with a password documented in the README. They
# are made only with DEBUG on, and cannot sign in without it (failshare.staff.AccountAdapter).
DEMO_PASSWORD = "demo-password-for-development-only"  # noqa: S105 - refused without DEBUG
DEMO_PEOPLE = {
    "attendee@demo.example": None,
    "moderator@demo.example": "Moderators",
    "organiser@demo.example": "Organisers",
}


def seed_people() -> list[str]:
    if not settings.DEBUG:
        return ["Demo people: not made, DEBUG is off."]
    made = 0
    for email, group in DEMO_PEOPLE.items():
        user, created = get_user_model().objects.get_or_create(
            username=email.split("@")[0] + "-demo",
            defaults={"email": email, "first_name": f"Demo {email.split('@')[0]}"},
        )
        if not created:
            continue
        made += 1
        user.set_password(DEMO_PASSWORD)
        user.is_staff = group is not None
        user.save()
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
        if group:
            user.groups.add(Group.objects.get(name=group))
    return [f"Demo people: {made} made ({', '.join(DEMO_PEOPLE)}; password {DEMO_PASSWORD})."]


def seed(*, bulk_confessions: int = 0, seed: int = 1) -> list[str]:
    lines: list[str] = []
    with transaction.atomic():
        lines += seed_people()
        lines += confessions_demo.seed(bulk_confessions=bulk_confessions, seed=seed)
        lines += events_demo.seed(bulk_confessions=bulk_confessions, seed=seed)
        if bulk_confessions > 0:
            # The generator is the benchmark's: the demo site needs none of it.
            from bench import bulk

            created = bulk.create_approved(bulk_confessions, seed=seed)
            lines.append(f"Bulk stories: {created} created, {bulk.bulk_count()} in all.")
    lines.append("Demo data ready.")
    return lines
