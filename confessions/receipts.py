"""Receipt codes: shown once to the writer of a story, stored only as a hash.

A code is 20 characters from an alphabet without look-alikes (no 0, O, 1, I or L), shown in five
groups of four: about 99 bits of randomness from ``secrets``. Typed codes are forgiven case,
spaces and dashes.
"""

import hashlib
import math
import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
GROUPS = 5
GROUP_SIZE = 4
LENGTH = GROUPS * GROUP_SIZE
BITS = LENGTH * math.log2(len(ALPHABET))
# Longer input cannot be a code; refusing it early keeps hashing and matching cheap.
MAX_INPUT_LENGTH = 100

_SEPARATORS = re.compile(r"[\s\-‐‑‒–—_.]+")


def new_receipt_code() -> str:
    """A fresh random code, formatted for reading: ``ABCD-EFGH-JKMN-PQRS-TUVW``."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return format_code(raw)


def format_code(normalised: str) -> str:
    return "-".join(normalised[i : i + GROUP_SIZE] for i in range(0, LENGTH, GROUP_SIZE))


def normalise_code(typed: str) -> str | None:
    """The code as stored before hashing, or None when the input cannot be a code."""
    if len(typed) > MAX_INPUT_LENGTH:
        return None
    code = _SEPARATORS.sub("", typed).upper()
    if len(code) != LENGTH or any(character not in ALPHABET for character in code):
        return None
    return code


def receipt_hash(code: str) -> str:
    """The stored form of a code: SHA-256 of its normalised form (the code has ~99 random bits,
    so a plain hash cannot be reversed by guessing)."""
    normalised = normalise_code(code)
    if normalised is None:
        raise ValueError("not a receipt code")
    return hashlib.sha256(normalised.encode("ascii")).hexdigest()
