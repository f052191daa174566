"""A caseload report's figures in a form that adds up across workers, and adding them up.

A worker's team bundle carries :func:`additive_figures` of their report: the exact counts
(no disclosure control yet: that is applied once, to the combined figures), the histograms
the medians are taken from, each outcome score's sums month by month, CollaboRATE's n,
top scores and sum of means month by month, the measures due and recorded, and community
work's sessions and minutes by kind, but no record of any one person.
:func:`figures_from_data` reads them back (a hub reads them with
:func:`~.quick_read.read_figures`, which makes no whole report) and :class:`TeamFigures` adds
them up, bundle by bundle; the medians and means are then worked out from the sums exactly
as one worker's report works out its own (:func:`~.counting.median_of_histogram`,
:func:`~.episodes.outcome_changes`), so one worker's figures combined alone are that
worker's report.
"""

from __future__ import annotations

import dataclasses
import functools
import operator
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date
from itertools import repeat
from typing import Any, NamedTuple

from linkworker.models.care import CommunityKind
from linkworker.outcomes_due import RECORDED_KEYS
from linkworker.reports.content import (
    OUTCOME_SCORES,
    CaseloadReport,
    CategoryConnections,
    InvolvementMonth,
    MeasuresRecorded,
    OutcomeMonth,
    involvement_of,
)
from linkworker.reports.counting import median_of_histogram
from linkworker.reports.episodes import outcome_changes
from linkworker.reports.period import Period
from linkworker.reports.shapes import WorkerFigures

_FIELDS = dataclasses.fields(CaseloadReport)
#: The report's exact counts, carried as they are.
COUNTS = tuple(f.name for f in _FIELDS if f.type == "int")
#: {key: count} tables (by month, source, need, age band...), carried as they are.
TABLES = tuple(f.name for f in _FIELDS if f.type == "dict[str, int]")
#: {value: how many} histograms, carried so that the combined median is the true median.
HISTOGRAMS = tuple(f.name for f in _FIELDS if f.type == "dict[int, int]")
#: Worked out again from what is carried, never carried themselves.
DERIVED = (
    "contacts_per_person_median",
    "first_contact_days_median",
    "completed_contacts_median",
    "outcomes",
    "involvement",
)
#: Never in a bundle: the identifiable list of episodes (names, NHS numbers, dates).
NEVER = ("episodes",)
#: Tables ordered by their counts, largest first (the report's own SQL order).
_BY_COUNT = (
    "referrals_by_source",
    "referrals_by_need",
    "discharges_by_reason",
    "sex",
    "ethnicity",
)
_SCORES = frozenset(OUTCOME_SCORES)
#: A report's exact counts as one tuple, in COUNTS' order (one call in C a bundle).
_counts_of = operator.attrgetter(*COUNTS)
_SUM_TYPES = frozenset({int, float})  # by type(), so that True is no sum
_WHOLE = frozenset({int})
_FLOAT = frozenset({float})
_TEXT = frozenset({str})
_LIST = frozenset({list})
_COMMUNITY_KINDS = tuple(k.value for k in CommunityKind)


class FiguresError(ValueError):
    """A bundle's figures that cannot be read, with the one-line reason."""


def additive_figures(report: CaseloadReport) -> dict[str, Any]:
    """The report's figures as plain data that adds up across workers (no person in it)."""
    return {
        "period": {"from": report.period.start.isoformat(), "to": report.period.end.isoformat()},
        "counts": {name: getattr(report, name) for name in COUNTS},
        "tables": {name: dict(getattr(report, name)) for name in TABLES},
        "histograms": {
            name: {str(v): n for v, n in sorted(getattr(report, name).items())}
            for name in HISTOGRAMS
        },
        "connections_by_category": [
            [c.category, c.connections, c.attended] for c in report.connections_by_category
        ],
        "outcome_months": [
            [m.kind, m.name, m.month, m.n, m.sum_baseline, m.sum_follow_up, m.up, m.down, m.same]
            for m in report.outcome_months
        ],
        "involvement_months": [
            [m.month, m.n, m.top_score, m.sum_of_means] for m in report.involvement_months
        ],
        "measures_recorded": [[r.key, r.due, r.recorded] for r in report.measures_recorded],
        "community": {kind: [n, minutes] for kind, (n, minutes) in report.community.items()},
    }


