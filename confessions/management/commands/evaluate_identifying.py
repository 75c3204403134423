"""Measures the identifying-details detector against a labelled set of sentences.

Each line of the set is a sentence with ``[words](kind)`` around each span that identifies
someone or something and ``{words}`` around plain words that must not be flagged. A span is
found when a finding covers any of its characters; a finding is right when it covers any
character of a labelled span. Recall is counted over spans, precision over findings, each per
kind and in all.
"""

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from confessions import identifying
from confessions.identifying import Finding, find_identifying

CORPUS = Path(settings.BASE_DIR) / "tests" / "confessions" / "identifying_corpus.txt"
_MARK = re.compile(r"\[([^\]]+)\]\((\w+)\)|\{([^}]+)\}")


# The corpus's short labels, and the kinds the detector names.
LABELS = {
    "name": identifying.NAME,
    "org": identifying.ORGANISATION,
    "place": identifying.PLACE,
    "address": identifying.ADDRESS,
    "job": identifying.JOB_TITLE,
    "email": identifying.EMAIL,
    "phone": identifying.PHONE,
    "web": identifying.WEB,
    "handle": identifying.HANDLE,
    "hashtag": identifying.HASHTAG,
    "postcode": identifying.POSTCODE,
    "nhs": identifying.NHS_NUMBER,
    "ni": identifying.NI_NUMBER,
    "date": identifying.DATE,
    "project": identifying.PROJECT,
}


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str


@dataclass
class Sentence:
    text: str
    spans: list[Span]
    plain: list[Span]


def parse(line: str) -> Sentence:
    """A corpus line as plain text, its labelled spans and its must-not-flag words."""
    text, spans, plain, position = "", [], [], 0
    for match in _MARK.finditer(line):
        text += line[position : match.start()]
        words = match.group(1) or match.group(3)
        span = (len(text), len(text) + len(words))
        if match.group(1):
            spans.append(Span(*span, LABELS[match.group(2)]))
        else:
            plain.append(Span(*span, "plain"))
        text += words
        position = match.end()
    text += line[position:]
    return Sentence(text, spans, plain)


def load(path: Path = CORPUS) -> list[Sentence]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [parse(line) for line in lines if line.strip() and not line.startswith("#")]


def _overlaps(span: Span, finding: Finding) -> bool:
    return finding.start < span.end and span.start < finding.end


@dataclass
class Tally:
    spans: int = 0
    found: int = 0
    flags: int = 0
    right: int = 0

    @property
    def recall(self) -> float:
        return self.found / self.spans if self.spans else 1.0

    @property
    def precision(self) -> float:
        return self.right / self.flags if self.flags else 1.0


@dataclass
class Report:
    total: Tally = field(default_factory=Tally)
    by_kind: dict[str, Tally] = field(default_factory=dict)
    missed: list[tuple[str, str]] = field(default_factory=list)
    false_alarms: list[tuple[str, str]] = field(default_factory=list)
    plain_flagged: int = 0
    plain: int = 0
    sentences: int = 0
    seconds: float = 0.0

    def kind(self, name: str) -> Tally:
        return self.by_kind.setdefault(name, Tally())


def evaluate(sentences: list[Sentence]) -> Report:
    report = Report(sentences=len(sentences))
    started = time.perf_counter()
    results = [find_identifying(sentence.text) for sentence in sentences]
    report.seconds = time.perf_counter() - started
    for sentence, findings in zip(sentences, results, strict=True):
        for span in sentence.spans:
            hit = any(_overlaps(span, finding) for finding in findings)
            for tally in (report.total, report.kind(span.kind)):
                tally.spans += 1
                tally.found += hit
            if not hit:
                report.missed.append((sentence.text[span.start : span.end], span.kind))
        for finding in findings:
            right = any(_overlaps(span, finding) for span in sentence.spans)
            for tally in (report.total, report.kind(finding.kind)):
                tally.flags += 1
                tally.right += right
            if not right:
                report.false_alarms.append((finding.fragment, finding.kind))
        for span in sentence.plain:
            report.plain += 1
            report.plain_flagged += any(_overlaps(span, finding) for finding in findings)
    return report


class Command(BaseCommand):
    help = "Prints the detector's recall and precision on the labelled sentences, per kind."

    def add_arguments(self, parser):
        parser.add_argument("--corpus", type=Path, default=CORPUS, help="a labelled file")
        parser.add_argument("--verbose", action="store_true", help="list misses and alarms")

    def handle(self, *args, corpus: Path, verbose: bool, **options):
        report = evaluate(load(corpus))
        write = self.stdout.write
        write(f"{report.sentences} sentences, {report.total.spans} labelled spans")
        write(f"{'kind':<32} {'spans':>6} {'recall':>7} {'flags':>6} {'precision':>9}")
        for name in sorted(report.by_kind):
            tally = report.by_kind[name]
            write(
                f"{name:<32} {tally.spans:>6} {tally.recall:>7.3f} "
                f"{tally.flags:>6} {tally.precision:>9.3f}"
            )
        total = report.total
        write(
            f"{'all':<32} {total.spans:>6} {total.recall:>7.3f} "
            f"{total.flags:>6} {total.precision:>9.3f}"
        )
        write(f"plain words flagged: {report.plain_flagged} of {report.plain}")
        write(f"time: {report.seconds * 1000:.1f} ms for all sentences")
        if verbose:
            for fragment, kind in report.missed:
                write(f"missed: {fragment!r} ({kind})")
            for fragment, kind in report.false_alarms:
                write(f"false alarm: {fragment!r} ({kind})")
