"""What the gap report, the referrer feedback and the "who is reached" report say, as
plain data: their gatherers (:mod:`.gap_report`, :mod:`.referrers`, :mod:`.reach`) fill
these from the store, and the writers in :mod:`linkworker.formats` read them (no database
here, as in :mod:`.content`). Every figure is exact: disclosure control is applied when a
report is laid out. Also the few figures of a worker's report that a team report shows
under By worker (:class:`WorkerFigures`, filled by :mod:`.quick_read`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from linkworker.models import ReferralSource
from linkworker.reports.content import CaseloadReport, OutcomeChange
from linkworker.reports.period import Period

# --- Unmet need and directory gaps -------------------------------------------------------


@dataclass
class GapReport:
    """Unmet needs recorded in one period (exact counts)."""

    period: Period
    generated_on: date
    gaps: int = 0
    people: int = 0
    #: {(area, barrier): gaps}; an area of 'not_known' for a person without a postcode.
    by_area: dict[tuple[str, str], int] = field(default_factory=dict)
    #: {(need, barrier): gaps}.
    by_need: dict[tuple[str, str], int] = field(default_factory=dict)
    #: {(area, need): gaps}.
    need_by_area: dict[tuple[str, str], int] = field(default_factory=dict)


# --- Referrer feedback -------------------------------------------------------------------


@dataclass
class ReferrerFigures:
    """What became of one referrer's referrals received in the period (exact)."""

    key: str
    referrals: int = 0
    accepted: int = 0
    declined: int = 0
    not_reached: int = 0
    #: {reason as typed, folded to lower case and single spaces: declines}; '' for none.
    decline_reasons: dict[str, int] = field(default_factory=dict)
    needs: dict[str, int] = field(default_factory=dict)
    first_contact_days: dict[int, int] = field(default_factory=dict)
    #: The median of first_contact_days (None when no referral was contacted).
    first_contact_median: float | None = None
    #: {category: (connections made, attended)} after the referral, to the period's end.
    connections: dict[str, tuple[int, int]] = field(default_factory=dict)
    goals_set: int = 0
    goals_met: int = 0

    @property
    def first_contact_n(self) -> int:
        """How many of the referrals had a first contact by the end of the period."""
        return sum(self.first_contact_days.values())


@dataclass
class ReferrerReport:
    """Every referrer's figures for one period, busiest first."""

    period: Period
    generated_on: date
    referrers: list[ReferrerFigures] = field(default_factory=list)


def referrer_name(key: str) -> str:
    """A referrer as the summary names it: the organisation, or its source in words."""
    if not key.startswith("source:"):
        return key
    code = key.removeprefix("source:")
    try:
        return f"{ReferralSource(code).label} (no organisation recorded)"
    except ValueError:
        return f"{code} (no organisation recorded)"


# --- Who is reached ----------------------------------------------------------------------


@dataclass
class GroupFigures:
    """The people referred in one group, and what became of their referral (exact)."""

    referred: int = 0
    accepted: int = 0
    declined: int = 0
    not_reached: int = 0


@dataclass
class ReachReport:
    """Who is referred, accepts, declines and is not reached, by group, for one period."""

    period: Period
    generated_on: date
    #: {grouping: {group: figures}} for the groupings of :data:`population.GROUPINGS`.
    groups: dict[str, dict[str, GroupFigures]] = field(default_factory=dict)
    everyone: GroupFigures = field(default_factory=GroupFigures)
    #: The practice population as loaded ({grouping: {group: people}}); empty when none.
    population: dict[str, dict[str, int]] = field(default_factory=dict)
    population_loaded_at: str | None = None


# --- A team report's By worker figures ------------------------------------------------------


class WorkerFigures(NamedTuple):
    """One worker's figures for the By worker tables (exact counts, not yet disclosed).

    A hub reads hundreds of bundles; for each worker it keeps only these, not a whole
    :class:`~.content.CaseloadReport`. The names are the report's own, so the same layout
    functions read either."""

    referrals_received: int
    accepted: int
    active_at_end: int
    contacts_total: int
    discharges: int
    first_contact_n: int
    completed_episodes: int
    completed_within_norm: int
    people_contacted: int
    connections_total: int
    connections_attended: int
    first_contact_days_median: float | None
    completed_contacts_median: float | None
    #: The outcome scores the worker has people for (n above 0), in the report's order.
    outcomes: tuple[OutcomeChange, ...]
    #: How many CollaboRATE ratings the worker's figures hold (their part of the team's).
    involvement_n: int

    @classmethod
    def of(cls, report: CaseloadReport) -> WorkerFigures:
        """The By worker figures of a whole report."""
        return cls._make(
            (
                *(getattr(report, name) for name in WORKER_COUNTS),
                report.first_contact_days_median,
                report.completed_contacts_median,
                tuple(o for o in report.outcomes if o.n),
                report.involvement.n,
            )
        )


#: The fields that are the report's exact counts, in WorkerFigures' order.
WORKER_COUNTS = WorkerFigures._fields[:11]
