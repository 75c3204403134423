"""The detector measured against the labelled sentences in ``identifying_corpus.txt``."""

from io import StringIO

import pytest
from django.core.management import call_command

from confessions.management.commands.evaluate_identifying import LABELS, evaluate, load, parse

RECALL = 0.95
PRECISION = 0.85


@pytest.fixture(scope="module")
def report():
    return evaluate(load())


def test_the_corpus_is_large_and_varied():
    sentences = load()
    assert len(sentences) >= 300
    kinds = {span.kind for sentence in sentences for span in sentence.spans}
    assert kinds == set(LABELS.values())
    assert sum(not sentence.spans for sentence in sentences) >= 60  # plain writing too
    assert len({sentence.text for sentence in sentences}) == len(sentences)


def test_it_finds_at_least_95_percent_of_the_labelled_spans(report):
    assert report.total.recall >= RECALL, report.missed


def test_at_least_85_percent_of_its_flags_are_right(report):
    assert report.total.precision >= PRECISION, report.false_alarms


def test_the_plain_words_are_not_flagged(report):
    assert report.plain_flagged <= 0.05 * report.plain


def test_the_command_prints_recall_and_precision_per_kind():
    out = StringIO()
    call_command("evaluate_identifying", stdout=out)
    printed = out.getvalue()
    for kind in ("name of a person", "name of an organisation", "NHS number", "all"):
        assert kind in printed
    assert "recall" in printed and "precision" in printed


def test_a_labelled_line_is_read_into_text_spans_and_plain_words():
    sentence = parse("[Jenny](name) told {Monday} staff at [Leeds City Council](org).")
    assert sentence.text == "Jenny told Monday staff at Leeds City Council."
    assert [(sentence.text[s.start : s.end], s.kind) for s in sentence.spans] == [
        ("Jenny", LABELS["name"]),
        ("Leeds City Council", LABELS["org"]),
    ]
    assert [sentence.text[s.start : s.end] for s in sentence.plain] == ["Monday"]


def test_the_scores_count_a_miss_and_a_false_alarm(tmp_path):
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("[Wibble](org) went well.\nWe asked Sarah Jones.\n", encoding="utf-8")
    report = evaluate(load(corpus))
    assert report.total.recall == 0.0  # "Wibble" opening a sentence is not a known name
    assert report.total.precision == 0.0  # "Sarah Jones" was not labelled
