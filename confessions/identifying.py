"""Finds details in a story that could identify people or organisations.

Each finding quotes the fragment, says in plain words what kind of detail it looks like and where
it is, so the writer can take it out or knowingly keep it. It works the way a careful moderator
reads:

- contact details and numbers by their shape: email and web addresses, handles and hashtags,
  phone numbers (checked with ``phonenumbers``), postcodes, NHS numbers (with their check digit),
  National Insurance numbers and exact dates;
- organisations and places by name, from the lists in ``confessions/data`` (read once per
  process), and by how organisations are named ("... Council", "... NHS Trust",
  "University of ...", "Arts Council of Wales");
- people by their title ("Dr Evans", "Councillor Khan"), by a full name, or by a common first
  name where the sentence says a person; posts held by one person ("Head of Children's
  Services", "our clinical lead"); project and product names ("Project Atlas", "Ask Sam").

False alarms matter as much: the national NHS, "Local government", weekdays, months, everyday
words of the sector and well-known technologies are never flagged; a lone capitalised word that
opens a sentence is flagged only when it is a known name; text in Title Case (a headline) is
checked only for known names, and text in capitals throughout is not checked for names at all.

Everything happens in this process, on the text given: nothing typed is logged or kept.
"""

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import phonenumbers
from django.utils.translation import gettext_lazy as _

# The kinds of detail, as a page names them after the words found ("“Jo Bloggs” – name of a
# person"): translated when shown, in the language of the page.
# Translators: the kinds of detail that could identify someone, shown after the words found.
EMAIL = _("email address")
PHONE = _("phone number")
WEB = _("web address")
HANDLE = _("social media handle")
HASHTAG = _("hashtag")
POSTCODE = _("postcode")
ADDRESS = _("street address")
NHS_NUMBER = _("NHS number")
NI_NUMBER = _("National Insurance number")
DATE = _("exact date")
ORGANISATION = _("name of an organisation")
PLACE = _("name of a place")
NAME = _("name of a person")
JOB_TITLE = _("job title of one person")
PROJECT = _("name of a project or product")

KINDS = (
    NAME,
    ORGANISATION,
    PLACE,
    JOB_TITLE,
    EMAIL,
    PHONE,
    WEB,
    HANDLE,
    HASHTAG,
    POSTCODE,
    ADDRESS,
    NHS_NUMBER,
    NI_NUMBER,
    DATE,
    PROJECT,
)

DATA = Path(__file__).resolve().parent / "data"

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_DAY = r"(?:[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?"
_WEEKDAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?[ \t]+(?:the[ \t]+)?)"

