"""Disclosure control: how a figure may be shown in a pseudonymised (or identifiable) report.

One :class:`Disclosure` is applied to every cell of a caseload report, in every format, so
the rule stated in :data:`DISCLOSURE_RULE` holds everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Counts below this (and above zero) are never shown exactly in a pseudonymised report.
SMALL_NUMBER = 5
SUPPRESSED = "<5"
#: A share, mean or median left out because the group behind it is too small to show.
WITHHELD = "suppressed"

DISCLOSURE_RULE = (
    "Small-number suppression: a count from 1 to 4 is shown as <5; zero is shown as 0; every "
    "other count, totals included, is rounded to the nearest 5, so no total minus the cells "
    "shown can give back a suppressed cell. A percentage is worked out from the rounded "
    "counts shown beside it, so it reveals nothing they do not, and is left out when either "
    "count, or the rest of its group, is from 1 to 4. A mean or median is shown only when it "
    "describes at least 5 people. No names, NHS numbers, dates of birth or full postcodes."
)
IDENTIFIABLE_NOTICE = (
    "IDENTIFIABLE: this report is not pseudonymised and not suppressed. It lists names, NHS "
    "numbers, dates of birth and full postcodes, and shows exact small numbers. It is "
    "special-category personal data: share it only where a data sharing agreement allows."
)


@dataclass(frozen=True)
class Disclosure:
    """How figures may be shown: suppressed and rounded (default) or exact (identifiable).

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

        Suppressed, it is computed from the rounded counts (the ones shown), never from the
        exact ones, so that a percentage cannot be combined with a total to back out a cell.
        """
        if whole == 0:
            return None
        if self.identifiable:
            return int(100 * part / whole + 0.5)
        if 0 < whole - part < SMALL_NUMBER:
            return WITHHELD
        shown_part, shown_whole = self.count(part), self.count(whole)
        if not isinstance(shown_part, int) or not isinstance(shown_whole, int):
            return WITHHELD
        return int(100 * shown_part / shown_whole + 0.5)

    def stat(self, value: float | None, n: int, digits: int = 2) -> float | str | None:
        """A mean or median over ``n`` people (None when there is nothing to describe)."""
        if value is None or n == 0:
            return None
        if not self.identifiable and n < SMALL_NUMBER:
            return WITHHELD
        return round(value, digits) + 0.0
