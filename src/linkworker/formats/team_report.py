"""A team's commissioner report: the caseload report of the combined figures, then a
"By worker" group with each worker's headline, support and outcome figures.

Every cell comes from :func:`~linkworker.formats.caseload_report.caseload_document`, the
team's cells from the combined figures and each worker's from that worker's own (so one
rule, :class:`~linkworker.reports.disclosure.Disclosure`, decides every cell, and a
worker's row shows what their own report shows). The files are then written by
:mod:`linkworker.formats.report_files`, like any caseload report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import repeat

from linkworker.formats.caseload_report import caseload_document, headline, outcome_row
from linkworker.formats.report_document import Cell, ReportDocument, ReportTable
from linkworker.norms import CONTACT_NORM
from linkworker.reports.content import CaseloadReport
from linkworker.reports.disclosure import Disclosure
from linkworker.reports.shapes import WorkerFigures

TEAM_REPORT_TITLE = "Social prescribing team caseload report"
BY_WORKER = "By worker"
ALL_WORKERS = "All workers"
#: One rule for every worker's cells (it holds no state).
_DISCLOSURE = Disclosure()


def team_notice(workers: int) -> str:
    """What a team report says about where its figures come from."""
    bundles = "1 worker's bundle" if workers == 1 else f"{workers} workers' bundles"
    return (
        f"Team report: the exact figures of {bundles} for this period (each signed by its "
        "worker and checked) added up, and then disclosure control applied to the team's "
        "figures, and to each worker's own under By worker. A team's mean (of an outcome "
        "score, or of involvement) is also withheld when any one worker's part of its group "
        "is from 1 to 9, as for a month, "
        "else the team's report without that worker's bundle would give those few by "
        "difference. Workers are named as the hub keeps their keys."
    )


@dataclass(frozen=True)
class WorkerRows:
    """One worker's cells for the By worker tables (already disclosed: no exact counts)."""

    name: str
    headline: list[Cell]
    support: list[Cell]
    outcomes: list[list[Cell]]


def support_cells(report: CaseloadReport | WorkerFigures, d: Disclosure) -> list[Cell]:
    """Episodes ended, their median contacts and share within the norm, people contacted,
    activity connections and the share attended: the cells of the report's own tables."""
    ended = report.completed_episodes
    return [
        d.count(ended),
        d.median(report.completed_contacts_median, ended),
        d.share(report.completed_within_norm, ended),
        d.count(report.people_contacted),
        d.count(report.connections_total),
        d.share(report.connections_attended, report.connections_total),
    ]


def worker_rows(name: str, report: CaseloadReport | WorkerFigures) -> WorkerRows:
    """A worker's cells for the By worker tables, as their own report shows them (the same
    functions lay them out, one cell at a time: a hub does this for hundreds of workers)."""
    figures = WorkerFigures.of(report) if isinstance(report, CaseloadReport) else report
    d = _DISCLOSURE
    outcomes = [
        [name, row[0], *row[2:6], row[7]] for row in map(outcome_row, figures.outcomes, repeat(d))
    ]
    return WorkerRows(
        name=name,
        headline=[value for _, value in headline(figures, d)],
        support=support_cells(figures, d),
        outcomes=outcomes,
    )


def _by_worker_tables(
    doc: ReportDocument, team: CaseloadReport, workers: Sequence[WorkerRows]
) -> list[ReportTable]:
    low, high = CONTACT_NORM
    ordered = sorted(workers, key=lambda w: w.name.casefold())
    # The team's own cells come from its document, laid out from the combined figures.
    team_headline = [value for _, value in doc.headline]
    team_support = support_cells(team, Disclosure())
    return [
        ReportTable(
            "workers_headline",
            BY_WORKER,
            "The figures at a glance, by worker",
            ["Worker", *(name for name, _ in doc.headline)],
            [[w.name, *w.headline] for w in ordered] + [[ALL_WORKERS, *team_headline]],
            "Each worker's figures from their own bundle, with the same disclosure control as "
            "their own report.",
        ),
        ReportTable(
            "workers_support",
            BY_WORKER,
            "Contacts and activities, by worker",
            [
                "Worker",
                "Episodes ended by discharge",
                "Median contacts per episode",
                f"Within {low}-{high} contacts (%)",
                "People with a contact",
                "Activity connections",
                "Attended (%)",
            ],
            [[w.name, *w.support] for w in ordered] + [[ALL_WORKERS, *team_support]],
        ),
        ReportTable(
            "workers_outcomes",
            BY_WORKER,
            "Change in wellbeing and loneliness, by worker",
            [
                "Worker",
                "Score",
                "People",
                "Mean at baseline",
                "Mean at follow-up",
                "Mean change",
                "Improved (%)",
            ],
            [row for w in ordered for row in w.outcomes],
            "Only the scores a worker has people for. The team's figures are under Outcomes.",
        ),
    ]


def team_document(
    team: CaseloadReport, workers: Sequence[WorkerRows], *, prepared_by: Sequence[str] = ()
) -> ReportDocument:
    """The team's commissioner report: the combined figures laid out as any caseload report
    (the same tables and rule), then the By worker group."""
    doc = caseload_document(team, prepared_by=prepared_by)
    doc.title = TEAM_REPORT_TITLE
    doc.notices.insert(0, team_notice(len(workers)))
    doc.sections = (*doc.sections, BY_WORKER)
    doc.tables += _by_worker_tables(doc, team, workers)
    return doc
