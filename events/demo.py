"""Demo content for this app (see failshare/demo.py)."""

from datetime import date, datetime, time, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone

from events.models import (
    Event,
    EventStatus,
    Kind,
    Question,
    QuestionKind,
    Region,
    Registration,
    RegistrationStatus,
)
from failshare.models import ContentLanguage

WORKSHOP_SUMMARY = (
    "A free, hands-on day for people in public services: bring a project that went wrong and "
    "leave with practical ways to learn from it, under the Chatham House rule."
)
WORKSHOP_DESCRIPTION = "\n\n".join(
    [
        "Most organisations are good at celebrating success and quiet about failure. This "
        "workshop is the opposite: a safe room to talk about what went wrong, and why, with people "
        "who have been there.",
        'We will cover blameless reviews, how to write a "what we learned" note people will '
        "actually read, how to spot the early signs that a project is heading the wrong way, and "
        "how to make it safe for your team to say so.",
        "Lunch and refreshments are provided. Places are limited: if you cannot come, please "
        "cancel so your place goes to the next person on the waiting list.",
    ]
)

WORKSHOP_QUESTIONS = [
    {
        "label": "Which sector do you work in?",
        "kind": QuestionKind.ONE_CHOICE,
        "choices": "Local government\nCentral government\nHealth\nHousing\nSocial care\n"
        "Charity or voluntary sector\nOther",
    },
    {
        "label": "What would you most like to get out of the day?",
        "kind": QuestionKind.LONG,
        "help_text": "A sentence or two helps us shape the sessions.",
    },
    {
        "label": "Do you have any access or dietary needs?",
        "kind": QuestionKind.SHORT,
        "required": False,
    },
]

# The Cardiff workshop's day, run in Welsh in the north.
WELSH_WORKSHOP_SUMMARY = (
    "Diwrnod ymarferol, am ddim, i bobl mewn gwasanaethau cyhoeddus: dewch â phrosiect a aeth o "
    "chwith, ac ewch adref â ffyrdd ymarferol o ddysgu ohono, dan reol Chatham House."
)
WELSH_WORKSHOP_DESCRIPTION = "\n\n".join(
    [
        "Mae'r rhan fwyaf o sefydliadau'n dda am ddathlu llwyddiant ac yn dawel am fethiant. "
        "Mae'r gweithdy hwn yn wahanol: lle diogel i siarad am yr hyn a aeth o chwith, a pham, "
        "gyda phobl sydd wedi bod yno.",
        'Byddwn yn trafod adolygiadau heb fai, sut i ysgrifennu nodyn "beth a ddysgon ni" y '
        "bydd pobl yn ei ddarllen, a sut i'w gwneud yn ddiogel i'ch tîm ddweud bod pethau'n "
        "mynd o chwith. Cynhelir y gweithdy yn Gymraeg.",
        "Darperir cinio a lluniaeth. Mae nifer y lleoedd yn gyfyngedig: os na allwch ddod, "
        "canslwch er mwyn i'ch lle fynd i'r person nesaf ar y rhestr aros.",
    ]
)
WELSH_WORKSHOP_QUESTIONS = [
    {
        "label": "Ym mha sector ydych chi'n gweithio?",
        "kind": QuestionKind.ONE_CHOICE,
        "choices": "Llywodraeth leol\nLlywodraeth ganolog\nIechyd\nTai\nGofal cymdeithasol\n"
        "Elusen neu'r sector gwirfoddol\nArall",
    },
    {
        "label": "Beth yr hoffech chi ei gael o'r diwrnod?",
        "kind": QuestionKind.LONG,
        "help_text": "Mae brawddeg neu ddwy yn ein helpu i lunio'r sesiynau.",
    },
    {
        "label": "Oes gennych chi unrhyw anghenion mynediad neu ddeietegol?",
        "kind": QuestionKind.SHORT,
        "required": False,
    },
]

CONFERENCE_QUESTIONS = [
    {
        "label": "Which sessions are you interested in?",
        "kind": QuestionKind.SEVERAL_CHOICES,
        "choices": "Blameless reviews\nProcurement that went wrong\nDigital services\n"
        "Consultations nobody answered\nLeading a team through failure",
        "help_text": "Choose as many as you like.",
    },
    {"label": "Your job title", "kind": QuestionKind.SHORT, "required": False},
]