# Each pattern starts only where a word starts (the look-behind), which also keeps matching
# linear on long runs of letters.
_EMAIL = re.compile(r"(?<![\w.+%-])[\w.+%-]+@[\w-]+(?:\.[\w-]+)+")
_WEB = re.compile(
    r"(?<![\w@/.-])(?:"
    r"(?:https?://|www\.)[^\s<>\"'()\[\]]+"
    r"|(?:[a-z0-9-]+\.)+(?:com|org|net|uk|gov|nhs|io|info|scot|wales|cymru|ie|eu|int|edu|ac"
    r"|biz|app|dev|online|site|tech|london|ly|me|co|blog|ai|tv|xyz|news|social|digital)(?![\w-])(?:/[^\s<>\"'()\[\]]*)?"
    r")",
    re.IGNORECASE,
)
# The national sites themselves identify nobody.
_NATIONAL_SITES = frozenset({"gov.uk", "nhs.uk", "www.gov.uk", "www.nhs.uk"})
_HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_]{2,30}(?![\w@])")
_HASHTAG = re.compile(r"(?<![\w#&])#[A-Za-z][A-Za-z0-9_]{1,60}(?!\w)")
_DATE = re.compile(
    rf"(?<![\w/.-])(?:"
    rf"{_WEEKDAY}?{_DAY}(?:[ \t]+of)?[ \t]+(?:{_MONTHS})\.?(?:,?[ \t]+(?:19|20)\d\d)?"
    rf"|{_WEEKDAY}?(?:{_MONTHS})\.?[ \t]+{_DAY}(?:,?[ \t]+(?:19|20)\d\d)?"
    rf"|(?:0?[1-9]|[12]\d|3[01])[/.](?:0?[1-9]|1[0-2])[/.](?:19|20)?\d\d"
    rf"|(?:19|20)\d\d-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])"
    rf")(?![\w/])"
)
_NHS_NUMBER = re.compile(r"(?<![\w+])(\d{3})([ -]?)(\d{3})\2(\d{4})(?![\w])")
_NI_NUMBER = re.compile(
    r"(?<![\w])(?!BG|GB|NK|KN|TN|NT|ZZ)(?:QQ|[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z])"
    r"(?:[ \t]?\d\d){3}[ \t]?[A-D](?![\w])"
)
# Anything that could be a GB or international number; ``phonenumbers`` decides.
_PHONE = re.compile(r"(?<![\w+])(?:\+|00|\(?0)[\d(][\d \t().-]{7,18}\d(?!\d)")
# UK postcodes as people write them: capitals, with or without the space.
_POSTCODE = re.compile(r"(?<![\w])[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2}(?![\w])")
_ADDRESS = re.compile(
    r"(?<![\w/])(?:(?:Flat|Apartment|Unit)[ \t]+\d+[A-Za-z]?,?[ \t]+)?\d{1,4}[A-Za-z]?,?[ \t]+"
    r"(?:[A-Z][a-z'’-]+[ \t]+){1,3}"
    r"(?:Road|Street|Avenue|Lane|Close|Drive|Way|Crescent|Place|Gardens|Court|Terrace|Grove"
    r"|Square|Row|Walk|Mews|Rise|Hill|Park|Parade|View)(?![\w-])"
)
_TRAILING_PUNCTUATION = ".,;:!?"
# What a found detail is blotted out with before looking further: no pattern matches it, and it
# joins no words into a name.
_MASK = "<"


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_WORD = re.compile(r"[^\W\d_](?:[\w'’-]*[^\W_])?")

