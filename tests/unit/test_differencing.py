"""The differencing attack on the commissioner report (issue 14, item 1 and its first "Done when").

The attack, as the issue found it: means were printed exactly to two decimals, so the one
group size n for which every mean times n is a whole number gave back each report's exact
cohort; two reports whose periods differed by one day (one more person's follow-up) then gave
that person's score as n2 * mean2 - n1 * mean1, for every ONS4 item and UCLA-3, at baseline
and at follow-up.

These tests play it against reports made the way a commissioner gets them (through
``caseload_report`` and ``caseload_document``, every cell as shown), with an attacker who
knows the rule (:class:`~linkworker.reports.disclosure.Disclosure` itself) and the range of
each score, and tries every cohort size and every whole-number total that could have given
the cells shown. It asserts that nothing exact comes back: each report's cohort fits several
sizes, and the statistics never narrow them further than the rounded counts do; and the
person who entered fits several scores for each item, at baseline and at follow-up.

What the rounding of counts cannot hide (and the issue keeps counts as they are): an
attacker who knows that exactly one person entered learns the cohort's size when that
person moves a rounded count across a step of 5 (22 shown as 20, 23 as 25). The tests assert
that even then the statistics add nothing and the person's scores stay unknown.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from linkworker import outcomes, reports
from linkworker.demo import write_demo
from linkworker.formats.caseload_report import Cell, ReportDocument, caseload_document
from linkworker.reports import OUTCOME_SCORES, Disclosure, Period
from linkworker.reports.disclosure import STAT_COHORT
from linkworker.store.db import Database, open_store
from tests.factories import CLOCK, TODAY, add_person_with_referral

RULE = Disclosure()
ONS4_ITEMS = ("life_satisfaction", "worthwhile", "happiness", "anxiety")
#: The whole-number scores an attacker can try one by one: (kind, name) -> (lowest, highest).
WHOLE_SCORES: dict[tuple[str, str], tuple[int, int]] = {
    **{("ons4", name): (0, 10) for name in ONS4_ITEMS},
    ("ucla3", "total"): (3, 9),
    ("ons_loneliness", "lonely"): (1, 5),
}


@dataclass(frozen=True)
class Shown:
    """One score's row of the outcome table, as printed."""

    people: Cell
    baseline: Cell
    follow_up: Cell
    change: Cell

    @property
    def has_means(self) -> bool:
        return isinstance(self.baseline, float)


def outcome_rows(doc: ReportDocument) -> dict[tuple[str, str], Shown]:
    """The outcome table as printed, by score (its rows are in OUTCOME_SCORES order)."""
    rows = doc.table("outcome_change").rows
    return {key: Shown(r[2], r[3], r[4], r[5]) for key, r in zip(OUTCOME_SCORES, rows, strict=True)}


def sizes_from_count(people: Cell) -> list[int]:
    """Every cohort size the rounded count allows, given that means are shown (n >= 10)."""
    if not isinstance(people, int):
        return []
    near = range(max(STAT_COHORT, people - 5), people + 6)
    return [n for n in near if RULE.count(n) == people]


def totals(mean: Cell, n: int, low: int, high: int) -> list[int]:
    """Every whole-number total of n scores in [low, high] whose mean is shown as ``mean``."""
    assert isinstance(mean, float)
    near = range(math.floor((mean - 0.06) * n), math.ceil((mean + 0.06) * n) + 1)
    return [s for s in near if low * n <= s <= high * n and RULE.mean(s / n, n) == mean]


def sum_pairs(shown: Shown, n: int, low: int, high: int) -> list[tuple[int, int]]:
    """(baseline total, follow-up total) pairs over n people that give all three means."""
    return [
        (b, f)
        for b in totals(shown.baseline, n, low, high)
        for f in totals(shown.follow_up, n, low, high)
        if RULE.mean((f - b) / n, n) == shown.change
    ]


