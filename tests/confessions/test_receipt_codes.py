import hashlib
import re

from hypothesis import given
from hypothesis import strategies as st

from confessions.receipts import (
    ALPHABET,
    BITS,
    format_code,
    new_receipt_code,
    normalise_code,
    receipt_hash,
)


def test_codes_carry_at_least_80_random_bits():
    assert BITS >= 80


def test_codes_come_in_groups_easy_to_copy_without_look_alike_characters():
    code = new_receipt_code()
    assert re.fullmatch(r"[A-Z2-9]{4}(-[A-Z2-9]{4}){4}", code)
    assert not set("01OIL") & set(ALPHABET)
    assert set(code.replace("-", "")) <= set(ALPHABET)


def test_codes_do_not_repeat():
    codes = {new_receipt_code() for _ in range(2000)}
    assert len(codes) == 2000


def test_every_character_of_the_alphabet_is_used():
    seen = set("".join(new_receipt_code() for _ in range(200)).replace("-", ""))
    assert seen == set(ALPHABET)


def test_the_hash_is_sha256_of_the_normalised_code():
    code = new_receipt_code()
    expected = hashlib.sha256(code.replace("-", "").encode()).hexdigest()
    assert receipt_hash(code) == expected
    assert receipt_hash(code.lower().replace("-", " ")) == expected


@given(st.text(alphabet=ALPHABET, min_size=20, max_size=20), st.data())
def test_typed_variants_normalise_to_the_same_code(raw, data):
    separators = data.draw(
        st.lists(st.sampled_from(["", " ", "-", "  ", " - ", "–"]), min_size=5, max_size=5)
    )
    typed = "".join(raw[i : i + 4] + separators[i // 4] for i in range(0, 20, 4))
    typed = data.draw(st.sampled_from([typed, typed.lower(), typed.title()]))
    assert normalise_code(typed) == raw
    assert normalise_code(format_code(raw)) == raw


@given(st.text(max_size=120))
def test_anything_else_is_refused_without_an_error(typed):
    normalised = normalise_code(typed)
    assert normalised is None or (len(normalised) == 20 and set(normalised) <= set(ALPHABET))