# Words that start sentences or join them: dropped from the start and end of a name.
_FUNCTION_WORDS = _word_set(
    """
    a about above across after afterwards again against ago all almost along already also
    although always am among an and another any anyone anything anyway anywhere are around as at
    away back basically be because been before behind being below beside besides between beyond
    both but by can cannot clearly could crucially did do does doing done down during each
    eight either else elsewhere enough especially even eventually ever every everyone
    everything everywhere except few fifth finally first five for four from further
    furthermore had has have having he hence her here hers herself him himself his honestly how
    however i if importantly in indeed initially instead interestingly into is it its itself just
    last later least less let like looking luckily many may maybe me meanwhile might mine more
    moreover most mostly much must my myself namely neither never nevertheless next nine no
    nobody none nonetheless nor not nothing now obviously of off often oh ok okay on once one
    only onto or other others otherwise our ours ourselves out over overall own perhaps please
    quite rather really sadly second seven several shall she should since six so some somehow
    someone something sometimes soon still such surprisingly ten than thankfully that the their
    theirs them themselves then there thereafter therefore these they third this those though
    three through throughout thus to today together tomorrow too twelve twenty two ultimately
    under unfortunately unless until up upon us very was we well were what whatever when
    whenever where whereas whether which while who whoever whom whose why will with within
    without would yes yesterday yet you your yours yourself yourselves
    i'm i've i'd i'll we're we've we'd we'll it's that's there's they're they've they'd let's
    don't didn't doesn't couldn't wasn't weren't isn't won't can't hadn't haven't hasn't
    shouldn't wouldn't
    """
)
# Everyday words that may be capitalised and identify nobody on their own ("the Council").
_EVERYDAY_WORDS = _word_set(
    """
    monday tuesday wednesday thursday friday saturday sunday january february march april june
    july august september october november december spring summer autumn winter christmas easter
    mr mrs ms miss dr sir dame lord lady professor prof cllr
    uk gb britain british england english scotland scottish wales welsh ireland irish northern
    great europe european eu us usa america american covid covid-19 coronavirus brexit
    government governments council councils councillor councillors minister ministers ministry
    parliament cabinet board boards trust trusts department departments directorate director
    directors chief executive executives officer officers head heads manager managers team teams
    service services programme programmes project projects digital agile scrum alpha beta
    discovery live public private sector local central national authority authorities committee
    chair chairs mayor internet website websites web email policy policies strategy tax
    senior junior leadership leaders management staff users user residents citizens customers
    patients tenants members partners supplier suppliers vendor contractor consultants
    procurement finance legal communications comms operations delivery transformation change
    product owner responsible design research technology data security information governance
    assurance audit health care social housing education children adult adults family families
    benefits universal credit phase stage review business case plan annual report budget new old
    year week month day morning afternoon evening night north south east west city county borough
    district region regional town village community voluntary charity charities school schools
    hospital hospitals university college ward wards clinic surgery practice centre center unit
    group groups network partnership foundation association agency commission regulator
    ombudsman police fire ambulance prime secretary state permanent deputy assistant lead
    principal general corporate strategic commissioning commissioner commissioners trustee
    trustees volunteer volunteers office offices lessons lesson
    nhs it hr ceo cto cio cfo coo cdo pr gp gps ict ux ui api apis crm erp saas faq pdf kpi
    kpis mvp sql ai ml gdpr foi dpia sla slas roi tv bau pmo sro rfp itt csv url urls html css
    sms qa devops mp mps pm pa cv id ids ehcp send sen camhs a&e icu ics icb icbs pcn pcns ccg
    ccgs gp's asb dla pip esa jsa uc hb ctr lha rtb mash ofsted-rated ni
    excel word powerpoint teams sharepoint zoom slack jira confluence trello google microsoft
    amazon aws azure oracle salesforce twitter facebook instagram linkedin tiktok youtube
    whatsapp wi-fi wifi iphone android windows notify pay verify login app apps gov.uk x
    tableau dynamics servicenow sap workday python java javascript react drupal wordpress github
    gitlab docker kubernetes chatgpt copilot openai figma miro mural airtable surveymonkey
    typeform mailchimp hubspot outlook gmail skype webex okta linux ios mac apple ipad
    chromebook bluetooth sharepoint's power bi office 365 forms lists planner yammer viva
    leader leaders scrutiny epr ehr pas cctv anpr act acts bill lords commons insurance
    national-insurance hansard whitehall westminster's treasury's
    urdu punjabi bengali gujarati arabic somali polish romanian tamil tigrinya farsi pashto
    cantonese mandarin portuguese spanish french german italian ukrainian russian turkish
    kurdish hindi bsl braille makaton asian african caribbean muslim christian jewish hindu
    sikh black white
    """
)
_COMMON = _FUNCTION_WORDS | _EVERYDAY_WORDS
_ORGANISATION_WORDS = _word_set(
    """
    council councils trust department ministry office agency authority board commission
    university college school hospital hospitals foundation association partnership group ltd
    limited plc llp inc cic nhs police constabulary bank company corporation charity society
    institute ombudsman inspectorate executive homes housing healthcare academy fund alliance
    collective cooperative co-operative consortium federation borough
    """
)
_TITLES = _word_set(
    """
    mr mrs ms miss mx dr doctor prof professor sir dame lord lady baroness baron councillor cllr
    rev revd reverend canon judge justice sister nurse father inspector sergeant constable
    superintendent pc dc ds di dci
    """
)
_PROJECT_WORDS = _word_set("project programme operation initiative scheme")
_PRODUCT_NOUNS = _word_set(
    """
    app portal platform system tool chatbot bot dashboard database pilot programme project
    website scheme helpline service's
    """
)
# Words beside a lone first name that say it is a person.
_PERSON_VERBS = _word_set(
    """
    said says told tells asked asks emailed rang phoned called wrote writes left joined came went
    thought think thinks knew knows agreed decided wanted wants explained insisted refused
    promised admitted pointed suggested sent signed ran runs led leads had has was is who from on
    in at and
    """
)
_SAYING = _word_set("said says told asked emailed rang phoned wrote thinks thought knew insisted")
_PERSON_CUES = _word_set(
    "asked told emailed rang phoned called thanked met messaged with and by to from cc'd copied"
)
# A place name alone that is also an everyday word is a place only after one of these.
_PLACE_CUES = _word_set("in at from to near around outside across of covering serving")
_JOB_TITLE = re.compile(
    r"(?<![\w'’-])(?:"
    # Capitalised posts: "Head of Children's Services", "Director of Adult Social Care".
    r"(?:(?:Interim|Acting|Deputy|Assistant|Executive|Associate|Strategic|Corporate|Joint)[ \t]+)*"
    r"(?:Director(?:[ \t]+General)?|Head|Chief[ \t]+Officer|Chair|Chairman|Chairwoman|Leader"
    r"|Cabinet[ \t]+Member|Portfolio[ \t]+Holder|Commissioner|Minister|Secretary[ \t]+of[ \t]+State"
    r"|Service[ \t]+Manager|Assistant[ \t]+Director|Lead[ \t]+Member|Mayor|Lord[ \t]+Mayor)"
    r"[ \t]+(?:of|for)[ \t]+(?:the[ \t]+)?"
    r"[A-Z][\w'’-]*(?:,?[ \t]+(?:(?:and|&|of|for|the)[ \t]+)*[A-Z][\w'’-]*)*"
    # Posts there is one of in an organisation.
    r"|(?:(?:Interim|Acting|Deputy|Assistant|Executive)[ \t]+)*"
    r"(?:Chief[ \t]+Executive(?:[ \t]+Officer)?|Chief[ \t]+(?:[A-Z][a-z]+[ \t]+){1,2}Officer"
    r"|Chief[ \t]+(?:Nurse|Constable|Inspector|Social[ \t]+Worker|Pharmacist|Economist|Scientist)"
    r"|Medical[ \t]+Director|Finance[ \t]+Director|Managing[ \t]+Director|Caldicott[ \t]+Guardian"
    r"|Monitoring[ \t]+Officer|Section[ \t]+151[ \t]+Officer|Permanent[ \t]+Secretary"
    r"|Data[ \t]+Protection[ \t]+Officer|Senior[ \t]+Information[ \t]+Risk[ \t]+Owner"
    r"|Council[ \t]+Leader|Town[ \t]+Clerk|Principal[ \t]+Social[ \t]+Worker|Clinical[ \t]+Director"
    r"|Director[ \t]+General|Accountable[ \t]+Officer|Head[ \t]?teacher|Registrar[ \t]+General)"
    r"(?![\w-])"
    # The same posts as people write them in passing: "our clinical lead", "the head of housing".
    r"|(?<=\b[Tt]he[ \t])(?:(?:new|former|interim|acting|then|previous|outgoing)[ \t]+)?"
    r"(?:head|director|assistant[ \t]+director|chair)[ \t]+of[ \t]+[a-z][a-z'’-]+"
    r"(?:[ \t]+(?:and|&)[ \t]+[a-z][a-z'’-]+)?(?:[ \t]+services)?"
    r"|(?:(?<=\b[Oo]ur[ \t])|(?<=\b[Tt]he[ \t])|(?<=\b[Ii]ts[ \t])|(?<=\b[Mm]y[ \t]))"
    r"(?:(?:new|former|interim|acting|then|previous|outgoing)[ \t]+)?"
    r"(?:chief[ \t]+executive(?:[ \t]+officer)?|ceo|cfo|cio|cto|cdo|coo|clinical[ \t]+lead"
    r"|medical[ \t]+director|finance[ \t]+director|managing[ \t]+director|caldicott[ \t]+guardian"
    r"|monitoring[ \t]+officer|data[ \t]+protection[ \t]+officer|permanent[ \t]+secretary"
    r"|chief[ \t]+nurse|chief[ \t]+constable|council[ \t]+leader|headteacher|head[ \t]+teacher"
    r"|chief[ \t]+[a-z]+[ \t]+officer|nominated[ \t]+individual|registered[ \t]+manager"
    r"|safeguarding[ \t]+lead|clinical[ \t]+director|lead[ \t]+member|CEO|CFO|CIO|CTO|CDO|COO)"
    r")(?![\w-])"
)