def sizes_from_statistics(shown: Shown, low: int, high: int) -> list[int]:
    """The cohort sizes that fit the rounded count and every mean of the row."""
    return [n for n in sizes_from_count(shown.people) if sum_pairs(shown, n, low, high)]


def one_person_entered(
    first: Shown, second: Shown, low: int, high: int
) -> tuple[set[int], set[int], set[int]]:
    """The attack on two reports whose cohorts differ by one person entering.

    Returns the first cohort's possible sizes, and the entering person's possible baseline
    and follow-up scores, trying every size and every total the cells allow.
    """
    sizes: set[int] = set()
    baselines: set[int] = set()
    follow_ups: set[int] = set()
    second_sizes = set(sizes_from_count(second.people))
    for n in sizes_from_count(first.people):
        if n + 1 not in second_sizes:
            continue
        before, after = sum_pairs(first, n, low, high), sum_pairs(second, n + 1, low, high)
        for b1, f1 in before:
            for b2, f2 in after:
                if low <= b2 - b1 <= high and low <= f2 - f1 <= high:
                    sizes.add(n)
                    baselines.add(b2 - b1)
                    follow_ups.add(f2 - f1)
    return sizes, baselines, follow_ups


def assert_each_report_hides_its_cohort(doc: ReportDocument) -> None:
    """Each score's cohort fits several sizes, whatever its count and means are."""
    for key, shown in outcome_rows(doc).items():
        if key not in WHOLE_SCORES or not shown.has_means:
            continue
        low, high = WHOLE_SCORES[key]
        sizes = sizes_from_statistics(shown, low, high)
        assert len(sizes) >= 2, (key, sizes)


def assert_the_entering_person_is_hidden(first: ReportDocument, second: ReportDocument) -> int:
    """No score of the person who entered comes back; returns how many scores were tried."""
    tried = 0
    before, after = outcome_rows(first), outcome_rows(second)
    for key, (low, high) in WHOLE_SCORES.items():
        if not (before[key].has_means and after[key].has_means):
            continue
        sizes, baselines, follow_ups = one_person_entered(before[key], after[key], low, high)
        from_counts = [
            n
            for n in sizes_from_count(before[key].people)
            if n + 1 in sizes_from_count(after[key].people)
        ]
        # Several sizes fit, unless the one person moved a rounded count across a step of 5
        # (then the counts alone pin it: the limit of rounding counts, in the docstring).
        assert len(sizes) >= 2 or len(from_counts) == 1, (key, sizes)
        if sizes:  # one person entering fits these reports: their scores stay unknown
            assert len(baselines) >= 2 and len(follow_ups) >= 2, (key, baselines, follow_ups)
            tried += 1
    return tried


# --- the attack from the issue -----------------------------------------------------------

SEPTEMBER = Period(date(2026, 9, 1), date(2026, 9, 30))
SEPTEMBER_AND_OCTOBER = Period(date(2026, 9, 1), date(2026, 10, 31))


def _answers(rng: random.Random, lift: int) -> tuple[dict[str, int], dict[str, int]]:
    ons4 = {
        name: min(10, max(0, rng.randint(2, 7) + lift))
        for name in ("life_satisfaction", "worthwhile", "happiness")
    }
    ons4["anxiety"] = min(10, max(0, rng.randint(3, 8) - lift))
    ucla3 = {item: rng.randint(1, 3) for item in ("companionship", "left_out", "isolated")}
    return ons4, ucla3


def _person_with_scores(db: Database, rng: random.Random, follow_up_on: date) -> None:
    person_id, referral_id = add_person_with_referral(db, status="accepted")
    for stage, day, lift in (("baseline", date(2026, 6, 1), 0), ("follow_up", follow_up_on, 2)):
        ons4, ucla3 = _answers(rng, lift)
        for kind, answers in (("ons4", ons4), ("ucla3", ucla3)):
            outcomes.record_measure(db, person_id, kind, stage, day, answers, CLOCK, referral_id)


