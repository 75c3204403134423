"""Demo content for this app (see failshare/demo.py): believable stories, written for the demo.

Each story is recognised by a receipt hash derived from its key, so running the seeder twice adds
nothing. Bulk stories for benchmarks are generated elsewhere; ``bulk_confessions`` is ignored here.
"""

import datetime
from dataclasses import dataclass
from hashlib import sha256

from django.utils import timezone

from confessions.models import Cause, Confession, Impact, OrganisationSize, Sector, Status, new_slug
from failshare.models import ContentLanguage


@dataclass(frozen=True)
class DemoStory:
    key: str
    title: str
    sector: str
    size: str
    impact: str
    happened: str
    went_wrong: str
    learned: str
    differently: str
    tags: tuple[str, ...]
    causes: tuple[str, ...] = ()
    months_ago: int = 0
    me_too: int = 0
    status: str = Status.APPROVED
    language: str = ContentLanguage.ENGLISH


STORIES = [
    DemoStory(
        key="website-rebuild",
        title="We spent a year rebuilding a website nobody had asked for",
        sector=Sector.LOCAL_GOVERNMENT,
        size=OrganisationSize.LARGE,
        impact=Impact.MEDIUM,
        happened=(
            "Our council commissioned a new website after a senior manager said the old one "
            "looked dated. The project ran for thirteen months and cost far more than planned."
        ),
        went_wrong=(
            "We never looked at what residents actually came to the site to do. Most visits "
            "were to pay council tax, report a missed bin or find opening times, and the new "
            "design buried all three under news and campaign pages."
        ),
        learned=(
            "Start from the top tasks people come to do, measured from real search and "
            "analytics data, not from how the organisation is structured."
        ),
        differently=(
            "Test the three most common tasks with residents every fortnight from the first "
            "month, and release the new pages one service at a time."
        ),
        tags=("websites", "user research", "procurement"),
        causes=(Cause.REQUIREMENTS, Cause.PROCUREMENT),
        months_ago=0,
        me_too=14,
    ),
    DemoStory(
        key="case-management-system",
        title="The case management system our caseworkers refused to use",
        sector=Sector.SOCIAL_CARE,
        size=OrganisationSize.LARGE,
        impact=Impact.HIGH,
        happened=(
            "We bought a case management system after a long tender. Six months after launch "
            "most social workers were still keeping notes in spreadsheets and paper files."
        ),
        went_wrong=(
            "The specification was written by managers and the supplier. Nobody who did home "
            "visits was involved, and recording a visit took forty clicks on a slow laptop."
        ),
        learned=(
            "Software that is bought is not the same as software that is used. The people "
            "doing the work have to shape what is bought, and early."
        ),
        differently=(
            "Put two frontline workers on the evaluation panel, and try the shortlisted "
            "systems on real cases for a week before choosing."
        ),
        tags=("procurement", "adoption", "frontline staff"),
        causes=(Cause.REQUIREMENTS, Cause.PROCUREMENT, Cause.COMMUNICATION),
        months_ago=1,
        me_too=22,
    ),
    DemoStory(
        key="hashtag-joke",
        title="Our campaign hashtag joke fell completely flat",
        sector=Sector.HEALTH,
        size=OrganisationSize.VERY_LARGE,
        impact=Impact.LOW,
        happened=(
            "We launched a health awareness campaign with a playful hashtag that the team "
            "loved. Within an hour it was being used to mock the service."
        ),
        went_wrong=(
            "We tested the idea only with ourselves. The pun read very differently to people "
            "who had waited months for an appointment."
        ),
        learned=(
            "Humour depends on who is laughing. Test tone with the people the campaign is "
            "for, including those who are unhappy with the service."
        ),
        differently=(
            "Show campaign lines to a small, mixed group of patients first, and have a plain "
            "fallback ready to switch to on the day."
        ),
        tags=("communications", "social media"),
        causes=(Cause.COMMUNICATION,),
        months_ago=1,
        me_too=9,
    ),
    DemoStory(
        key="consultation-nobody",
        title="A consultation that reached almost nobody",
        sector=Sector.HOUSING,
        size=OrganisationSize.MEDIUM,
        impact=Impact.MEDIUM,
        happened=(
            "We consulted tenants on changes to repairs. After eight weeks we had 31 responses "
            "from more than 6,000 households."
        ),
        went_wrong=(
            "The survey was online only, in English only, and advertised through our "
            "newsletter, which most tenants do not read."
        ),
        learned=(
            "How you ask decides who answers. Going where people already are, and asking in "
            "the languages they speak, matters more than the questions."
        ),
        differently=(
            "Knock on doors and run short sessions in community centres, with paper forms and "
            "translated versions from the start."
        ),
        tags=("consultation", "user research", "inclusion"),
        causes=(Cause.COMMUNICATION, Cause.REQUIREMENTS),
        months_ago=2,
        me_too=17,
    ),
    DemoStory(
        key="data-migration",
        title="We switched off the old system before the data had moved",
        sector=Sector.CENTRAL_GOVERNMENT,
        size=OrganisationSize.VERY_LARGE,
        impact=Impact.HIGH,
        happened=(
            "A legacy system was switched off on the date in the contract. Several thousand "
            "records had not been migrated and a service had to be run by hand for weeks."
        ),
        went_wrong=(
            "The switch-off date was fixed before anyone had profiled the data. Reports showed "
            "the migration as green because they counted tables moved, not records checked."
        ),
        learned=(
            "A migration is finished when people can do their work on the new system, not "
            "when a contract date arrives."
        ),
        differently=(
            "Reconcile record counts every week, and make switch-off depend on those checks "
            "rather than on a date."
        ),
        tags=("data", "legacy systems", "contracts"),
        causes=(Cause.DATA, Cause.TECHNOLOGY, Cause.PROCUREMENT),
        months_ago=3,
        me_too=11,
    ),
    DemoStory(
        key="volunteer-app",
        title="The volunteer app that cost more than the volunteers saved",
        sector=Sector.CHARITY,
        size=OrganisationSize.SMALL,
        impact=Impact.MEDIUM,
        happened=(
            "We paid an agency to build an app for booking volunteer shifts. Most of our "
            "volunteers are over seventy and kept phoning the office instead."
        ),
        went_wrong=(
            "We assumed an app was what modern charities have. We did not ask our volunteers "
            "how they liked to be contacted."
        ),
        learned=(
            "The cheapest tool that fits how people already work is often the right one. A "
            "shared calendar and a phone rota would have done."
        ),
        differently=(
            "Spend a day with the volunteers and the office team before spending a penny on "
            "technology."
        ),
        tags=("volunteers", "apps", "user research"),
        causes=(Cause.FUNDING, Cause.TECHNOLOGY, Cause.REQUIREMENTS),
        months_ago=4,
        me_too=6,
    ),
    DemoStory(
        key="timetable-launch",
        title="A timetable system launched in the first week of term",
        sector=Sector.EDUCATION,
        size=OrganisationSize.LARGE,
        impact=Impact.HIGH,
        happened=(
            "Our college launched a new timetabling system on the first day of term. Hundreds "
            "of students were sent to the wrong rooms for a week."
        ),
        went_wrong=(
            "Testing was squeezed by a late contract signature, and nobody felt able to say "
            "that the launch date should move."
        ),
        learned=(
            "Never launch at the busiest moment of the year. A date that cannot move needs a "
            "fallback that can be switched on."
        ),
        differently=(
            "Launch over the summer with a small group of courses, and agree in advance who "
            "can call a delay."
        ),
        tags=("launches", "testing", "leadership"),
        causes=(Cause.FUNDING, Cause.LEADERSHIP, Cause.TECHNOLOGY),
        months_ago=5,
        me_too=8,
    ),
    DemoStory(
        key="cloud-bill",
        title="Nobody was watching the cloud bill",
        sector=Sector.DIGITAL,
        size=OrganisationSize.MEDIUM,
        impact=Impact.MEDIUM,
        happened=(
            "Test environments created for a three-week project kept running for fourteen "
            "months. We found out during the annual budget review."
        ),
        went_wrong=(
            "Everyone could create resources and nobody owned switching them off. Billing "
            "alerts went to a shared mailbox that nobody read."
        ),
        learned=(
            "Every resource needs a named owner and an end date. Alerts are only useful if "
            "they reach a person who will act."
        ),
        differently=(
            "Tag resources with an owner when they are created, and review spending in the "
            "team's fortnightly meeting."
        ),
        tags=("budgets", "cloud", "governance"),
        causes=(Cause.TECHNOLOGY, Cause.FUNDING, Cause.SKILLS),
        months_ago=6,
        me_too=12,
    ),
    DemoStory(
        key="partnership-board",
        title="A partnership board that met for two years and decided nothing",
        sector=Sector.OTHER,
        size=OrganisationSize.LARGE,
        impact=Impact.LOW,
        happened=(
            "Five organisations set up a joint board to improve a shared service. It met "
            "every month for two years."
        ),
        went_wrong=(
            "Nobody at the table could commit their organisation's money or staff, so every "
            "decision went back to five separate approval processes."
        ),
        learned=("A board is only as useful as the authority of the people sitting on it."),
        differently=(
            "Agree what each member can decide on the spot before the first meeting, and "
            "pool a small budget the board controls."
        ),
        tags=("partnerships", "governance", "leadership"),
        causes=(Cause.PARTNERSHIP, Cause.LEADERSHIP),
        months_ago=7,
        me_too=5,
    ),
    DemoStory(
        key="discharge-letters",
        title="Discharge letters that patients could not understand",
        sector=Sector.HEALTH,
        size=OrganisationSize.VERY_LARGE,
        impact=Impact.HIGH,
        happened=(
            "An audit found that many patients were readmitted because they had not followed "
            "instructions in their discharge letters."
        ),
        went_wrong=(
            "The letters were written for GPs and copied to patients unchanged, full of "
            "abbreviations and medical terms."
        ),
        learned=(
            "Writing for two audiences in one document serves neither. Plain language is a "
            "safety measure, not a nicety."
        ),
        differently=(
            "Write a short plain-language summary for the patient, tested with patients, on "
            "top of the clinical letter."
        ),
        tags=("plain language", "communications", "patient safety"),
        causes=(Cause.COMMUNICATION, Cause.REQUIREMENTS),
        months_ago=8,
        me_too=19,
    ),
    DemoStory(
        key="grant-portal",
        title="Our grant portal locked out the smallest groups",
        sector=Sector.LOCAL_GOVERNMENT,
        size=OrganisationSize.MEDIUM,
        impact=Impact.MEDIUM,
        happened=(
            "We moved community grants to an online portal to save staff time. Applications "
            "from small groups dropped by half."
        ),
        went_wrong=(
            "The portal asked for audited accounts and a registered number that many "
            "volunteer-run groups do not have, and gave no way to ask for help."
        ),
        learned=(
            "Efficiency for us can be a barrier for them. Every requirement needs a reason "
            "tied to the size of the grant."
        ),
        differently=(
            "Set proportionate requirements for small grants and keep a named person that "
            "groups can phone."
        ),
        tags=("grants", "inclusion", "digital services"),
        causes=(Cause.REQUIREMENTS, Cause.FUNDING, Cause.TECHNOLOGY),
        months_ago=9,
        me_too=10,
    ),
    DemoStory(
        key="agile-in-name",
        title="We called it agile, but the plan was fixed a year ahead",
        sector=Sector.CENTRAL_GOVERNMENT,
        size=OrganisationSize.VERY_LARGE,
        impact=Impact.MEDIUM,
        happened=(
            "A programme ran two-week sprints with stand-ups and show and tells, while the "
            "scope, budget and launch date were fixed in a business case."
        ),
        went_wrong=(
            "What we learned in research could not change the plan, so the team built what "
            "the business case said even when users showed it was wrong."
        ),
        learned=(
            "Ceremonies do not make a team agile. Being able to change what you build in "
            "response to evidence does."
        ),
        differently=(
            "Fund the team and the problem rather than a fixed list of features, and review "
            "the plan with evidence every quarter."
        ),
        tags=("agile", "governance", "user research"),
        causes=(Cause.LEADERSHIP, Cause.SKILLS),
        months_ago=10,
        me_too=25,
    ),
    DemoStory(
        key="pending-rota",
        title="The rota spreadsheet that ran a whole service",
        sector=Sector.SOCIAL_CARE,
        size=OrganisationSize.SMALL,
        impact=Impact.MEDIUM,
        happened="One person's spreadsheet scheduled every home care visit in the borough.",
        went_wrong="When they were off sick for a month, nobody else could work it.",
        learned="Critical knowledge held by one person is a risk worth writing down.",
        differently="Pair on the rota every week and write the steps down as we go.",
        tags=("resilience", "spreadsheets"),
        causes=(Cause.SKILLS, Cause.DATA),
        status=Status.PENDING,
    ),
    DemoStory(
        key="pending-chatbot",
        title="A chatbot that answered every question with our opening hours",
        sector=Sector.HOUSING,
        size=OrganisationSize.MEDIUM,
        impact=Impact.LOW,
        happened="We added a chatbot to the repairs page to reduce phone calls.",
        went_wrong="It was trained on a handful of questions and could not understand the rest.",
        learned="Automation needs the real questions people ask, not the ones we expect.",
        differently="Read a month of real enquiries before designing anything.",
        tags=("chatbots", "digital services"),
        causes=(Cause.TECHNOLOGY, Cause.DATA),
        status=Status.PENDING,
    ),
    DemoStory(
        key="pending-printing",
        title="Printing every email for the board pack",
        sector=Sector.CHARITY,
        size=OrganisationSize.SMALL,
        impact=Impact.LOW,
        happened="Board papers ran to four hundred printed pages each quarter.",
        went_wrong="Nobody had agreed what the board needed to decide.",
        learned="Papers should be shaped by the decisions, not by everything we know.",
        differently="Start every paper with the decision asked for, in one page.",
        tags=("governance",),
        causes=(Cause.LEADERSHIP, Cause.COMMUNICATION),
        status=Status.PENDING,
    ),
    # Stories written in Welsh, as people in Welsh public services share them.
    DemoStory(
        key="gwefan-ddwyieithog",
        title="Lansio gwefan Saesneg yn gyntaf a chyfieithu wedyn",
        sector=Sector.LOCAL_GOVERNMENT,
        size=OrganisationSize.MEDIUM,
        impact=Impact.MEDIUM,
        happened=(
            "Roedd y cyngor am lansio gwefan newydd cyn diwedd y flwyddyn ariannol. Fe wnaethon "
            "ni ysgrifennu'r tudalennau i gyd yn Saesneg a'u hanfon i'w cyfieithu yr wythnos cyn "
            "y lansio."
        ),
        went_wrong=(
            "Roedd y cyfieithiadau'n hwyr, felly aeth y wefan yn fyw gyda hanner y tudalennau "
            "Cymraeg yn wag. Cwynodd trigolion, ac roedd rhaid i ni ymddiheuro i Gomisiynydd y "
            "Gymraeg."
        ),
        learned=(
            "Mae'r Gymraeg yn rhan o'r gwasanaeth o'r dechrau, nid tasg ar y diwedd. Mae "
            "ysgrifennu'r ddwy iaith ochr yn ochr yn arafach ar y dechrau ond yn gyflymach yn "
            "y pen draw."
        ),
        differently=(
            "Cynnwys cyfieithydd yn y tîm o'r wythnos gyntaf, a phrofi pob tudalen gyda "
            "siaradwyr Cymraeg cyn ei chyhoeddi."
        ),
        tags=("websites", "welsh language"),
        causes=(Cause.REQUIREMENTS, Cause.FUNDING),
        months_ago=1,
        me_too=9,
        language=ContentLanguage.WELSH,
    ),
    DemoStory(
        key="cyllideb-gofal",
        title="Gwario cyllideb y gaeaf ar system nad oedd neb yn ei defnyddio",
        sector=Sector.SOCIAL_CARE,
        size=OrganisationSize.LARGE,
        impact=Impact.HIGH,
        happened=(
            "Prynodd ein gwasanaeth gofal system ar-lein i drefnu ymweliadau yn y cartref. "
            "Gwariwyd cyllideb y gaeaf i gyd arni mewn tri mis."
        ),
        went_wrong=(
            "Ni ofynnodd neb i'r gweithwyr gofal sut roedden nhw'n trefnu eu diwrnod. Doedd dim "
            "signal ffôn mewn llawer o'r pentrefi, felly roedd y staff yn dal i ddefnyddio "
            "papur."
        ),
        learned=(
            "Treuliwch ddiwrnod gyda'r bobl sy'n gwneud y gwaith cyn prynu dim. Mae'r hyn sy'n "
            "gweithio yn y swyddfa yn aml yn methu ar y ffordd."
        ),
        differently=(
            "Profi'r system am fis mewn un ardal wledig cyn ei phrynu i'r sir gyfan, a chadw "
            "arian wrth gefn ar gyfer newidiadau."
        ),
        tags=("social care", "procurement", "welsh language"),
        causes=(Cause.REQUIREMENTS, Cause.PROCUREMENT, Cause.TECHNOLOGY),
        months_ago=2,
        me_too=14,
        language=ContentLanguage.WELSH,
    ),
    DemoStory(
        key="ymgynghoriad-tawel",
        title="Ymgynghoriad na chlywodd neb amdano",
        sector=Sector.HEALTH,
        size=OrganisationSize.LARGE,
        impact=Impact.LOW,
        happened=(
            "Cynhaliodd y bwrdd iechyd ymgynghoriad am newid oriau clinigau yn y gogledd. Dim "
            "ond dau ddeg tri o bobl a ymatebodd mewn deuddeg wythnos."
        ),
        went_wrong=(
            "Dim ond ar ein gwefan ac ar y cyfryngau cymdeithasol y gwnaethon ni ei hysbysebu. "
            "Nid oedd y bobl a ddefnyddiai'r clinigau fwyaf, pobl hŷn yn bennaf, yn ein dilyn "
            "ni yno."
        ),
        learned=(
            "Ewch at y bobl lle maen nhw eisoes: yn y feddygfa, y fferyllfa a'r papur bro. "
            "Mae taflen ar y cownter yn cyrraedd mwy na neges ar-lein."
        ),
        differently=(
            "Gofyn i'r derbynyddion a'r fferyllwyr rannu'r ymgynghoriad, a chynnig ffurflen "
            "bapur gydag amlen wedi'i thalu ymlaen llaw."
        ),
        tags=("consultation", "welsh language"),
        causes=(Cause.COMMUNICATION,),
        months_ago=3,
        me_too=6,
        language=ContentLanguage.WELSH,
    ),
]