@dataclass(frozen=True)
class Finding:
    fragment: str
    kind: str
    # Where it was found: two findings quoting the same words are the same finding.
    start: int = field(default=0, compare=False)
    end: int = field(default=0, compare=False)


class _Word:
    """A word of the text, with what the name finder asks of it worked out once."""

    __slots__ = (
        "start",
        "end",
        "text",
        "sentence_start",
        "key",
        "capitalised",
        "acronym",
        "common",
    )

    def __init__(self, start: int, end: int, text: str, sentence_start: bool):
        self.start, self.end, self.text, self.sentence_start = start, end, text, sentence_start
        self.key = key = text.lower().replace("’", "'")
        self.capitalised = text[0].isupper()
        self.acronym = self.capitalised and len(text) >= 2 and text.isupper()
        self.common = key in _COMMON or (key.endswith("s") and key[:-1] in _COMMON)


@dataclass(frozen=True)
class _Entry:
    words: tuple[str, ...]  # as written in the list, to compare capitals
    kind: str
    everyday: bool  # also an everyday word: only a name mid-sentence, or after a cue


@dataclass(frozen=True)
class _Lists:
    first_names: frozenset[str]
    word_names: frozenset[str]
    # first word's key -> entries starting with it, longest first
    entries: dict[str, tuple[_Entry, ...]]
    # names written with "&" between letters ("L&Q"), which are not words to the word scanner
    glued: re.Pattern


