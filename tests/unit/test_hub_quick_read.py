"""The hub's quick read of a bundle's figures (reports.quick_read) against the long read
(figures_from_data, a whole report): the same figures, the same team report, the same
refusals, and the long way taken for whatever the quick checks cannot take (issue 17)."""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Callable
from typing import Any

import pytest
from sqlite_utils import Database
from tests.factories import TODAY
from tests.unit.test_team_reporting import (
    NOVEMBER,
    YEAR,
    _caseload,
    other_db,
    rate_and_log_community_work,
)

from linkworker.formats.team_report import team_document, worker_rows
from linkworker.reports import caseload_report
from linkworker.reports.combined import (
    BundleFigures,
    FiguresError,
    TeamFigures,
    additive_figures,
    figures_from_data,
)
from linkworker.reports.content import CaseloadReport, OutcomeMonth
from linkworker.reports.episodes import outcome_changes
from linkworker.reports.quick_read import _outcome_changes, _read_at_once, read_figures
from linkworker.store.db import open_store
from linkworker.team.bundle import bundle_payload, read_bundle

__all__ = ["other_db"]  # the second store's fixture, from the team reporting tests


def _data(report: CaseloadReport) -> dict[str, Any]:
    """A report's figures as the hub decodes them from a bundle."""
    decoded: dict[str, Any] = json.loads(bundle_payload(report))
    return decoded


def _plain(figures: BundleFigures) -> tuple[object, ...]:
    """Everything a bundle's figures add to a team, as plain values with their types."""

    def typed(rows: object) -> list[tuple[tuple[object, type], ...]]:
        return [tuple((v, type(v)) for v in row) for row in rows]  # type: ignore[attr-defined]

    more = figures.addends
    return (
        figures.period,
        figures.worker,
        list(more.counts),
        [dict(t) for t in more.tables],
        [dict(h) for h in more.histograms],
        typed(more.connections),
        typed(more.outcome_months),
        typed(more.involvement_months),
        typed(more.measures_recorded),
        {kind: tuple(pair) for kind, pair in more.community.items()},
    )


def _long_way(data: dict[str, Any]) -> BundleFigures:
    return BundleFigures.of_report(figures_from_data(data, TODAY))


@pytest.fixture
def year_report(demo_db: Database) -> CaseloadReport:
    """The demo store's year, with CollaboRATE ratings and community work in it."""
    rate_and_log_community_work(demo_db, 17, YEAR)
    return caseload_report(demo_db, YEAR, TODAY)


def test_the_quick_read_gives_the_long_reads_figures(year_report: CaseloadReport) -> None:
    data = _data(year_report)
    assert _read_at_once(data, frozenset(YEAR.months)) is not None  # read the quick way
    quick = read_figures(data, TODAY)
    assert _plain(quick) == _plain(_long_way(data))
    assert quick.worker.involvement_n == 40 and quick.worker.outcomes
    assert len(list(quick.addends.outcome_months)) > 20


def test_a_team_added_up_either_way_gives_the_same_report(
    db: Database, other_db: Database, tmp_path: Any
) -> None:
    both = open_store(tmp_path / "both.db")
    _caseload(db, both, 17, seed=1)
    _caseload(other_db, both, 12, seed=2)
    both.close()
    reports = [caseload_report(d, NOVEMBER, TODAY) for d in (db, other_db)]
    quick, long = TeamFigures(NOVEMBER, TODAY), TeamFigures(NOVEMBER, TODAY)
    rows_quick, rows_long = [], []
    for name, report in zip(("Ann", "Bea"), reports, strict=True):
        figures = read_figures(_data(report), TODAY)
        quick.add_bundle(figures)
        rows_quick.append(worker_rows(name, figures.worker))
        read_back = read_bundle(bundle_payload(report))
        long.add(read_back)
        rows_long.append(worker_rows(name, read_back))
    assert quick.report() == long.report()
    assert rows_quick == rows_long
    assert team_document(quick.report(), rows_quick) == team_document(long.report(), rows_long)


def _sums_as_whole_numbers(data: dict[str, Any]) -> None:
    for row in data["outcome_months"]:
        row[4], row[5] = int(row[4]), int(row[5])


def _scores_apart(data: dict[str, Any]) -> None:
    rows = data["outcome_months"]
    rows.append(rows.pop(0))  # the first score's first month now comes after the others


def _a_month_rated_twice(data: dict[str, Any]) -> None:
    data["involvement_months"].append(list(data["involvement_months"][0]))


