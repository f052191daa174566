"""Who is reached: the people referred in a period, by age band, sex, ethnic group and
postcode district, with what became of their referral (accepted, declined, not reached),
beside the practice population when one is loaded (:mod:`linkworker.population`).

Exact figures; disclosure control is applied when the report is laid out
(:mod:`linkworker.formats.reach_report`). Each person is counted once, by their first
referral received in the period, followed to the end of the period; their age is their
age on the day of that referral.
"""

from __future__ import annotations

from datetime import date

from sqlite_utils import Database

from linkworker import population
from linkworker.gaps import postcode_district
from linkworker.reports.content import NOT_KNOWN, age_band
from linkworker.reports.period import Period
from linkworker.reports.shapes import GroupFigures, ReachReport

#: For each person referred in the period, their first referral then (the lowest id of
#: that day's), and what is recorded about them.
_FIRST_REFERRALS = (
    "WITH firsts AS (SELECT person_id, min(received_on) AS first_on FROM referrals "
    "WHERE received_on BETWEEN :start AND :end GROUP BY person_id) "
    "SELECT p.date_of_birth, p.sex, p.ethnicity, p.postcode, r.received_on, "
    "r.accepted_on <= :end, r.declined_on <= :end, r.not_reached_on <= :end "
    "FROM firsts f JOIN people p ON p.id = f.person_id "
    "JOIN referrals r ON r.id = (SELECT id FROM referrals WHERE person_id = f.person_id "
    "AND received_on = f.first_on ORDER BY id LIMIT 1)"
)


def _age(born: object, on: str) -> int | None:
    if not isinstance(born, str) or len(born) < 10:
        return None
    try:
        birth, day = date.fromisoformat(born[:10]), date.fromisoformat(on[:10])
    except ValueError:
        return None
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _count(figures: GroupFigures, accepted: object, declined: object, unreached: object) -> None:
    figures.referred += 1
    figures.accepted += int(bool(accepted))
    figures.declined += int(bool(declined))
    figures.not_reached += int(bool(unreached))


def reach_report(db: Database, period: Period, today: date) -> ReachReport:
    """Every figure of the reach report for ``period``, widened to whole calendar months."""
    period = period.whole_months()
    p = {"start": period.start.isoformat(), "end": period.end.isoformat()}
    report = ReachReport(period=period, generated_on=today)
    report.groups = {grouping: {} for grouping in population.GROUPINGS}
    for born, sex, ethnicity, postcode, on, accepted, declined, unreached in db.execute(
        _FIRST_REFERRALS, p
    ).fetchall():
        values = {
            "age_band": age_band(_age(born, str(on))),
            "sex": sex or NOT_KNOWN,
            "ethnicity": ethnicity or NOT_KNOWN,
            "postcode_district": postcode_district(postcode) or NOT_KNOWN,
        }
        for grouping, value in values.items():
            figures = report.groups[grouping].setdefault(str(value), GroupFigures())
            _count(figures, accepted, declined, unreached)
        _count(report.everyone, accepted, declined, unreached)
    report.population = population.population(db)
    report.population_loaded_at = population.loaded_at(db)
    return report
