"""Disclosure control: how a figure may be shown in a pseudonymised (or identifiable) report.

One :class:`Disclosure` is applied to every cell of a caseload report, in every format and
on the Reports screen, so the rule stated in :data:`DISCLOSURE_RULE` holds everywhere. Every
rounding and suppression decision is made here.

Why the rule is what it is (issue 14): means printed exactly gave back the exact size of the
group they describe, and two reports whose periods differed by one person then gave back
that person's scores. So a mean or median is shown only for a group of at least
:data:`STAT_COHORT` and to one decimal, which leaves the group's exact total unknown (to one
decimal, a mean over 10 or more people fits several totals and several group sizes); the
group's size is only ever shown as a rounded count; and a percentage is worked out from the
rounded counts shown beside it. (A whole-number percentage worked out from the exact counts
gives them back for groups under about a hundred: 13 of 21 is 62%, and of the counts that
round to 15 and 20 only 13 of 21 gives 62%.) Report periods are whole calendar months
(:meth:`~linkworker.reports.period.Period.whole_months`), so two reports cannot differ by a
day.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

#: Counts below this (and above zero) are never shown exactly in a pseudonymised report.
SMALL_NUMBER = 5
#: A mean, median or percentage describes at least this many, or it is not shown.
STAT_COHORT = 10
SUPPRESSED = "<5"
#: A share, mean or median left out because the group behind it is too small to show.
WITHHELD = "suppressed"

DISCLOSURE_RULE = (
    "Disclosure control: a count from 1 to 4 is shown as <5; zero is shown as 0; every other "
    "count, totals and the number of people behind each figure included, is rounded to the "
    "nearest 5, so no total minus the cells shown can give back a suppressed cell and no "
    "group's exact size is printed. A mean or median is shown only when it describes at "
    "least 10, worked out from the exact figures and then rounded to one decimal; an outcome "
    "mean only when, in addition, no month of the period holds from 1 to 9 of its people "
    "(else the period without that month would give those few by difference), and its mean "
    "change is the follow-up mean shown minus the baseline mean shown. A "
    "percentage is shown only when its group is at least 10 and neither the part nor the "
    "rest of the group is from 1 to 4; it is worked out from the rounded counts shown beside "
    "it, to a whole number, so it reveals nothing they do not. Periods are whole calendar "
    "months, so two reports cannot be compared day by day. No names, NHS numbers, dates of "
    "birth or full postcodes."
)
#: What the reports that apply :meth:`Disclosure.total` say besides the rule.
SECONDARY_RULE = (
    "Secondary suppression: a total that would, with the cells it adds up, give back a "
    "suppressed cell (seven cells of <5 beside a total of 5 could each only be 1) is shown "
    "as suppressed."
)
IDENTIFIABLE_NOTICE = (
    "IDENTIFIABLE: this report is not pseudonymised and not suppressed. It lists names, NHS "
    "numbers, dates of birth and full postcodes, and shows exact small numbers. It is "
    "special-category personal data: share it only where a data sharing agreement allows."
)


def round_half_up(value: float, digits: int) -> float:
    """``value`` to ``digits`` decimals, halves away from zero, as a person would round.

    Python's round() works on the binary value (round(2.25, 1) is 2.2); this works on the
    decimal one, so a report rounds the same way a reader checking it by hand does.
    """
    step = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(value)).quantize(step, rounding=ROUND_HALF_UP)) + 0.0


@dataclass(frozen=True)
class Disclosure:
    """How figures may be shown: controlled (default) or exact (identifiable).

    One object is applied to every cell of a report, in every format, so the rule is the
    same everywhere (see :data:`DISCLOSURE_RULE`).
    """

    identifiable: bool = False

    def count(self, n: int) -> int | str:
        """A count as it may be shown: exact, '<5', or rounded to the nearest 5."""
        if self.identifiable or n == 0:
            return n
        if n < SMALL_NUMBER:
            return SUPPRESSED
        return int(n / 5 + 0.5) * 5

    def share(self, part: int, whole: int) -> int | str | None:
        """``part`` of ``whole`` as a whole percentage (None when ``whole`` is 0).

        Controlled, it is computed from the rounded counts (the ones shown), never from the
        exact ones, so that it cannot be combined with them to give back the exact counts.
        """
        if whole == 0:
            return None
        if self.identifiable:
            return int(round_half_up(100 * part / whole, 0))
        if whole < STAT_COHORT or 0 < part < SMALL_NUMBER or 0 < whole - part < SMALL_NUMBER:
            return WITHHELD
        shown_part, shown_whole = self.count(part), self.count(whole)
        if not isinstance(shown_part, int) or not isinstance(shown_whole, int):
            return WITHHELD  # pragma: no cover - a part of 1-4 is withheld above
        return int(round_half_up(100 * shown_part / shown_whole, 0))

    def possible(self, shown: object) -> tuple[int, int] | None:
        """The exact counts (lowest, highest) a shown count can stand for; None when it
        says nothing (withheld, or not a count)."""
        if shown == SUPPRESSED:
            return (1, SMALL_NUMBER - 1)
        if not isinstance(shown, int) or isinstance(shown, bool):
            return None
        if self.identifiable or shown == 0:
            return (shown, shown)
        near = [n for n in range(max(SMALL_NUMBER, shown - 2), shown + 3) if self.count(n) == shown]
        return (min(near), max(near))

    def total(self, n: int, *lines: Sequence[object]) -> int | str:
        """A total of ``n`` beside the shown cells it adds up (one sequence per line it
        totals): rounded as any count, or withheld when with those cells it would pin a
        suppressed cell to one value (secondary suppression: seven cells shown as '<5'
        beside a total shown as 5 could each only be 1)."""
        shown = self.count(n)
        if self.identifiable or not lines:
            return shown
        total = self.possible(shown)
        assert total is not None
        for cells in lines:
            bounds = [self.possible(c) for c in cells]
            if any(b is None for b in bounds):
                continue  # a part that says nothing: the total cannot pin the others
            known = [b for b in bounds if b is not None]
            low, high = sum(b[0] for b in known), sum(b[1] for b in known)
            for cell, (lo, hi) in zip(cells, known, strict=True):
                if cell != SUPPRESSED:
                    continue
                fits = [
                    v
                    for v in range(lo, hi + 1)
                    if v + low - lo <= total[1] and v + high - hi >= total[0]
                ]
                if len(fits) < 2:
                    return WITHHELD
        return shown

    def mean(self, value: float | None, n: int, by_month: Sequence[int] = ()) -> float | str | None:
        """A mean over ``n`` people, ``by_month`` of them in each month of the period.

        Withheld when any month holds from 1 to 9 of them: the report for the period
        without that month would otherwise give the mean of those few by difference.
        """
        if not self.identifiable and any(0 < m < STAT_COHORT for m in by_month):
            return WITHHELD if value is not None and n else None
        return self._statistic(value, n)

    def change(
        self, exact: float | None, baseline: object, follow_up: object
    ) -> float | str | None:
        """The mean change beside two means as shown: exact when identifiable, otherwise the
        follow-up mean shown minus the baseline mean shown.

        A change rounded on its own would tie the two totals together, which with the two
        means narrows the size of the group; the difference of the shown means adds nothing.
        """
        if self.identifiable or exact is None:
            return None if exact is None else round_half_up(exact, 2)
        if isinstance(baseline, float) and isinstance(follow_up, float):
            return round_half_up(follow_up - baseline, 1)
        return WITHHELD

    def median(self, value: float | None, n: int) -> float | str | None:
        """A median over ``n`` people or episodes (None when there is nothing to describe)."""
        return self._statistic(value, n)

    def _statistic(self, value: float | None, n: int) -> float | str | None:
        if value is None or n == 0:
            return None
        if self.identifiable:
            return round_half_up(value, 2)
        if n < STAT_COHORT:
            return WITHHELD
        return round_half_up(value, 1)