def _a_category_that_is_a_number(data: dict[str, Any]) -> None:
    data["connections_by_category"][0][0] = 7


@pytest.mark.parametrize(
    "change",
    [_sums_as_whole_numbers, _scores_apart, _a_month_rated_twice, _a_category_that_is_a_number],
)
def test_figures_the_quick_checks_cannot_take_are_read_the_long_way(
    year_report: CaseloadReport, change: Callable[[dict[str, Any]], None]
) -> None:
    data = _data(year_report)
    change(data)
    assert _read_at_once(data, frozenset(YEAR.months)) is None
    assert _plain(read_figures(data, TODAY)) == _plain(_long_way(data))


def _refusal(read: Callable[[], object]) -> str:
    with pytest.raises(FiguresError) as caught:
        read()
    return str(caught.value)


def test_a_refusal_reads_the_same_either_way(year_report: CaseloadReport) -> None:
    good = _data(year_report)
    empty = additive_figures(CaseloadReport(period=NOVEMBER, generated_on=TODAY))
    january = ["ons4", "anxiety", "2026-01", 1, 1, 1, 0, 0, 1]
    changes: list[tuple[dict[str, Any], Callable[[dict[str, Any]], None]]] = [
        (good, lambda d: d.update(period={"from": "2026-11-03", "to": "2026-11-30"})),
        (good, lambda d: d.update(period={"from": "2026-11-01"})),
        (good, lambda d: d["counts"].update(accepted=-1)),
        (good, lambda d: d["counts"].update(accepted=True)),
        (good, lambda d: d.pop("tables")),
        (good, lambda d: d["tables"]["sex"].update(female="3")),
        (good, lambda d: d["tables"].update(sex=[1])),
        (good, lambda d: d["tables"].pop("ethnicity")),
        (good, lambda d: d["histograms"]["first_contact_days"].update(x=1)),
        (good, lambda d: d["histograms"]["completed_contacts"].update({"4": -2})),
        (good, lambda d: d["connections_by_category"][0].__setitem__(1, -1)),
        (good, lambda d: d["connections_by_category"].append([1, 2])),
        (good, lambda d: d["outcome_months"][0].__setitem__(1, "nope")),
        (good, lambda d: d["outcome_months"][0].__setitem__(2, "2020-01")),
        (good, lambda d: d["outcome_months"][0].__setitem__(3, 0)),
        (good, lambda d: d["outcome_months"][0].__setitem__(4, "13")),
        (good, lambda d: d["involvement_months"][0].__setitem__(2, 10**6)),
        (good, lambda d: d["involvement_months"][0].__setitem__(0, "2020-01")),
        (good, lambda d: d["measures_recorded"][0].__setitem__(0, "referral")),
        (good, lambda d: d["measures_recorded"][0].__setitem__(2, -1)),
        (good, lambda d: d["community"].pop("outreach")),
        (good, lambda d: d["community"].update(outreach=[1])),
        (empty, lambda d: d.update(outcome_months=[january])),
        (empty, lambda d: d.update(involvement_months=[["2026-11", 3, 1, "20"]])),
    ]  # fmt: skip
    for base, change in changes:
        data = copy.deepcopy(base)
        change(data)
        long = _refusal(lambda: figures_from_data(data, TODAY))  # noqa: B023
        assert _refusal(lambda: read_figures(data, TODAY)) == long, long  # noqa: B023


def test_each_scores_change_is_worked_out_as_outcome_changes_does() -> None:
    rng = random.Random(4)
    scores = [("ons4", "anxiety"), ("ons4", "happiness"), ("swemwbs", "metric"), ("ucla3", "total")]
    for _ in range(50):
        rows: list[list[Any]] = []
        for kind, name in rng.sample(scores, rng.randint(0, len(scores))):
            for month in sorted(rng.sample(NOVEMBER.months + YEAR.months[:5], 3)):
                n = rng.randint(1, 30)
                before, after = (round(rng.uniform(7, 35) * n, 2) for _ in range(2))
                up = rng.randint(0, n)
                down = rng.randint(0, n - up)
                rows.append([kind, name, month, n, before, after, up, down, n - up - down])
        expected = outcome_changes([OutcomeMonth(*row) for row in rows])
        months = frozenset(NOVEMBER.months + YEAR.months[:5])
        assert _outcome_changes(rows, months) == tuple(o for o in expected if o.n)