def _key(word: str) -> str:
    word = word.replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    return word.rstrip("'").lower()


def _sections(path: Path):
    section = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        yield section, line


# Names of places that are also everyday words: a place only after "in", "at", "from"...
_EVERYDAY_PLACES = _word_set(
    """
    reading bath bury sale deal wells march street hart sutton boston lincoln washington hamilton
    perth kingston avon valleys highland moray angus rugby wyre arun test adur hull derry down
    durham newport preston halton richmond york barry chester poole ely
    """
)


@cache
def lists() -> _Lists:
    """The names this detector knows, read from ``confessions/data`` once per process."""
    first_names: set[str] = set()
    word_names: set[str] = set()
    for section, line in _sections(DATA / "first_names.txt"):
        (word_names if section == "word" else first_names).update(line.split())
    first_names -= word_names
    entries: dict[str, list[_Entry]] = {}

    glued: list[str] = []

    def add(name: str, kind: str, everyday: bool) -> None:
        if re.search(r"\w&\w", name):
            glued.append(re.escape(name))
        if any(c.isdigit() for c in name):
            return  # "NHS 24": the words alone would be another name
        words = tuple(match.group() for match in _WORD.finditer(name))
        if words:
            entries.setdefault(_key(words[0]), []).append(_Entry(words, kind, everyday))

    for _section, line in _sections(DATA / "places.txt"):
        add(line, PLACE, line.lower() in _EVERYDAY_PLACES)
    for _section, line in _sections(DATA / "authorities.txt"):
        add(line, PLACE, line.lower() in _EVERYDAY_PLACES)
    for section, line in _sections(DATA / "organisations.txt"):
        add(line, ORGANISATION, section == "everyday words")
    ordered = {
        key: tuple(sorted(found, key=lambda entry: -len(entry.words)))
        for key, found in entries.items()
    }
    glued_names = re.compile(rf"(?<![\w&])(?:{'|'.join(glued) or '(?!)'})(?![\w&])")
    return _Lists(frozenset(first_names), frozenset(word_names), ordered, glued_names)


def find_identifying(text: str) -> list[Finding]:
    """Every fragment of ``text`` that could identify someone, in order, each once."""
    findings: list[Finding] = []
    masked = text
    # Each pattern runs only near what it cannot do without (an "@", a digit, a keyword), found
    # by a quick search: that keeps a long story well within a few milliseconds.
    at_signs = _windows(text, _AT, 100)
    digits = _windows(text, _DIGITS, 40)
    for pattern, kind, accept, windows in (
        (_EMAIL, EMAIL, None, at_signs),
        (_WEB, WEB, _not_national_site, _windows(text, _WEB_GATE, 120)),
        (_HANDLE, HANDLE, None, at_signs),
        (_HASHTAG, HASHTAG, None, _windows(text, _HASH, 70)),
        (_NI_NUMBER, NI_NUMBER, None, digits),
        (_NHS_NUMBER, NHS_NUMBER, _nhs_number_checks, digits),
        (_DATE, DATE, None, digits),
        (_PHONE, PHONE, _is_phone_number, digits),
        (_POSTCODE, POSTCODE, None, digits),
        (_ADDRESS, ADDRESS, None, digits),
        (_JOB_TITLE, JOB_TITLE, None, _windows(text.lower(), _JOB_GATE, 120)),
        (lists().glued, ORGANISATION, None, _windows(text, _AMPERSAND, 40)),
    ):
        for match in _matches(pattern, masked, windows):
            start = match.start()
            fragment = match.group().rstrip(_TRAILING_PUNCTUATION)
            if kind == PHONE:
                fragment = fragment.rstrip(" \t.-(")
            end = start + len(fragment)
            if accept is not None and not accept(fragment):
                if kind == WEB:  # a national site: neither flagged nor read as a name
                    masked = masked[:start] + _MASK * (end - start) + masked[end:]
                continue
            findings.append(Finding(fragment, kind, start, end))
            masked = masked[:start] + _MASK * (end - start) + masked[end:]
    findings += _names(masked, text)
    seen: set[Finding] = set()
    ordered = []
    for finding in sorted(findings, key=lambda finding: finding.start):
        if finding not in seen:
            seen.add(finding)
            ordered.append(finding)
    return ordered


