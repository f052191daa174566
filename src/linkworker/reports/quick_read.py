"""Reading a team bundle's figures the quick way, for a hub that reads hundreds.

:func:`read_figures` checks each part of a bundle's :func:`~.combined.additive_figures` at
once (one pass in C a part, as :func:`~.combined.figures_from_data` first tries) and makes
only what the team report uses: the rows the team's figures add up
(:class:`~.combined.BundleFigures`) and the worker's own By worker figures
(:class:`~.shapes.WorkerFigures`), not a whole report with its named tuples. Any
figures that fail a check here are read again by ``figures_from_data``, which accepts and
refuses exactly what it always has and names what is wrong, so the hub's refusals read the
same; the two give the same team report (a test compares them).
"""

from __future__ import annotations

import operator
from collections.abc import Mapping, Sequence
from datetime import date
from itertools import chain, groupby
from typing import Any, NamedTuple, cast

from linkworker import measures
from linkworker.outcomes_due import RECORDED_KEYS
from linkworker.reports.combined import (
    _COMMUNITY_KINDS,
    _FLOAT,
    _SCORES,
    _SUM_TYPES,
    _TEXT,
    _WHOLE,
    COUNTS,
    HISTOGRAMS,
    TABLES,
    BundleFigures,
    _Addends,
    _all_counts,
    _is_rows,
    _period_of,
    _period_texts,
    figures_from_data,
)
from linkworker.reports.content import OUTCOME_SCORES, OutcomeChange
from linkworker.reports.counting import median_of_histogram
from linkworker.reports.shapes import WORKER_COUNTS, WorkerFigures

_COMMUNITY_SET = frozenset(_COMMUNITY_KINDS)
_DICT = frozenset({dict})
_RECORDED = frozenset(RECORDED_KEYS)
#: Each reported score's direction, by (kind, name) as a bundle writes them, in report order.
_HIGHER_IS_BETTER = {
    (kind, name): measures.HIGHER_IS_BETTER[(measures.MeasureKind(kind), name)]
    for kind, name in OUTCOME_SCORES
}
#: A worker's By worker counts, picked from the counts in COUNTS' order.
_worker_counts = operator.itemgetter(*(COUNTS.index(name) for name in WORKER_COUNTS))


def read_figures(data: Mapping[str, object], generated_on: date) -> BundleFigures:
    """A bundle's :func:`additive_figures` read for adding to a team's, each part checked
    at once (a pass in C) and nothing made that the team report does not use: a hub reads
    hundreds. Figures that fail any of these checks are read again by
    :func:`figures_from_data`, which accepts and refuses exactly the same figures and names
    what is wrong, so a refusal reads the same either way."""
    period, months = _period_of(*_period_texts(data.get("period")))
    read = _read_at_once(data, months)
    if read is None:
        return BundleFigures.of_report(figures_from_data(data, generated_on))
    return BundleFigures(period, *read)


def _read_at_once(
    data: Mapping[str, object], months: frozenset[str]
) -> tuple[WorkerFigures, _Addends] | None:
    """The figures checked part by part as :func:`figures_from_data` checks them, or None
    when any check fails (or cannot be made at once)."""
    counts, tables, histograms = data.get("counts"), data.get("tables"), data.get("histograms")
    if not (type(counts) is dict and type(tables) is dict and type(histograms) is dict):
        return None
    # Cast for the type checker: each is checked on the next line, and not used otherwise.
    given = cast(list[int], list(map(counts.get, COUNTS)))
    read_tables = cast(list[dict[str, int]], list(map(tables.get, TABLES)))
    if not (_all_counts(given) and _are_counts_tables(read_tables)):
        return None
    read_histograms = [_histogram_or_none(histograms.get(name)) for name in HISTOGRAMS]
    try:
        rows = _rows_at_once(data, months)
    except TypeError:  # something unhashable where a word should be
        return None
    kept = [h for h in read_histograms if h is not None]
    if rows is None or len(kept) != len(HISTOGRAMS):
        return None
    by_name = dict(zip(HISTOGRAMS, kept, strict=True))
    worker = WorkerFigures._make(
        (
            *_worker_counts(given),
            median_of_histogram(by_name["first_contact_days"]),
            median_of_histogram(by_name["completed_contacts"]),
            rows.outcomes,
            rows.involvement_n,
        )
    )
    addends = _Addends(
        given,
        read_tables,
        kept,
        rows.connections,
        rows.outcome_months,
        rows.involvement_months,
        rows.measures_recorded,
        rows.community,
    )
    return worker, addends


def _are_counts_tables(tables: Sequence[object]) -> bool:
    """Whether every table is {text: count}: one pass over all their keys and one over all
    their counts."""
    return (
        set(map(type, tables)) <= _DICT
        and _all_counts(list(chain.from_iterable(map(dict.values, tables))))  # type: ignore[arg-type]
        and set(map(type, chain.from_iterable(tables))) <= _TEXT  # type: ignore[arg-type]
    )


