import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from confessions.identifying import (
    EMAIL,
    HANDLE,
    JOB_TITLE,
    NAME,
    ORGANISATION,
    PHONE,
    POSTCODE,
    WEB,
    Finding,
    find_identifying,
)


def found(text: str) -> list[tuple[str, str]]:
    return [(finding.fragment, finding.kind) for finding in find_identifying(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Write to jo.bloggs@leeds.gov.uk today.", [("jo.bloggs@leeds.gov.uk", EMAIL)]),
        ("Ring 0113 496 0000 for help.", [("0113 496 0000", PHONE)]),
        (
            "Or 07700900123, or +44 7700 900123.",
            [("07700900123", PHONE), ("+44 7700 900123", PHONE)],
        ),
        ("Call (020) 7946 0000 now.", [("(020) 7946 0000", PHONE)]),
        ("See https://example.org/our-page. It broke.", [("https://example.org/our-page", WEB)]),
        ("We moved to www.example.co.uk last year.", [("www.example.co.uk", WEB)]),
        ("Everything lives on leeds.gov.uk now.", [("leeds.gov.uk", WEB)]),
        ("Follow @leedsdigital for updates.", [("@leedsdigital", HANDLE)]),
        ("Our office at LS1 4AP flooded.", [("LS1 4AP", POSTCODE)]),
        ("It went to SW1A1AA by mistake.", [("SW1A1AA", POSTCODE)]),
        ("We told Sarah Jones about it.", [("Sarah Jones", NAME)]),
        ("We asked Leeds City Council first.", [("Leeds City Council", ORGANISATION)]),
        ("The Home Office said no.", [("Home Office", ORGANISATION)]),
        ("It went to the Bank of England.", [("Bank of England", ORGANISATION)]),
        ("HMRC and DWP never spoke.", [("HMRC", ORGANISATION), ("DWP", ORGANISATION)]),
        ("When Sarah left, it all stopped.", [("Sarah", NAME)]),
        ("We met Councillor Smith twice.", [("Councillor Smith", NAME)]),
        ("We asked Acme Ltd about it.", [("Acme Ltd", ORGANISATION)]),
        (
            "It was the Department for Work and Pensions.",
            [("Department for Work and Pensions", ORGANISATION)],
        ),
        # A lone word opening a sentence is a name only when it is a known first name.
        ("Sarah's team wrote it.", [("Sarah", NAME)]),
        ("Tarquinia's team wrote it.", []),
        ("It was Sarah's idea.", [("Sarah", NAME)]),
        # One post in one organisation points at one person.
        ("The Head of Communications had to apologise.", [("Head of Communications", JOB_TITLE)]),
    ],
)
def test_it_finds_and_quotes_identifying_details(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "We launched a hashtag campaign for the new recycling service. Nobody had checked what "
        "the hashtag spelled without spaces. The comms team had to apologise.",
        "A six-figure website was built by an agency before any user research. After launch, "
        "residents could not find how to pay their Council Tax. We learned to test with real "
        "users in Alpha and Beta.",
        "We procured a case management system that nobody used. Frontline staff were not "
        "involved; the Board signed off a business case written by the supplier. Next time: "
        "involve users from day one.",
        "In January the NHS trust moved everything to Microsoft Teams and SharePoint. It took "
        "18 months and cost £250,000. Our Digital team and the IT department disagreed.",
        "How We Bought A System Nobody Used",
        "WE SHOULD HAVE ASKED THE USERS FIRST",
        "Lessons: talk to users. Measure outcomes. Don't trust the demo.",
        "In 2019 we spent 250,000 on a website. It took 18 months, e.g. three phases.",
    ],
)
def test_ordinary_writing_raises_no_false_alarm(text):
    assert found(text) == []


def test_each_detail_is_listed_once_in_order():
    text = "Email a@example.org, then Sarah Jones, then a@example.org and Sarah Jones again."
    assert found(text) == [("a@example.org", EMAIL), ("Sarah Jones", NAME)]


def test_a_detail_between_two_capitalised_words_does_not_join_them():
    assert found("We met Sarah jo@example.org Jones, https://example.org/a@b.com too.") == [
        ("Sarah", NAME),
        ("jo@example.org", EMAIL),
        ("Jones", NAME),
        ("https://example.org/", WEB),
        ("a@b.com", EMAIL),
    ]


def test_parts_of_an_email_address_are_not_flagged_again():
    assert found("Mail Info@Example.org now.") == [("Info@Example.org", EMAIL)]


COMMON_WORDS = (
    "we the team had a plan but nobody asked users what they needed so it failed and "
    "then our budget ran out in march after months of work on the new system"
)
WORDS = st.sampled_from(COMMON_WORDS.split(" "))


@given(st.lists(st.lists(WORDS, min_size=1, max_size=12), min_size=1, max_size=8))
def test_sentences_of_common_words_are_never_flagged(sentences):
    # Capitals at the start of sentences are normal writing, not names.
    text = " ".join(" ".join(words).capitalize() + "." for words in sentences)
    assert find_identifying(text) == []


@given(st.text())
def test_any_text_gives_fragments_found_in_it(text):
    for finding in find_identifying(text):
        assert isinstance(finding, Finding)
        assert finding.fragment and finding.fragment in text


USER = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789._", min_size=1, max_size=12).filter(
    lambda s: s[0].isalnum() and s[-1].isalnum()
)
DOMAIN = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=10)


@given(
    USER, DOMAIN, st.sampled_from(["org", "co.uk", "gov.uk", "com"]), st.lists(WORDS, max_size=6)
)
def test_an_email_address_anywhere_in_a_sentence_is_found(user, domain, tld, words):
    address = f"{user}@{domain}.{tld}"
    text = " ".join([*words, address, *words]) + "."
    assert Finding(address, EMAIL) in find_identifying(text)


@given(st.sampled_from(["a", "Z", "é", "@", ".", "0", " "]), st.integers(1000, 5000))
def test_long_input_is_checked_quickly(character, length):
    started = time.process_time()
    find_identifying(character * length)
    assert time.process_time() - started < 0.5
