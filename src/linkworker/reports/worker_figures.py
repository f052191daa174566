"""The few figures of one worker's report that a team report shows under By worker.

A hub reads hundreds of bundles; for each worker it keeps only these (their headline,
support and outcome figures, exact: disclosure is applied when they are laid out), not a
whole :class:`~linkworker.reports.content.CaseloadReport`. The names are the report's own,
so the same layout functions read either.
"""

from __future__ import annotations

from typing import NamedTuple

from linkworker.reports.content import CaseloadReport, OutcomeChange


class WorkerFigures(NamedTuple):
    """One worker's figures for the By worker tables (exact counts, not yet disclosed)."""

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