@pytest.mark.parametrize("cohort", [23, 22], ids=["within-a-step", "across-a-step"])
def test_one_person_entering_gives_back_nothing_exact(db: Database, cohort: int) -> None:
    """The issue's attack: a cohort whose follow-ups fell in September, and one more person
    whose follow-up fell in October; the reports for September and for September to October
    differ by that one person. Neither report's cohort size, nor any of that person's ONS4
    or UCLA-3 scores, at baseline or follow-up, can be worked out from what is printed.

    With 22, the person moves the rounded count from 20 to 25, which on its own says the
    cohort was 22 (see the module's docstring): their scores must stay unknown even so.
    """
    rng = random.Random(14)
    for day in range(cohort):
        _person_with_scores(db, rng, date(2026, 9, 1 + day % 28))
    _person_with_scores(db, rng, date(2026, 10, 5))
    first, second = (
        caseload_document(reports.caseload_report(db, period, TODAY))
        for period in (SEPTEMBER, SEPTEMBER_AND_OCTOBER)
    )
    assert_each_report_hides_its_cohort(first)
    assert_each_report_hides_its_cohort(second)
    assert assert_the_entering_person_is_hidden(first, second) == 5  # 4 ONS4 items, UCLA-3


def test_exact_means_would_have_given_it_all_back() -> None:
    """The same attacker on what reports used to print (means to two decimals, counts
    rounded): it finds the exact cohort sizes and the entering person's score, so the test
    above is a real test of the rule."""
    rng = random.Random(3)
    scores = [rng.randint(0, 10) for _ in range(23)]
    entering = 7

    def two_decimals(total: int, n: int) -> float:
        return round(total / n, 2)

    shown = [two_decimals(sum(s), len(s)) for s in (scores, [*scores, entering])]
    candidates = {
        (n, t2 - t1)
        for n in sizes_from_count(25)
        if n + 1 in sizes_from_count(25)
        for t1 in range(0, 10 * n + 1)
        if two_decimals(t1, n) == shown[0]
        for t2 in range(t1, t1 + 11)
        if two_decimals(t2, n + 1) == shown[1]
    }
    assert candidates == {(23, entering)}


# --- the same over every pair of consecutive months of a 10,000-person store ---------------


@pytest.fixture(scope="module")
def big_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """The 10,000-person demo store, built once for this module (about 40 s on one core:
    the demo's bulk writer makes about 200,000 rows); the pairs below take about 5 s more."""
    path: Path = tmp_path_factory.mktemp("big-demo") / "demo.db"
    database = open_store(path)
    write_demo(database, people=10_000, seed=7, today=TODAY)
    yield database
    database.close()


def _months(first: date, last: date) -> list[Period]:
    out: list[Period] = []
    day = first
    while day <= last:
        out.append(Period(day, day).whole_months())
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return out


@pytest.mark.slow
def test_no_pair_of_consecutive_months_gives_back_anything_exact(big_demo: Database) -> None:
    """For every month M of the demo store, the reports for M and for M with the month
    after it (the finest two whole-month periods can differ): neither gives back its exact
    cohort size, and wherever the second could hold just one more person, that person's
    scores stay unknown."""
    span = big_demo.execute(
        "SELECT min(taken_on), max(taken_on) FROM measures WHERE stage = 'follow_up'"
    ).fetchone()
    months = _months(date.fromisoformat(span[0]), date.fromisoformat(span[1]))
    assert len(months) >= 12
    checked = 0
    for month, following in zip(months, months[1:], strict=False):
        first = caseload_document(reports.caseload_report(big_demo, month, TODAY))
        both = Period(month.start, following.end)
        second = caseload_document(reports.caseload_report(big_demo, both, TODAY))
        assert_each_report_hides_its_cohort(first)
        assert_each_report_hides_its_cohort(second)
        assert_the_entering_person_is_hidden(first, second)
        checked += 1
    assert checked == len(months) - 1
