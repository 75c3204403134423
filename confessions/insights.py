"""What no single story shows: counts of the published stories, drawn as charts at /insights/.

The counts come from one grouped query over the published stories, made once per change of
them (``failshare.pagecache.remember``, keyed by the stories' version); the charts are laid out
here as numbers, and drawn as SVG by the templates (``confessions/_bar_chart.html``,
``_column_chart.html`` and ``_stacked_chart.html``), each beside a table of the same numbers.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext_lazy

from confessions.browse import IMPACT_NOT_GIVEN, NOT_GIVEN, list_url
from confessions.models import Cause, Confession, Impact, Sector
from failshare import pagecache
from failshare.models import STORIES

# The drawing's units (the SVG scales to the page's width).
WIDTH = 640
LABEL_WIDTH = 230
VALUE_WIDTH = 50
ROW_HEIGHT = 30
BAR_HEIGHT = 20
COLUMN_AREA = 200
COLUMN_LABEL = 30
# One colour per cause in the stacked chart, in Cause's order, each with a pattern-free name
# in the legend and the table beside it.
CAUSE_COLOURS = (
    "#1d70b8",
    "#d4351c",
    "#00703c",
    "#912b88",
    "#f47738",
    "#003078",
    "#85994b",
    "#5694ca",
    "#6f72af",
)
# What the templates need of the drawing's geometry.
LAYOUT = {
    "width": WIDTH,
    "label_x": LABEL_WIDTH - 8,
    "column_area": COLUMN_AREA,
    "year_y": COLUMN_AREA + 20,
}
# Short names for the bars ("High", not "High: people or services seriously affected").
IMPACTS = [
    (Impact.LOW.value, pgettext_lazy("impact", "Low")),
    (Impact.MEDIUM.value, pgettext_lazy("impact", "Medium")),
    (Impact.HIGH.value, pgettext_lazy("impact", "High")),
    (IMPACT_NOT_GIVEN, NOT_GIVEN),
]


@dataclass
class Bar:
    label: str
    value: int
    url: str
    # Where it is drawn: set by the chart.
    x: float = 0
    y: float = 0
    width: float = 0
    height: float = 0
    colour: str = ""
    # Where its label and its number are written.
    text_y: float = 0
    value_x: float = 0


@dataclass
class Chart:
    id: str
    title: str
    description: str
    category: str  # the table's first column: what each bar is
    value_heading: str
    bars: list[Bar]
    height: float = 0
    # The stacked chart: each row's segments, and the legend.
    rows: list["StackedRow"] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    # The column chart: (x, year) under each January.
    marks: list[tuple[float, str]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(bar.value for bar in self.bars)


@dataclass
class StackedRow:
    label: str
    total: int
    url: str
    y: float
    segments: list[Bar]

    @property
    def text_y(self) -> float:
        return self.y + (ROW_HEIGHT - BAR_HEIGHT) / 2 + BAR_HEIGHT * 0.7

    @property
    def value_x(self) -> float:
        return round((self.segments[-1].x + self.segments[-1].width if self.segments else 0) + 6, 1)


def counts() -> dict:
    """The published stories counted every way the charts need, once per change of them."""
    return pagecache.remember(STORIES, "insights", (), _compute_counts)


def _compute_counts() -> dict:
    causes = list(enumerate(Cause.values))
    per_cause = {f"n_{i}": Count("id", filter=Q(causes__contains=[c])) for i, c in causes}
    me_too = {f"me_too_{i}": Sum("me_too_count", filter=Q(causes__contains=[c])) for i, c in causes}
    rows = (
        Confession.objects.published()
        .order_by()
        .values("sector", "impact", "published_month")
        .annotate(n=Count("id"), **per_cause, **me_too)
    )
    found = {
        "stories": 0,
        "sectors": Counter(),
        "causes": Counter(),
        "sector_causes": Counter(),
        "impacts": Counter(),
        "months": Counter(),
        "me_too": Counter(),
    }
    for row in rows:
        found["stories"] += row["n"]
        found["sectors"][row["sector"]] += row["n"]
        found["impacts"][row["impact"] or IMPACT_NOT_GIVEN] += row["n"]
        found["months"][row["published_month"]] += row["n"]
        for i, cause in causes:
            found["causes"][cause] += row[f"n_{i}"]
            found["sector_causes"][(row["sector"], cause)] += row[f"n_{i}"]
            found["me_too"][cause] += row[f"me_too_{i}"] or 0
    return {name: +value if isinstance(value, Counter) else value for name, value in found.items()}


def _list(**filters) -> str:
    current = {"q": "", "sector": "", "cause": "", "tag": "", "month": "", "impact": ""}
    return list_url(reverse("confessions:list"), {**current, "sort": "newest", **filters})


def _lay_out_bars(chart: Chart) -> Chart:
    """Horizontal bars, longest for the largest value, one row each."""
    largest = max((bar.value for bar in chart.bars), default=0) or 1
    room = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    for row, bar in enumerate(chart.bars):
        bar.x = LABEL_WIDTH
        bar.y = row * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2
        bar.width = round(room * bar.value / largest, 1)
        bar.height = BAR_HEIGHT
        bar.text_y = bar.y + BAR_HEIGHT * 0.7
        bar.value_x = bar.x + bar.width + 6
    chart.height = max(len(chart.bars), 1) * ROW_HEIGHT
    return chart


def _bar_chart(id, title, description, category, value_heading, bars) -> Chart:
    return _lay_out_bars(Chart(id, title, description, category, value_heading, bars))


def _month_label(month: datetime.date) -> str:
    return date_format(month, "F Y")


def charts() -> list[Chart]:
    """Every chart of the insights page, laid out from ``counts()``."""
    found = counts()
    stories = found["stories"]
    by_cause = sorted(Cause.choices, key=lambda c: -found["causes"].get(c[0], 0))
    cause_bars = [
        Bar(str(label), found["causes"].get(value, 0), _list(cause=value))
        for value, label in by_cause
    ]
    top = cause_bars[0] if cause_bars and cause_bars[0].value else None
    sector_bars = sorted(
        (
            Bar(str(label), found["sectors"].get(value, 0), _list(sector=value))
            for value, label in Sector.choices
        ),
        key=lambda bar: -bar.value,
    )
    impact_bars = [
        Bar(str(label), found["impacts"].get(value, 0), _list(impact=value))
        for value, label in IMPACTS
    ]
    me_too_order = sorted(Cause.choices, key=lambda c: -found["me_too"].get(c[0], 0))
    me_too_bars = [
        Bar(str(label), found["me_too"].get(value, 0), _list(cause=value, sort="me-too"))
        for value, label in me_too_order
    ]
    by_cause_description = gettext(
        "How many of the %(stories)s published stories name each cause. A story can name "
        "more than one, so the bars add up to more than the stories."
    ) % {"stories": f"{stories:,}"}
    if top:
        by_cause_description += " " + gettext("The commonest cause is %(cause)s, in %(count)s.") % {
            "cause": top.label.lower(),
            "count": f"{top.value:,}",
        }
    return [
        _bar_chart(
            "by-cause",
            gettext("Stories by cause"),
            by_cause_description,
            gettext("Cause"),
            gettext("Stories"),
            cause_bars,
        ),
        _bar_chart(
            "by-sector",
            gettext("Stories by sector"),
            gettext("How many of the %(stories)s published stories come from each sector.")
            % {"stories": f"{stories:,}"},
            gettext("Sector"),
            gettext("Stories"),
            sector_bars,
        ),
        _stacked_chart(found),
        _bar_chart(
            "by-impact",
            gettext("Stories by impact"),
            gettext("How serious the writers said the effect was (giving an impact is optional)."),
            gettext("Impact"),
            gettext("Stories"),
            impact_bars,
        ),
        _column_chart(found),
        _bar_chart(
            "me-too-by-cause",
            gettext("Causes with the most “this happened to us too”"),
            gettext(
                "The “this happened to us too” presses on the published stories, added up for "
                "each cause the stories name: which failures most readers recognise. A press "
                "counts for every cause of its story."
            ),
            gettext("Cause"),
            # Translators: the heading of a table's column: how many times readers pressed
            # "this happened to us too".
            gettext("Presses"),
            me_too_bars,
        ),
    ]


def _stacked_chart(found: dict) -> Chart:
    """A bar per sector, made of a segment per cause."""
    cells = found["sector_causes"]
    totals = {value: sum(cells.get((value, c), 0) for c in Cause.values) for value in Sector.values}
    largest = max(totals.values(), default=0) or 1
    room = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    rows = []
    sectors = sorted(Sector.choices, key=lambda s: -totals[s[0]])
    for number, (sector, sector_label) in enumerate(sectors):
        x = LABEL_WIDTH
        segments = []
        for (cause, cause_label), colour in zip(Cause.choices, CAUSE_COLOURS, strict=True):
            value = cells.get((sector, cause), 0)
            bar = Bar(str(cause_label), value, _list(sector=sector, cause=cause), colour=colour)
            bar.x, bar.y = x, number * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2
            bar.width, bar.height = round(room * value / largest, 1), BAR_HEIGHT
            x = round(x + bar.width, 1)
            segments.append(bar)
        rows.append(
            StackedRow(
                str(sector_label),
                totals[sector],
                _list(sector=sector),
                number * ROW_HEIGHT,
                segments,
            )
        )
    labels = [str(label) for label in Cause.labels]
    chart = Chart(
        "cause-within-sector",
        gettext("Causes within each sector"),
        gettext(
            "For each sector, how many of its published stories name each cause, one colour "
            "per cause. A story can name more than one cause."
        ),
        gettext("Sector"),
        gettext("Stories"),
        bars=[],
        rows=rows,
        legend=list(zip(labels, CAUSE_COLOURS, strict=True)),
        columns=labels,
    )
    chart.height = max(len(rows), 1) * ROW_HEIGHT
    return chart


def _column_chart(found: dict) -> Chart:
    """A column per month, from the first month with a story to the latest, empty ones too."""
    months = found["months"]
    bars = []
    # Each column's month, for the year marks under January.
    starts: list[datetime.date] = []
    if months:
        month, last = min(months), max(months)
        while month <= last:
            url = _list(month=f"{month:%Y-%m}")
            bars.append(Bar(_month_label(month), months.get(month, 0), url))
            starts.append(month)
            month = (month + datetime.timedelta(days=32)).replace(day=1)
    largest = max((bar.value for bar in bars), default=0) or 1
    step = WIDTH / max(len(bars), 1)
    for number, bar in enumerate(bars):
        bar.height = round(COLUMN_AREA * bar.value / largest, 1)
        bar.width = round(max(step * 0.8, 1), 1)
        bar.x = round(number * step + step * 0.1, 1)
        bar.y = COLUMN_AREA - bar.height
    busiest = max(bars, key=lambda bar: bar.value, default=None)
    description = gettext("How many stories were published each month.")
    if busiest is not None and busiest.value:
        description += " " + gettext(
            "From %(first)s to %(last)s; the most, %(most)s, in %(busiest)s."
        ) % {
            "first": bars[0].label,
            "last": bars[-1].label,
            "most": f"{busiest.value:,}",
            "busiest": busiest.label,
        }
    chart = Chart(
        "by-month",
        gettext("Stories over months"),
        description,
        gettext("Month"),
        gettext("Stories"),
        bars,
    )
    chart.height = COLUMN_AREA + COLUMN_LABEL
    # Year marks under January (and under the first month).
    chart.marks = [
        (bar.x, str(month.year))
        for number, (bar, month) in enumerate(zip(bars, starts, strict=True))
        if number == 0 or month.month == 1
    ]
    return chart