_AT = re.compile("@")
_HASH = re.compile("#")
_AMPERSAND = re.compile("&")
_DIGITS = re.compile(r"\d+")
_WEB_GATE = re.compile(
    r"://|www\.|\.(?:com|org|net|uk|gov|nhs|io|info|scot|wales|cymru|ie|eu|int|edu|ac|biz|app|dev"
    r"|online|site|tech|london|ly|me|co|blog|ai|tv|xyz|news|social|digital)",
    re.IGNORECASE,
)
# Searched in the text in lower case, which is quicker than searching without regard to case.
_JOB_GATE = re.compile(
    r"director|head|chief|chair|leader|member|holder|commissioner|minister|secretary|manager"
    r"|mayor|guardian|officer|clerk|worker|lead|ceo|cfo|cio|cto|cdo|coo|individual|teacher"
    r"|registrar|owner"
)


def _windows(text: str, gate: re.Pattern, margin: int) -> list[tuple[int, int]]:
    """Stretches of ``text`` around each match of ``gate``, merged where they meet."""
    windows: list[tuple[int, int]] = []
    for match in gate.finditer(text):
        start, end = max(0, match.start() - margin), min(len(text), match.end() + margin)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    return windows


def _matches(pattern: re.Pattern, text: str, windows: list[tuple[int, int]]):
    # Look-behinds still see the text before a window; a window ends at a word's end or the
    # text's, so nothing is cut short where a word goes on.
    for start, end in windows:
        while end < len(text) and text[end].isalnum():
            end += 1
        yield from pattern.finditer(text, start, end)


def _not_national_site(fragment: str) -> bool:
    return fragment.lower().rstrip("/") not in _NATIONAL_SITES


def _nhs_number_checks(fragment: str) -> bool:
    digits = [int(c) for c in fragment if c.isdigit()]
    if fragment.isdigit() and digits[0] == 0:
        return False  # ten digits starting with 0 are a phone number
    remainder = sum(d * (10 - i) for i, d in enumerate(digits[:9])) % 11
    check = 11 - remainder
    check = 0 if check == 11 else check
    return check != 10 and check == digits[9]


def _is_phone_number(fragment: str) -> bool:
    if not 10 <= sum(c.isdigit() for c in fragment) <= 13:
        return False
    try:
        number = phonenumbers.parse(fragment, "GB")
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_possible_number(number)


# A run of capitalised words written together, joined by spaces or small words ("Department for
# Work and Pensions"). The pattern starts with a capital, so the search skips to capitals quickly.
_CAPITAL_WORD = r"[A-ZÀ-ÖØ-Þ\u0100-\u017f][\w'’-]*"
_RUN = re.compile(
    rf"{_CAPITAL_WORD}(?:[ \t]+(?:&[ \t]+)?(?:(?:of|for|and|the|upon|on|in|de|la|le|von|van|der|du)"
    rf"[ \t]+)*{_CAPITAL_WORD})*"
)
_PREVIOUS_WORD = re.compile(r"([^\W\d_][\w'’-]*)[ \t]+\Z")
_NEXT_WORD = re.compile(r"[ \t]+([^\W\d_][\w'’-]*)")
# "Dr. Evans": the full stop of a title does not end a sentence.
_TITLE_STOP = re.compile(
    r"(?:Dr|Mr|Mrs|Ms|Mx|Prof|Rev|Revd|Cllr|Insp|Sgt|Supt|St)\.(?=[ \t]+[A-Z])"
)
_SENTENCE_END = frozenset('.!?:;"“”‘’*•()[]\n\r')


def _title_without_stop(match: re.Match) -> str:
    start = match.start()
    if start and (match.string[start - 1].isalnum() or match.string[start - 1] == "."):
        return match.group()  # the end of a longer word ("ID. Then")
    return match.group()[:-1] + " "