def _histogram_or_none(table: object) -> dict[int, int] | None:
    if type(table) is not dict or not _all_counts(table.values()):
        return None
    try:
        return {int(k): n for k, n in table.items()}
    except (TypeError, ValueError):
        return None


class _Rows(NamedTuple):
    connections: list[list[Any]]
    outcome_months: list[list[Any]]
    outcomes: tuple[OutcomeChange, ...]
    involvement_months: list[tuple[str, int, int, float]]
    measures_recorded: list[list[Any]]
    involvement_n: int
    community: dict[str, list[int]]


def _rows_at_once(data: Mapping[str, object], months: frozenset[str]) -> _Rows | None:
    """The figures' rows, each part checked at once, or None."""
    connections = data.get("connections_by_category")
    outcome_rows = data.get("outcome_months")
    rated = data.get("involvement_months")
    recorded = data.get("measures_recorded")
    community = data.get("community")
    if not (
        _is_rows(connections, 3)
        and _is_rows(outcome_rows, 9)
        and _is_rows(rated, 4)
        and _is_rows(recorded, 3)
        and type(community) is dict
        and set(community) == _COMMUNITY_SET
    ):
        return None
    categories, n, attended = _columns(connections, 3)
    keys, due, done = _columns(recorded, 3)
    pairs = [community[kind] for kind in _COMMUNITY_KINDS]
    if not (
        set(map(type, categories)) <= _TEXT
        and _all_counts(n + attended + due + done)
        and set(keys) <= _RECORDED
        and _is_rows(pairs, 2)
        and _all_counts([x for pair in pairs for x in pair])
    ):
        return None
    outcomes = _outcome_changes(outcome_rows, months)  # type: ignore[arg-type]
    if outcomes is None:
        return None
    months_rated, rated_n, top, sums = _columns(rated, 4)
    if not (
        set(months_rated) <= months
        and len(set(months_rated)) == len(months_rated)  # one row a month, as involvement_of
        and set(map(type, rated_n + top)) <= _WHOLE
        and min(top, default=0) >= 0
        and all(map(operator.le, top, rated_n))
        and set(map(type, sums)) <= _SUM_TYPES
    ):
        return None
    rated_rows = list(zip(months_rated, rated_n, top, map(float, sums), strict=True))
    return _Rows(
        connections,  # type: ignore[arg-type]
        outcome_rows,  # type: ignore[arg-type]
        outcomes,
        rated_rows,
        recorded,  # type: ignore[arg-type]
        sum(rated_n),
        dict(zip(_COMMUNITY_KINDS, pairs, strict=True)),
    )


def _columns(rows: Any, width: int) -> list[tuple[Any, ...]]:
    """Checked rows' columns (``width`` empty ones for no rows)."""
    return list(zip(*rows, strict=True)) if rows else [()] * width


def _outcome_changes(
    rows: list[list[Any]], months: frozenset[str]
) -> tuple[OutcomeChange, ...] | None:
    """The changes of the scores with people (n above 0), in report order, from outcome
    month rows checked as :func:`~.combined._outcome_months_at_once` checks them (with
    every sum a float, as a bundle writes them), and worked out exactly as
    :func:`~.episodes.outcome_changes` works them out (each score's rows summed in the
    order given); None when a check fails or a score's rows are not together."""
    if not rows:
        return ()
    kinds, names, in_month, n, before, after, up, down, same = _columns(rows, 9)
    runs = [(score, len(list(run))) for score, run in groupby(zip(kinds, names, strict=True))]
    if not (
        {score for score, _ in runs} <= _SCORES
        and len({score for score, _ in runs}) == len(runs)
        and set(in_month) <= months
        and _all_counts(up + down + same)
        and set(map(type, n)) <= _WHOLE
        and min(n) > 0
        and set(map(type, before + after)) <= _FLOAT
    ):
        return None
    changes: dict[tuple[str, str], OutcomeChange] = {}
    start = 0
    for score, length in runs:
        end = start + length
        by_month = n[start:end]
        count, sum_before, sum_after = sum(by_month), sum(before[start:end]), sum(after[start:end])
        more, fewer = sum(up[start:end]), sum(down[start:end])
        better_high = _HIGHER_IS_BETTER[score]
        # tuple.__new__: as OutcomeChange(...) makes it, without its Python-level __new__.
        changes[score] = tuple.__new__(
            OutcomeChange,
            (
                *score,
                better_high,
                count,
                sum_before / count,
                sum_after / count,
                (sum_after - sum_before) / count,
                more if better_high else fewer,
                fewer if better_high else more,
                sum(same[start:end]),
                by_month,
                (),
            ),
        )
        start = end
    return tuple(changes[score] for score in _HIGHER_IS_BETTER if score in changes)