def demo_receipt_hash(key: str) -> str:
    return sha256(f"failshare-demo-story:{key}".encode()).hexdigest()


def _month(months_ago: int) -> datetime.date:
    today = timezone.localdate()
    year, month = divmod(today.year * 12 + today.month - 1 - months_ago, 12)
    return datetime.date(year, month + 1, 1)


def seed(*, bulk_confessions: int, seed: int) -> list[str]:
    existing = set(
        Confession.objects.filter(
            receipt_hash__in=[demo_receipt_hash(story.key) for story in STORIES]
        ).values_list("receipt_hash", flat=True)
    )
    added = 0
    for story in STORIES:
        if demo_receipt_hash(story.key) in existing:
            continue
        published = story.status == Status.APPROVED
        confession = Confession(
            slug=new_slug(story.title),
            title=story.title,
            sector=story.sector,
            organisation_size=story.size,
            impact=story.impact,
            causes=list(story.causes),
            what_happened=story.happened,
            what_went_wrong=story.went_wrong,
            what_we_learned=story.learned,
            what_we_would_do_differently=story.differently,
            status=story.status,
            submitted_on=_month(story.months_ago),
            published_month=_month(story.months_ago) if published else None,
            me_too_count=story.me_too,
            language=story.language,
            receipt_hash=demo_receipt_hash(story.key),
        )
        confession.full_clean(exclude=["tags"])
        confession.save()
        confession.tags.add(*story.tags)
        added += 1
    return [f"Demo stories: {added} added, {len(STORIES) - added} already there."]
