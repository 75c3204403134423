"""A long story is checked quickly, with the lists read once per process."""

import logging
import time

from confessions import identifying
from confessions.identifying import find_identifying
from confessions.management.commands.evaluate_identifying import load

LIMIT_SECONDS = 0.020


def long_story(length: int = 20_000) -> str:
    text = " ".join(sentence.text for sentence in load())
    while len(text) < length:
        text += " " + text
    return text[:length]


def test_a_20000_character_story_is_checked_in_under_20_ms():
    story = long_story()
    find_identifying(story)  # the lists are read on first use
    # Processor time, the best of a few runs: on a busy machine the wall clock also counts the
    # time spent waiting for a turn, which is not the checker's.
    timings = []
    for _ in range(15):
        started = time.process_time()
        findings = find_identifying(story)
        timings.append(time.process_time() - started)
    assert len(findings) > 50  # it did look: the corpus is full of details
    assert min(timings) < LIMIT_SECONDS, f"best run took {min(timings) * 1000:.1f} ms"


def test_the_lists_are_read_once_per_process():
    identifying.lists.cache_clear()
    find_identifying("We asked Leeds City Council.")
    find_identifying("Mencap and Serco were there.")
    assert identifying.lists.cache_info().misses == 1
    assert identifying.lists() is identifying.lists()


def test_nothing_typed_is_logged(caplog):
    caplog.set_level(logging.DEBUG)
    find_identifying("Jenny from Leeds City Council, jenny@example.org, 0113 496 0000.")
    assert caplog.records == []