def _next(month: int, day: int, today: date) -> date:
    """The next such date at least a month away, so demo events stay upcoming."""
    candidate = date(today.year, month, day)
    return (
        candidate
        if candidate > today + timedelta(days=30)
        else candidate.replace(year=today.year + 1)
    )


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _events(today: date) -> list[dict]:
    cardiff = _next(8, 12, today)
    leeds = _next(10, 14, today)
    caernarfon = _next(9, 23, today)
    conference = _next(6, 18, today)
    chat = today + timedelta(days=16)
    past = today - timedelta(days=60)
    return [
        {
            "slug": "learning-from-failure-cardiff",
            "title": "Practical strategies for learning from failure: Cardiff",
            "kind": Kind.WORKSHOP,
            "summary": WORKSHOP_SUMMARY,
            "description": WORKSHOP_DESCRIPTION,
            "starts_at": _at(cardiff, 10),
            "ends_at": _at(cardiff, 16),
            "venue": "The Temple of Peace",
            "address": "King Edward VII Avenue\nCathays Park\nCF10 3AP",
            "city": "Cardiff",
            "capacity": 30,
            "hashtag": "LearnFromFailure",
            "organisers": "The failshare network, with public service designers from Wales",
            "tags": ["workshop", "blameless reviews", "wales"],
            "questions": WORKSHOP_QUESTIONS,
        },
        {
            "slug": "dysgu-o-fethiant-caernarfon",
            "title": "Strategaethau ymarferol ar gyfer dysgu o fethiant: Caernarfon",
            "kind": Kind.WORKSHOP,
            "language": ContentLanguage.WELSH,
            "summary": WELSH_WORKSHOP_SUMMARY,
            "description": WELSH_WORKSHOP_DESCRIPTION,
            "starts_at": _at(caernarfon, 10),
            "ends_at": _at(caernarfon, 16),
            "venue": "Galeri Caernarfon",
            "address": "Doc Fictoria\nCaernarfon\nLL55 1SQ",
            "city": "Caernarfon",
            "region": Region.WALES,
            "capacity": 20,
            "hashtag": "DysguOFethiant",
            "organisers": "Rhwydwaith failshare, gyda dylunwyr gwasanaethau cyhoeddus o Gymru",
            "tags": ["workshop", "blameless reviews", "wales", "welsh language"],
            "questions": WELSH_WORKSHOP_QUESTIONS,
        },
        {
            "slug": "learning-from-failure-leeds",
            "title": "Practical strategies for learning from failure: Leeds",
            "kind": Kind.WORKSHOP,
            "summary": WORKSHOP_SUMMARY,
            "description": WORKSHOP_DESCRIPTION,
            "starts_at": _at(leeds, 10),
            "ends_at": _at(leeds, 16),
            "venue": "Leeds Central Library, Room 2",
            "address": "Calverley Street\nLS1 3AB",
            "city": "Leeds",
            "capacity": 8,
            "hashtag": "LearnFromFailure",
            "organisers": "The failshare network",
            "tags": ["workshop", "blameless reviews"],
            "questions": WORKSHOP_QUESTIONS,
            "fill_with_waiting": 3,
        },
        {
            "slug": "failing-well-national-conference",
            "title": "Failing well: the national conference on learning from failure",
            "kind": Kind.CONFERENCE,
            "summary": "A day of short, honest talks from people who ran projects that went wrong "
            "in councils, the NHS, housing and charities, and what they changed afterwards.",
            "description": "Talks are off the record: no recording, no live posting of names. "
            "The afternoon is given over to small-group discussions chosen on the day.",
            "starts_at": _at(conference, 9, 30),
            "ends_at": _at(conference, 17),
            "venue": "Birmingham Council House",
            "address": "Victoria Square\nB1 1BB",
            "city": "Birmingham",
            "capacity": 250,
            "registration_opens_at": _at(today - timedelta(days=7), 9),
            "hashtag": "FailingWell",
            "organisers": "The failshare network and partners",
            "tags": ["conference", "procurement", "digital"],
            "questions": CONFERENCE_QUESTIONS,
        },
        {
            "slug": "online-chat-the-hashtag-that-backfired",
            "title": "Online chat: the campaign hashtag that backfired",
            "kind": Kind.ONLINE_CHAT,
            "summary": "An hour's open chat on social media about public campaigns whose joke fell "
            "flat, and how the teams behind them recovered. Follow and join in with the hashtag.",
            "description": "Bring your own stories (anonymised, please). A moderator keeps things "
            "kind and on topic. Registered people get a reminder and the link to the live room.",
            "starts_at": _at(chat, 12, 30),
            "ends_at": _at(chat, 13, 30),
            "online_url": "https://meet.example.org/failshare-chat",
            "city": "Online",
            "capacity": None,
            "hashtag": "FailshareChat",
            "organisers": "Hosted by two communications leads from local government",
            "tags": ["communications", "social media"],
            "questions": [],
        },
        {
            "slug": "learning-from-failure-bristol",
            "title": "Practical strategies for learning from failure: Bristol",
            "kind": Kind.WORKSHOP,
            "summary": WORKSHOP_SUMMARY,
            "description": WORKSHOP_DESCRIPTION,
            "starts_at": _at(past, 10),
            "ends_at": _at(past, 16),
            "venue": "The Watershed",
            "address": "1 Canon's Road\nBS1 5TX",
            "city": "Bristol",
            "capacity": 25,
            "hashtag": "LearnFromFailure",
            "organisers": "The failshare network",
            "tags": ["workshop", "blameless reviews"],
            "questions": WORKSHOP_QUESTIONS,
        },
    ]


def _demo_attendee(number: int):
    email = f"demo.attendee{number}@example.org"
    user, created = get_user_model().objects.get_or_create(
        username=f"demo-attendee-{number}", defaults={"email": email}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    return user


def _fill(event: Event, waiting: int) -> None:
    """Take every place with demo attendees, and put a few more on the waiting list."""
    now = timezone.now()
    registrations = [
        Registration(
            event=event,
            user=_demo_attendee(number),
            status=(
                RegistrationStatus.CONFIRMED
                if number <= event.capacity
                else RegistrationStatus.WAITING
            ),
            created_at=now,
            confirmed_at=now if number <= event.capacity else None,
        )
        for number in range(1, event.capacity + waiting + 1)
    ]
    Registration.objects.bulk_create(registrations)


def seed(*, bulk_confessions: int, seed: int) -> list[str]:
    lines = []
    for spec in _events(timezone.localdate()):
        spec = dict(spec)
        if Event.objects.filter(slug=spec["slug"]).exists():
            continue
        tags = spec.pop("tags")
        questions = spec.pop("questions")
        waiting = spec.pop("fill_with_waiting", None)
        event = Event(status=EventStatus.PUBLISHED, **spec)
        event.full_clean()
        event.save()
        event.tags.set(tags)
        Question.objects.bulk_create(
            Question(event=event, order=order, **question)
            for order, question in enumerate(questions, start=1)
        )
        if waiting is not None:
            _fill(event, waiting)
        lines.append(f"Added event: {event.title}")
    return lines