def _word(text: str, start: int, end: int, sentence_start: bool) -> _Word:
    word = text[start:end]
    if word.endswith(("'s", "’s")):
        word, end = word[:-2], end - 2
    elif word.endswith(("s'", "s’")):
        word, end = word[:-1], end - 1
    return _Word(start, end, word, sentence_start)


def _starts_sentence(text: str, start: int) -> bool:
    index = start - 1
    while index >= 0 and text[index] in " \t":
        index -= 1
    return index < 0 or text[index] in _SENTENCE_END


def _case_of(text: str) -> tuple[bool, bool]:
    """Whether ``text`` is written in Title Case (a headline) or in capitals throughout."""
    inner = capitalised = words = capitals = 0
    previous = "."
    for token in text.split():
        if token[0].isalpha():
            words += 1
            capitals += token.isupper()
            if previous[-1] not in ".!?:":
                inner += 1
                capitalised += token[0].isupper()
        previous = token
    title_case = inner >= 3 and capitalised >= 0.75 * inner
    shouting = words >= 3 and capitals >= 0.75 * words
    return title_case, shouting


def _run_words(text: str, match: re.Match) -> list[list[_Word]]:
    """The words of one run, split where "and" joins two organisations or two people."""
    words = [
        _word(text, found.start(), found.end(), False)
        for found in _WORD.finditer(text, match.start(), match.end())
    ]
    if not words:
        return []
    words[0].sentence_start = _starts_sentence(text, words[0].start)
    parts: list[list[_Word]] = [[]]
    for index, word in enumerate(words):
        if not word.capitalised and 0 < index < len(words) - 1:
            before, after = words[index - 1], words[index + 1]
            # "HMRC and DWP" are two organisations; "Work and Pensions" is part of one.
            if before.acronym or after.acronym or after.key in _TITLES:
                parts.append([])
                continue
        parts[-1].append(word)
    return [part for part in parts if part]


def _context(text: str, part: list[_Word]) -> list[_Word]:
    """The part with the words just before and after it, which say what it is."""
    first, last = part[0], part[-1]
    previous = _PREVIOUS_WORD.search(text, max(0, first.start - 40), first.start)
    following = _NEXT_WORD.match(text, last.end)
    words = list(part)
    if previous:
        words.insert(0, _word(text, previous.start(1), previous.end(1), False))
    if following:
        words.append(_word(text, following.start(1), following.end(1), False))
    return words


def _list_match(text: str, words: list[_Word], index: int, stop: int) -> _Entry | None:
    """The longest listed name starting at ``words[index]`` and ending before ``stop``."""
    for entry in lists().entries.get(_key(words[index].text), ()):
        last = index + len(entry.words) - 1
        if last >= stop:
            continue
        if all(
            _same_case(listed, words[index + offset]) for offset, listed in enumerate(entry.words)
        ):
            return entry
    return None


def _same_case(listed: str, word: _Word) -> bool:
    if _key(listed) != word.key and _key(listed) != _key(word.text):
        return False
    if sum(c.isalpha() for c in listed) >= 2 and listed.isupper():
        return word.text.startswith(listed[: len(word.text)])  # acronyms as written
    if listed[0].isupper():
        return word.capitalised
    return True


def _names(masked: str, text: str) -> list[Finding]:
    """Names in ``masked`` (the text with other details blotted out), quoted from ``text``."""
    # How a text is written shows in its first lines: a long story is not read twice for it.
    title_case, shouting = _case_of(masked[:1000])
    if shouting:
        return []
    masked = _TITLE_STOP.sub(_title_without_stop, masked)  # positions still match ``text``
    findings = []
    for match in _RUN.finditer(masked):
        start = match.start()
        if start and (masked[start - 1].isalnum() or masked[start - 1] in "'’-_"):
            continue  # a capital inside a word ("eBay")
        if not masked[start].isupper():
            continue
        # Most runs are one everyday word opening a sentence ("We", "The"): nothing to look at.
        lone = match.group()
        if lone.isalpha() and lone.lower() in _COMMON and not lone.isupper():
            continue
        for part in _run_words(masked, match):
            words = _context(masked, part)
            offset = 1 if words[0] is not part[0] else 0
            run = list(range(offset, offset + len(part)))
            for first, last, kind in _classify(masked, words, run, title_case):
                begin, end = words[first].start, words[last].end
                findings.append(Finding(text[begin:end], kind, begin, end))
    return findings