def _count(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise FiguresError(f"{where} is not a count ({value!r})")
    return value


def _mapping(value: object, where: str) -> Mapping[str, object]:
    if not isinstance(value, dict):
        raise FiguresError(f"{where} is missing")
    return value


def _all_counts(values: Collection[object]) -> bool:
    """Whether every value is a count: a whole number (True is none), not negative. One pass
    in C over the types: a hub checks hundreds of bundles; the bad one is named after."""
    return set(map(type, values)) <= _WHOLE and min(values, default=0) >= 0  # type: ignore[type-var,operator]


def _counts_table(value: object, where: str) -> dict[str, int]:
    table = _mapping(value, where)
    if _all_counts(table.values()) and set(map(type, table)) <= _TEXT:
        return dict(table)  # type: ignore[arg-type]
    k, n = next((k, n) for k, n in table.items() if not _is_count(n))
    raise FiguresError(f"{where}[{k}] is not a count ({n!r})")


def _histogram(value: object, where: str) -> dict[int, int]:
    table = _mapping(value, where)
    try:
        if _all_counts(table.values()):
            return {int(k): n for k, n in table.items()}  # type: ignore[misc]
    except ValueError:
        k = next(k for k in table if not _is_whole_text(k))
        raise FiguresError(f"{where} has a value that is not a whole number ({k!r})") from None
    k, n = next((k, n) for k, n in table.items() if not _is_count(n))
    raise FiguresError(f"{where}[{k}] is not a count ({n!r})")


def _is_whole_text(text: object) -> bool:
    try:
        int(text)  # type: ignore[call-overload]
    except ValueError:
        return False
    return True


def _period(value: object) -> Period:
    return _period_of(*_period_texts(value))[0]


def _period_texts(value: object) -> tuple[str, str]:
    given = _mapping(value, "period")
    try:
        return str(given["from"]), str(given["to"])
    except KeyError:
        raise FiguresError("the period is not two dates") from None


@functools.lru_cache(maxsize=16)
def _period_of(start: str, end: str) -> tuple[Period, frozenset[str]]:
    """The period from its two dates, and its months: read once for every bundle of a
    team's period (a Period is frozen, so one serves them all)."""
    try:
        period = Period(date.fromisoformat(start), date.fromisoformat(end))
    except ValueError:
        raise FiguresError("the period is not two dates") from None
    if not period.is_whole_months:
        raise FiguresError("the period is not whole calendar months")
    return period, frozenset(period.months)


def _is_rows(value: object, width: int) -> bool:
    return (
        isinstance(value, list)
        and set(map(type, value)) <= _LIST
        and set(map(len, value)) <= {width}
    )


def _rows(value: object, where: str, width: int) -> list[list[object]]:
    if not _is_rows(value, width):
        raise FiguresError(f"{where} is not a list of rows of {width}")
    return value  # type: ignore[return-value]


def _is_count(value: object) -> bool:
    return type(value) is int and value >= 0  # type(), not isinstance: True is no count


def _outcome_months(value: object, months: frozenset[str]) -> list[OutcomeMonth]:
    """The outcome_months rows, checked. A hub reads some 70 of them from each of hundreds
    of bundles, so they are first checked column by column (each check one pass in C);
    only when that fails are they read row by row, to name the row that is wrong."""
    rows = _rows(value, "outcome_months", 9)
    try:
        at_once = _outcome_months_at_once(rows, months)
    except TypeError:  # something unhashable where a word should be
        at_once = None
    if at_once is not None:
        return at_once
    return [_outcome_month(row, months) for row in rows]


def _outcome_months_at_once(
    rows: list[list[object]], months: frozenset[str]
) -> list[OutcomeMonth] | None:
    if not rows:
        return []
    kinds, names, in_month, n, before, after, up, down, same = zip(*rows, strict=True)
    if not (
        set(zip(kinds, names, strict=True)) <= _SCORES
        and set(in_month) <= months
        and _all_counts(up + down + same)
        and _all_counts(n)
        and min(n) > 0
        and set(map(type, before + after)) <= _SUM_TYPES
    ):
        return None
    if not set(map(type, before + after)) <= _FLOAT:  # whole-number sums are made floats
        sums = tuple(map(float, before)), tuple(map(float, after))
        rows = list(zip(kinds, names, in_month, n, *sums, up, down, same, strict=True))  # type: ignore[arg-type]
    return list(map(tuple.__new__, repeat(OutcomeMonth), rows))


def _outcome_month(row: list[object], months: frozenset[str]) -> OutcomeMonth:
    kind, name, month, n, before, after, up, down, same = row
    if not (isinstance(kind, str) and isinstance(name, str) and (kind, name) in _SCORES):
        raise FiguresError(f"outcome_months names a score that is not reported ({kind} {name})")
    if not (isinstance(month, str) and month in months):
        raise FiguresError(f"outcome_months has a month outside the period ({month})")
    if not (_all_counts((n, up, down, same)) and n):
        raise FiguresError(f"outcome_months {kind} {name} {month} has a count that is not one")
    if type(before) not in _SUM_TYPES or type(after) not in _SUM_TYPES:
        raise FiguresError(f"outcome_months {kind} {name} {month} has a sum that is not one")
    return OutcomeMonth(kind, name, month, n, float(before), float(after), up, down, same)  # type: ignore[arg-type]


def _connections(value: object) -> list[CategoryConnections]:
    rows = _rows(value, "connections_by_category", 3)
    categories, n, attended = zip(*rows, strict=True) if rows else ((), (), ())
    if not _all_counts(n + attended):
        for category, *counts in rows:
            _count(counts[0], f"connections_by_category {category}")
            _count(counts[1], f"connections_by_category {category}")
    return list(map(CategoryConnections, map(str, categories), n, attended))


def figures_from_data(data: Mapping[str, object], generated_on: date) -> CaseloadReport:
    """Read back :func:`additive_figures` as a report (medians and means worked out again);
    FiguresError names what is wrong."""
    report = CaseloadReport(period=_period(data.get("period")), generated_on=generated_on)
    counts = _mapping(data.get("counts"), "counts")
    tables = _mapping(data.get("tables"), "tables")
    histograms = _mapping(data.get("histograms"), "histograms")
    given = [counts.get(name) for name in COUNTS]
    if not _all_counts(given):
        for name in COUNTS:
            _count(counts.get(name), f"counts.{name}")  # names the first that is not a count
    for name, n in zip(COUNTS, given, strict=True):
        setattr(report, name, n)
    for name in TABLES:
        setattr(report, name, _counts_table(tables.get(name), f"tables.{name}"))
    for name in HISTOGRAMS:
        setattr(report, name, _histogram(histograms.get(name), f"histograms.{name}"))
    report.connections_by_category = _connections(data.get("connections_by_category"))
    months = frozenset(report.period.months)
    report.outcome_months = _outcome_months(data.get("outcome_months"), months)
    _read_involvement_and_community(data, report, months)
    return work_out(report)


def _read_involvement_and_community(
    data: Mapping[str, object], report: CaseloadReport, months: frozenset[str]
) -> None:
    """CollaboRATE month by month, the measures due and recorded, and community work."""
    for month, n, top, total in _rows(data.get("involvement_months"), "involvement_months", 4):
        if month not in months:
            raise FiguresError(f"involvement_months has a month outside the period ({month})")
        where = f"involvement_months {month}"
        if type(n) is not int or type(top) is not int or not 0 <= top <= n:
            raise FiguresError(f"{where} has a count that is not one, or more top scores than n")
        if isinstance(total, bool) or not isinstance(total, (int, float)):
            raise FiguresError(f"{where} has a sum that is not one")
        report.involvement_months.append(InvolvementMonth(str(month), n, top, float(total)))
    for key, due, recorded in _rows(data.get("measures_recorded"), "measures_recorded", 3):
        if key not in RECORDED_KEYS:
            raise FiguresError(f"measures_recorded names a measure that is not reported ({key})")
        where = f"measures_recorded {key}"
        report.measures_recorded.append(
            MeasuresRecorded(str(key), _count(due, where), _count(recorded, where))
        )
    community = _mapping(data.get("community"), "community")
    if set(community) != set(_COMMUNITY_KINDS):
        raise FiguresError("community does not list every kind of community work")
    for kind in _COMMUNITY_KINDS:
        pair = _rows([community[kind]], f"community.{kind}", 2)[0]
        where = f"community.{kind}"
        report.community[kind] = (_count(pair[0], where), _count(pair[1], where))


def work_out(report: CaseloadReport) -> CaseloadReport:
    """Fill in the medians and the outcome changes from the histograms and the sums."""
    report.contacts_per_person_median = median_of_histogram(report.contacts_per_person)
    report.first_contact_days_median = median_of_histogram(report.first_contact_days)
    report.completed_contacts_median = median_of_histogram(report.completed_contacts)
    report.outcomes = outcome_changes(report.outcome_months)
    report.involvement = involvement_of(report.involvement_months, report.period.months)
    return report


class _Addends(NamedTuple):
    """One worker's figures as they are added to a team's: counts in COUNTS' order, the
    tables and histograms in TABLES' and HISTOGRAMS' order, and rows of plain values."""

    counts: Sequence[int]
    tables: Sequence[Mapping[str, int]]
    histograms: Sequence[Mapping[int, int]]
    connections: Iterable[Sequence[Any]]  # (category, connections, attended)
    outcome_months: Iterable[Sequence[Any]]  # an OutcomeMonth's nine values
    involvement_months: Iterable[Sequence[Any]]  # (month, n, top score, sum of means)
    measures_recorded: Iterable[Sequence[Any]]  # (key, due, recorded)
    community: Mapping[str, Sequence[int]]  # kind: (sessions, minutes), every kind in order


class BundleFigures(NamedTuple):
    """One worker's figures, checked, as a team adds them: its period, what its By worker
    cells show, and what is added to the team's (no :class:`CaseloadReport` is made)."""

    period: Period
    worker: WorkerFigures
    addends: _Addends

    @classmethod
    def of_report(cls, report: CaseloadReport) -> BundleFigures:
        """A whole report's figures, to be added as a bundle's are."""
        addends = _Addends(
            _counts_of(report),
            [getattr(report, name) for name in TABLES],
            [getattr(report, name) for name in HISTOGRAMS],
            [(c.category, c.connections, c.attended) for c in report.connections_by_category],
            report.outcome_months,
            [(m.month, m.n, m.top_score, m.sum_of_means) for m in report.involvement_months],
            [(r.key, r.due, r.recorded) for r in report.measures_recorded],
            report.community,
        )
        return cls(report.period, WorkerFigures.of(report), addends)


def _add(into: dict[Any, int], more: Mapping[Any, int]) -> None:
    for key, n in more.items():
        into[key] = into.get(key, 0) + n


class TeamFigures:
    """Workers' figures for one period, added up one report at a time (none of them kept).

    Each worker's part of every outcome score is kept (a few numbers a worker), so that a
    team mean can be withheld when one worker's part of it is small.
    """

    def __init__(self, period: Period, generated_on: date) -> None:
        self.total = CaseloadReport(period=period, generated_on=generated_on)
        self.workers = 0
        self._counts = [0] * len(COUNTS)  # in COUNTS' order, set on the report at the end
        self._categories: dict[str, list[int]] = {}
        self._months: dict[tuple[str, str, str], list[float]] = {}
        self._parts: dict[tuple[str, str], list[int]] = {key: [] for key in OUTCOME_SCORES}
        self._rated: dict[str, list[float]] = {}  # month -> [n, top score, sum of means]
        self._rated_parts: list[int] = []
        self._recorded: dict[str, list[int]] = {}  # measure -> [due, recorded]
        self._community: dict[str, list[int]] = {k: [0, 0] for k in _COMMUNITY_KINDS}

    def add(self, report: CaseloadReport) -> None:
        """Add one worker's figures (for the same period)."""
        self.add_bundle(BundleFigures.of_report(report))

    def add_bundle(self, figures: BundleFigures) -> None:
        """Add one worker's figures as :func:`read_figures` read them (same period)."""
        if figures.period != self.total.period:
            raise FiguresError("the figures are for another period")
        total, more = self.total, figures.addends
        self.workers += 1
        self._counts = list(map(operator.add, self._counts, more.counts))
        for name, table in zip(TABLES, more.tables, strict=True):
            _add(getattr(total, name), table)
        for name, histogram in zip(HISTOGRAMS, more.histograms, strict=True):
            _add(getattr(total, name), histogram)
        categories = self._categories
        for category, n, attended in more.connections:
            kept = categories.get(category)
            if kept is None:
                categories[category] = [n, attended]
                continue
            kept[0] += n
            kept[1] += attended
        months = self._months
        for kind, name, month, n, before, after, up, down, same in more.outcome_months:
            sums = months.get((kind, name, month))
            if sums is None:
                months[(kind, name, month)] = [n, before, after, up, down, same]
                continue
            sums[0] += n
            sums[1] += before
            sums[2] += after
            sums[3] += up
            sums[4] += down
            sums[5] += same
        for o in figures.worker.outcomes:
            self._parts[(o.kind, o.name)].append(o.n)
        self._add_involvement_and_community(figures)

    def _add_involvement_and_community(self, figures: BundleFigures) -> None:
        more = figures.addends
        for month, n, top, sum_of_means in more.involvement_months:
            sums = self._rated.setdefault(month, [0, 0, 0.0])
            sums[0] += n
            sums[1] += top
            sums[2] += sum_of_means
        if figures.worker.involvement_n:
            self._rated_parts.append(figures.worker.involvement_n)
        for key, due, recorded in more.measures_recorded:
            kept = self._recorded.setdefault(key, [0, 0])
            kept[0] += due
            kept[1] += recorded
        for kind, (n, minutes) in more.community.items():
            self._community[kind][0] += n
            self._community[kind][1] += minutes

    def report(self) -> CaseloadReport:
        """The team's figures as one report: counts added up, medians of the added-up
        histograms, means of the added-up sums, each outcome with every worker's part."""
        total = dataclasses.replace(self.total)
        for name, n in zip(COUNTS, self._counts, strict=True):
            setattr(total, name, n)
        for name in _BY_COUNT:
            setattr(total, name, _largest_first(getattr(total, name)))
        total.referrals_by_month = {
            m: total.referrals_by_month.get(m, 0) for m in total.period.months
        }
        total.outward_codes = dict(sorted(total.outward_codes.items()))
        total.connections_by_category = [
            CategoryConnections(category, n, attended)
            for category, (n, attended) in _largest_first_pairs(self._categories)
        ]
        total.outcome_months = [
            OutcomeMonth(kind, name, month, int(s[0]), s[1], s[2], int(s[3]), int(s[4]), int(s[5]))
            for (kind, name, month), s in sorted(self._months.items())
        ]
        total.involvement_months = [
            InvolvementMonth(month, int(s[0]), int(s[1]), s[2])
            for month, s in sorted(self._rated.items())
        ]
        total.measures_recorded = [
            MeasuresRecorded(key, *self._recorded[key])
            for key in RECORDED_KEYS
            if key in self._recorded
        ]
        total.community = {kind: (n, minutes) for kind, (n, minutes) in self._community.items()}
        work_out(total)
        total.outcomes = [
            o._replace(by_worker=tuple(self._parts[(o.kind, o.name)]))
            for o in total.outcomes
        ]
        total.involvement = dataclasses.replace(
            total.involvement, by_worker=tuple(self._rated_parts)
        )
        return total


def _largest_first(counts: dict[str, int]) -> dict[str, int]:
    # Stable: equal counts keep the order first met (one worker's own order when alone).
    return dict(sorted(counts.items(), key=lambda kv: -kv[1]))


def _largest_first_pairs(pairs: dict[str, list[int]]) -> Iterable[tuple[str, list[int]]]:
    return sorted(pairs.items(), key=lambda kv: -kv[1][0])
