"""Finds details in a story that could identify people or organisations.

Each finding quotes the fragment and says what kind of detail it looks like, so the writer can
change it or knowingly keep it. Contact details are found by pattern; names are guessed from
capitals, which is where false alarms come from, so:

- a single capitalised word that starts a sentence is never flagged (it is usually just a word);
- common English words, months, days, titles and everyday public-sector words are never flagged
  alone, even when capitalised ("the Council", "our Digital team");
- text in Title Case (most words capitalised, as in a headline) is only checked for acronyms,
  and text in capitals throughout is not checked for names at all.
"""

import re
from dataclasses import dataclass

EMAIL = "email address"
PHONE = "phone number"
WEB = "web address"
HANDLE = "social media handle"
POSTCODE = "postcode"
ORGANISATION = "name of an organisation"
NAME = "name"

# Each pattern starts only where a word starts (the look-behind), which also keeps matching
# linear on long runs of letters.
_EMAIL = re.compile(r"(?<![\w.+%-])[\w.+%-]+@[\w-]+(?:\.[\w-]+)+")
_WEB = re.compile(
    r"(?<![\w@/.-])(?:"
    r"(?:https?://|www\.)[^\s<>\"'()\[\]]+"
    r"|(?:[a-z0-9-]+\.)+(?:com|org|net|uk|gov|nhs|io|info|scot|wales|cymru|ie|eu|int|edu|ac"
    r"|biz|app|dev|online|site|tech|london)(?![\w-])"
    r")",
    re.IGNORECASE,
)
_HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_]{2,30}(?![\w@])")
_PHONE = re.compile(
    r"(?<![\w+])(?:\+\d{1,3}[ .-]?(?:\(0\)[ .-]?)?|\(?0)"
    r"\d{2,5}\)?[ .-]?\d{3,4}[ .-]?\d{3,4}(?![\d])"
)
# UK postcodes as people write them: capitals, with or without the space.
_POSTCODE = re.compile(r"(?<![\w])[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2}(?![\w])")
_TRAILING_PUNCTUATION = ".,;:!?"
# What a found detail is blotted out with before looking further: no pattern matches it, and it
# joins no words into a name.
_MASK = "<"


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_WORD = re.compile(r"[^\W\d_](?:[\w'’-]*[^\W_])?")
_RUN_GAP = re.compile(r"[ \t]+(?:&[ \t]+)?")
_SENTENCE_BREAK = re.compile(r"[.!?:;\"“”‘’*•\n\r]")
_CONNECTORS = _word_set("of for and the upon on in de la le von van der du")

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
    europe european eu us usa america american covid covid-19 coronavirus brexit
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
    sms qa devops mp mps pm pa cv id ids
    excel word powerpoint teams sharepoint zoom slack jira confluence trello google microsoft
    amazon aws azure oracle salesforce twitter facebook instagram linkedin tiktok youtube
    whatsapp wi-fi wifi iphone android windows
    """
)
_COMMON = _FUNCTION_WORDS | _EVERYDAY_WORDS
_ORGANISATION_WORDS = _word_set(
    """
    council councils trust department ministry office agency authority board commission
    university college school hospital foundation association partnership group ltd limited
    plc llp inc cic nhs police bank company corporation service services charity society institute
    """
)


@dataclass(frozen=True)
class Finding:
    fragment: str
    kind: str


@dataclass
class _Word:
    start: int
    end: int
    text: str
    sentence_start: bool

    @property
    def key(self) -> str:
        return self.text.lower().replace("’", "'")

    @property
    def capitalised(self) -> bool:
        return self.text[0].isupper()

    @property
    def acronym(self) -> bool:
        return sum(c.isalpha() for c in self.text) >= 2 and self.text.isupper()


def find_identifying(text: str) -> list[Finding]:
    """Every fragment of ``text`` that could identify someone, in order, each once."""
    findings: list[tuple[int, Finding]] = []
    masked = text
    for pattern, kind in (
        (_EMAIL, EMAIL),
        (_WEB, WEB),
        (_HANDLE, HANDLE),
        (_PHONE, PHONE),
        (_POSTCODE, POSTCODE),
    ):
        for match in pattern.finditer(masked):
            start, end = match.span()
            fragment = match.group().rstrip(_TRAILING_PUNCTUATION)
            if kind == PHONE and not 10 <= sum(c.isdigit() for c in fragment) <= 13:
                continue
            end = start + len(fragment)
            findings.append((start, Finding(fragment, kind)))
            masked = masked[:start] + _MASK * (end - start) + masked[end:]
    findings += _names(masked, text)
    seen: set[Finding] = set()
    ordered = []
    for _, finding in sorted(findings, key=lambda item: item[0]):
        if finding not in seen:
            seen.add(finding)
            ordered.append(finding)
    return ordered


def _words(text: str) -> list[_Word]:
    words: list[_Word] = []
    previous_end = 0
    for match in _WORD.finditer(text):
        start, end = match.span()
        word = match.group()
        if word.endswith(("'s", "’s")):
            word, end = word[:-2], end - 2
        gap = text[previous_end:start]
        sentence_start = not words or bool(_SENTENCE_BREAK.search(gap))
        words.append(_Word(start, end, word, sentence_start))
        previous_end = end
    return words


def _runs(text: str, words: list[_Word]) -> list[list[_Word]]:
    """Groups of capitalised words written together, joined by spaces or connectors."""
    runs: list[list[_Word]] = []
    current: list[_Word] = []
    for index, word in enumerate(words):
        joined = bool(current) and _RUN_GAP.fullmatch(text[current[-1].end : word.start])
        if word.capitalised:
            if current and joined:
                current.append(word)
            else:
                if current:
                    runs.append(current)
                current = [word]
        elif (
            current
            and joined
            and word.key in _CONNECTORS
            and index + 1 < len(words)
            and words[index + 1].capitalised
            # "HMRC and DWP" are two organisations; "Work and Pensions" is part of one.
            and not (current[-1].acronym or words[index + 1].acronym)
        ):
            current.append(word)
        else:
            if current:
                runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def _names(masked: str, text: str) -> list[tuple[int, Finding]]:
    """Names in ``masked`` (the text with contact details blotted out), quoted from ``text``."""
    words = _words(masked)
    inner = [word for word in words if not word.sentence_start]
    title_case = len(inner) >= 3 and sum(w.capitalised for w in inner) >= 0.75 * len(inner)
    shouting = len(words) >= 3 and sum(w.acronym for w in words) >= 0.75 * len(words)
    findings = []
    for run in _runs(masked, words):
        while run and (run[0].key in _FUNCTION_WORDS or not run[0].capitalised):
            run = run[1:]
        while run and (run[-1].key in _FUNCTION_WORDS or not run[-1].capitalised):
            run = run[:-1]
        if all(word.key in _COMMON or not word.capitalised for word in run):
            continue
        acronyms = [w for w in run if w.acronym]
        if title_case and not acronyms:
            continue
        if shouting:
            continue
        if len(run) == 1 and run[0].sentence_start and not run[0].acronym:
            continue
        fragment = text[run[0].start : run[-1].end]
        is_organisation = bool(acronyms) or any(w.key in _ORGANISATION_WORDS for w in run)
        findings.append(
            (run[0].start, Finding(fragment, ORGANISATION if is_organisation else NAME))
        )
    return findings
