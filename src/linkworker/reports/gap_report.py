"""The gap report's figures: unmet needs recorded in a period, by area, need and barrier.

Exact counts, gathered in SQL (disclosure control is applied when the report is laid out,
:mod:`linkworker.formats.gap_report`). The area is the postcode district kept with each gap
(never a full postcode); a struck-out gap is not counted.
"""

from __future__ import annotations

from datetime import date

from sqlite_utils import Database

from linkworker.reports.content import NOT_KNOWN
from linkworker.reports.period import Period
from linkworker.reports.shapes import GapReport

_IN_PERIOD = "recorded_on BETWEEN :start AND :end AND entered_in_error_at IS NULL"


def _pairs(db: Database, first: str, second: str, p: dict[str, str]) -> dict[tuple[str, str], int]:
    rows = db.execute(
        f"SELECT {first}, {second}, count(*) FROM gaps WHERE {_IN_PERIOD} GROUP BY 1, 2",
        p,
    ).fetchall()
    return {(str(a or NOT_KNOWN), str(b or NOT_KNOWN)): int(n) for a, b, n in rows}


def gap_report(db: Database, period: Period, today: date) -> GapReport:
    """Every figure of the gap report for ``period``, widened to whole calendar months."""
    period = period.whole_months()
    p = {"start": period.start.isoformat(), "end": period.end.isoformat()}
    report = GapReport(period=period, generated_on=today)
    row = db.execute(
        f"SELECT count(*), count(DISTINCT person_id) FROM gaps WHERE {_IN_PERIOD}", p
    ).fetchone()
    report.gaps, report.people = int(row[0]), int(row[1])
    report.by_area = _pairs(db, "area", "barrier", p)
    report.by_need = _pairs(db, "need", "barrier", p)
    report.need_by_area = _pairs(db, "area", "need", p)
    return report