def _trim(words: list[_Word], first: int, last: int) -> tuple[int, int]:
    while first <= last and (words[first].key in _FUNCTION_WORDS or not words[first].capitalised):
        first += 1
    while last >= first and (words[last].key in _FUNCTION_WORDS or not words[last].capitalised):
        last -= 1
    return first, last


def _classify(masked: str, words: list[_Word], run: list[int], title_case: bool):
    """(first, last, kind) for each name in one run of capitalised words."""
    first, last = _trim(words, run[0], run[-1])
    if first > last:
        return []
    # Organisations named by their pattern: "Leeds City Council", "Arts Council of Wales".
    keys = [words[i].key for i in range(first, last + 1)]
    listed = _listed(masked, words, first, last)
    uncommon = [i for i in range(first, last + 1) if not words[i].common]
    if words[first].key in _TITLES and last > first:
        return [(first, last, NAME)]
    if (
        words[first].key in _PROJECT_WORDS
        and last > first
        and words[first + 1].key not in _COMMON
        and not title_case
    ):
        return [(first, last, PROJECT)]
    if words[first].key == "ask" and last == first + 1 and not title_case:
        return [(first, last, PROJECT)]
    organisation = any(key in _ORGANISATION_WORDS for key in keys) and (uncommon or listed)
    if organisation and not (title_case and not listed):
        return [(first, last, ORGANISATION)]
    if listed:
        return [
            found[:3] for found in listed if _listed_counts(masked, words, found, title_case)
        ] + _left_over(words, first, last, listed, title_case)
    return _unlisted(masked, words, first, last, title_case)


def _listed(masked: str, words: list[_Word], first: int, last: int):
    found = []
    index = first
    while index <= last:
        entry = _list_match(masked, words, index, last + 1)
        if entry is None:
            index += 1
            continue
        end = index + len(entry.words) - 1
        found.append((index, end, entry.kind, entry.everyday))
        index = end + 1
    return found


def _listed_counts(masked: str, words: list[_Word], found, title_case: bool) -> bool:
    first, last, kind, everyday = found
    if not everyday:
        return not (title_case and first == last and kind == PLACE and words[first].sentence_start)
    previous = words[first - 1].key if first > 0 else ""
    if kind == PLACE:
        return previous in _PLACE_CUES and not words[first].sentence_start
    return not words[first].sentence_start and not title_case


def _left_over(words, first, last, listed, title_case):
    """Capitalised words of a run beside a listed name: a first name, or nothing."""
    covered = {i for start, end, *_ in listed for i in range(start, end + 1)}
    found = []
    for index in range(first, last + 1):
        if index not in covered and words[index].key in lists().first_names and not title_case:
            found.append((index, index, NAME))
    return found


def _unlisted(masked: str, words: list[_Word], first: int, last: int, title_case: bool):
    run = words[first : last + 1]
    if all(word.common for word in run):
        return []
    acronyms = [w for w in run if w.acronym]
    names = lists()
    if len(run) == 1:
        word = run[0]
        if len(word.text) < 2:
            return []
        nxt = words[last + 1] if last + 1 < len(words) else None
        before = words[first - 1].key if first > 0 else ""
        if word.key in names.first_names and not title_case:
            # "Jenny on reception told us": a known first name, even opening a sentence.
            return [(first, last, NAME)]
        if word.key in names.word_names and not title_case:
            if word.sentence_start:
                if nxt is not None and nxt.key in _SAYING:
                    return [(first, last, NAME)]
            elif (nxt is not None and nxt.key in _PERSON_VERBS) or before in _PERSON_CUES:
                return [(first, last, NAME)]
            return []
        if nxt is not None and nxt.key in _PRODUCT_NOUNS and not word.sentence_start:
            return [(first, last, PROJECT)]
        if word.sentence_start and not word.acronym:
            return []
    if title_case and not acronyms:
        return []
    if acronyms and len(run) == 1:
        return [(first, last, ORGANISATION)]
    if any(w.key in _ORGANISATION_WORDS for w in run) or acronyms:
        return [(first, last, ORGANISATION)]
    return [(first, last, NAME)]
