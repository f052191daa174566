"""The commissioner's caseload figures for a period, aggregated in SQL.

Definitions (also in the README): referrals *received* in the period; accepted, declined and
not reached by the date of that event; active caseload = people with an accepted, undischarged
referral on the last day; contacts are real contacts (not unanswered attempts); outcomes pair
each episode's first baseline with its last follow-up when that follow-up was taken in the
period. The figures are exact: disclosure control is applied when they are laid out
(:mod:`linkworker.formats.caseload_report`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from sqlite_utils import Database

from linkworker.community import community_by_kind
from linkworker.norms import CONTACT_NORM
from linkworker.outcomes_due import recorded_vs_due
from linkworker.reports.content import (
    CaseloadReport,
    CategoryConnections,
    InvolvementMonth,
    MeasuresRecorded,
    age_band,
    involvement_of,
)
from linkworker.reports.counting import counts, histogram, median_of_histogram, merge_counts
from linkworker.reports.episodes import episode_rows, outcome_changes, outcome_months
from linkworker.reports.period import Period

Params = dict[str, Any]

_VALID_NEEDS = "CASE WHEN json_valid(r.needs) THEN r.needs ELSE '[]' END"
_VALID_CATEGORIES = "CASE WHEN json_valid(a.categories) THEN a.categories ELSE '[]' END"
# A connection counts as attended once the person went, by the end of the period.
_ATTENDED = (
    "(c.attended_on IS NOT NULL AND c.attended_on <= :end OR "
    "(c.attended_on IS NULL AND c.status IN ('attended', 'attending')))"
)
# People with a referral received in the period, each once, with their first such day.
_REFERRED = (
    "WITH referred AS (SELECT person_id, min(received_on) AS first_on FROM referrals "
    "WHERE received_on BETWEEN :start AND :end GROUP BY person_id) "
)


def _sql_order(value: object) -> tuple[int, Any]:
    """A value's place in SQLite's ORDER BY: NULL, then numbers, then text (by its bytes)."""
    if value is None:
        return (0, 0)
    if isinstance(value, (int, float)):
        return (1, value)
    if isinstance(value, str):
        return (2, value.encode("utf-8", "surrogatepass"))
    return (3, value)


def _by_count(rows: list[tuple[Any, int]]) -> list[tuple[Any, int]]:
    """(value, count) rows as ``ORDER BY count DESC, value`` gives them."""
    return sorted(rows, key=lambda r: (-r[1], _sql_order(r[0])))


# The period's referrals by their needs as stored (a few hundred different lists at 10,000
# people), so each list is read as JSON once, not once a referral.
_BY_NEEDS = (
    "WITH needs AS MATERIALIZED (SELECT CASE WHEN json_valid(r.needs) THEN r.needs "
    "  ELSE '[]' END AS valid, count(*) AS n FROM referrals r "
    "  WHERE r.received_on BETWEEN :start AND :end GROUP BY r.needs) "
    "SELECT j.value, sum(x.n) FROM needs x, json_each(x.valid) j GROUP BY 1 "
    "UNION ALL SELECT NULL, coalesce(sum(n), 0) FROM needs WHERE json_array_length(valid) = 0"
)


def _referrals_received(db: Database, p: Params, report: CaseloadReport) -> None:
    """Needs and concerns: referrals received, by month, source and need."""
    by_month: dict[str, int] = {}
    by_source: dict[Any, int] = {}
    for month, source, n in db.execute(
        "SELECT substr(received_on, 1, 7), source, count(*) FROM referrals "
        "WHERE received_on BETWEEN :start AND :end GROUP BY 1, 2",
        p,
    ).fetchall():
        by_month[month] = by_month.get(month, 0) + n
        by_source[source] = by_source.get(source, 0) + n
    report.referrals_by_month = {m: by_month.get(m, 0) for m in report.period.months}
    report.referrals_received = sum(by_month.values())
    report.referrals_by_source = merge_counts(_by_count(list(by_source.items())))
    by_need = counts(db, _BY_NEEDS, p)
    report.referrals_by_need = dict(
        sorted(((k, n) for k, n in by_need.items() if n), key=lambda kv: (-kv[1], kv[0]))
    )


def _referral_outcomes(db: Database, p: Params, report: CaseloadReport) -> None:
    """Support offered: accepted, declined, not reached, the caseload at the end."""
    row = db.execute(
        "SELECT sum(accepted_on BETWEEN :start AND :end), "
        "sum(declined_on BETWEEN :start AND :end), "
        "sum(not_reached_on BETWEEN :start AND :end), "
        "count(DISTINCT CASE WHEN accepted_on <= :end AND (discharged_on IS NULL "
        "  OR discharged_on > :end) THEN person_id END), "
        "sum(received_on <= :end AND NOT (coalesce(accepted_on, '9999') <= :end "
        "  OR coalesce(declined_on, '9999') <= :end OR coalesce(not_reached_on, '9999') <= :end)),"
        "sum(discharged_on BETWEEN :start AND :end) "
        "FROM referrals",
        p,
    ).fetchone()
    (
        report.accepted,
        report.declined,
        report.not_reached,
        report.active_at_end,
        report.awaiting_at_end,
        report.discharges,
    ) = (int(x or 0) for x in row)


def _contacts(db: Database, p: Params, report: CaseloadReport) -> None:
    """Support offered: contacts in the period, and per person (one pass: the total and the
    people contacted are the histogram's sums)."""
    report.contacts_per_person = per_person = histogram(
        db,
        "SELECT n, count(*) FROM (SELECT person_id, count(*) AS n FROM contacts "
        "WHERE attempt = 0 AND entered_in_error_at IS NULL "
        "AND contact_at >= :start AND contact_at < :after "
        "GROUP BY person_id) GROUP BY n",
        p,
    )
    report.contacts_total = sum(n * people for n, people in per_person.items())
    report.people_contacted = sum(per_person.values())
    report.contacts_per_person_median = median_of_histogram(per_person)


def _first_contacts(db: Database, p: Params, report: CaseloadReport) -> None:
    """Support offered: days from referral to first contact, over the referrals received
    in the period whose first contact came by its end (m024's first_contacts: the first
    contact made by the end of the period is a referral's first of all, or there is none)."""
    report.first_contact_days = first_contact = histogram(
        db,
        "SELECT days, count(*) FROM first_contacts WHERE received_on BETWEEN :start AND :end "
        "AND first_contact_at < :after GROUP BY days",
        p,
    )
    report.first_contact_n = sum(first_contact.values())
    report.first_contact_days_median = median_of_histogram(first_contact)


# Each activity's connections in the period (how many, how many went), and the activity's
# categories each once: a connection counts once in each of its activity's categories.
_BY_ACTIVITY = (
    f"WITH per AS MATERIALIZED (SELECT c.activity_id, count(*) AS n, sum({_ATTENDED}) AS went "
    "  FROM connections c WHERE c.suggested_on BETWEEN :start AND :end "
    "  AND c.entered_in_error_at IS NULL GROUP BY c.activity_id), "
    "categories AS (SELECT DISTINCT a.id AS activity_id, j.value AS category "
    "  FROM per JOIN activities a ON a.id = per.activity_id "
    f"  LEFT JOIN json_each({_VALID_CATEGORIES}) j) "
)


def _connections(db: Database, p: Params, report: CaseloadReport) -> None:
    """Support offered: activities connected in the period, and whether people went."""
    row = db.execute(
        # NOT INDEXED: read along m023's index (by activity) this took half as long again.
        f"SELECT count(*), sum({_ATTENDED}), count(DISTINCT c.person_id) "
        "FROM connections c NOT INDEXED "
        "WHERE c.suggested_on BETWEEN :start AND :end AND c.entered_in_error_at IS NULL",
        p,
    ).fetchone()
    report.connections_total = int(row[0] or 0)
    report.connections_attended = int(row[1] or 0)
    report.people_connected = int(row[2] or 0)
    report.connections_by_category = [
        CategoryConnections(str(cat) if cat else "Uncategorised", int(n), int(a or 0))
        for cat, n, a in db.execute(
            _BY_ACTIVITY + "SELECT x.category, sum(per.n), sum(per.went) FROM categories x "
            "JOIN per ON per.activity_id = x.activity_id GROUP BY 1 ORDER BY 2 DESC, 1",
            p,
        ).fetchall()
    ]


def _discharges(db: Database, p: Params, report: CaseloadReport) -> None:
    """Outcomes: discharges by reason, and contacts per completed episode against the norm."""
    report.discharges_by_reason = counts(
        db,
        "SELECT discharge_reason, count(*) FROM referrals "
        "WHERE discharged_on BETWEEN :start AND :end GROUP BY 1 ORDER BY 2 DESC, 1",
        p,
    )
    report.completed_contacts = episode_contacts = histogram(
        db,
        "SELECT n, count(*) FROM (SELECT (SELECT count(*) FROM contacts c "
        "  WHERE c.referral_id = r.id AND c.attempt = 0 AND c.entered_in_error_at IS NULL "
        "  AND c.contact_at < :after) AS n "
        "  FROM referrals r WHERE r.discharged_on BETWEEN :start AND :end) GROUP BY n",
        p,
    )
    low, high = CONTACT_NORM
    report.completed_episodes = sum(episode_contacts.values())
    report.completed_contacts_median = median_of_histogram(episode_contacts)
    report.completed_within_norm = sum(c for n, c in episode_contacts.items() if low <= n <= high)
    report.completed_below_norm = sum(c for n, c in episode_contacts.items() if n < low)
    report.completed_above_norm = sum(c for n, c in episode_contacts.items() if n > high)


def _outcomes(db: Database, p: Params, report: CaseloadReport) -> None:
    """Outcomes: the change in each wellbeing and loneliness score, involvement
    (CollaboRATE) and the outcome measures recorded against those due."""
    report.outcome_months = outcome_months(db, p)
    report.outcomes = outcome_changes(report.outcome_months)
    report.involvement_months = [
        InvolvementMonth(str(month), int(n), int(top or 0), float(total or 0))
        for month, n, top, total in db.execute(
            "SELECT substr(taken_on, 1, 7), count(*), "
            "sum(json_extract(scores, '$.values.top_score') = 1), "
            "sum(json_extract(scores, '$.values.mean')) FROM measures "
            "WHERE kind = 'collaborate' AND complete = 1 AND entered_in_error_at IS NULL "
            "AND taken_on BETWEEN :start AND :end GROUP BY 1 ORDER BY 1",
            p,
        ).fetchall()
    ]
    report.involvement = involvement_of(report.involvement_months, report.period.months)
    start, end = date.fromisoformat(p["start"]), date.fromisoformat(p["end"])
    report.measures_recorded = [
        MeasuresRecorded(r.key, r.due, r.recorded) for r in recorded_vs_due(db, start, end)
    ]


# Each person referred in the period once: their age on their first referral day, sex,
# ethnicity and postcode district; then each count over them (one pass of the referrals).
# m023's people_report index holds those facts, the district worked out (SQLite reads an
# indexed expression from the index): without the hint SQLite would read people's rows.
_WHO = (
    _REFERRED + ", who AS MATERIALIZED (SELECT CASE WHEN p.date_of_birth IS NULL "
    "  OR p.date_of_birth = '' THEN NULL "
    "  ELSE CAST(substr(x.first_on, 1, 4) AS INTEGER) "
    "  - CAST(substr(p.date_of_birth, 1, 4) AS INTEGER) "
    "  - (substr(x.first_on, 6, 5) < substr(p.date_of_birth, 6, 5)) END AS age, "
    "  p.sex, p.ethnicity, CASE WHEN instr(trim(p.postcode), ' ') > 1 "
    "  THEN upper(substr(trim(p.postcode), 1, instr(trim(p.postcode), ' ') - 1)) END AS outward "
    "  FROM referred x JOIN people p INDEXED BY people_report ON p.id = x.person_id) "
    "SELECT 'age', age, count(*) FROM who GROUP BY 2 "
    "UNION ALL SELECT 'sex', sex, count(*) FROM who GROUP BY 2 "
    "UNION ALL SELECT 'ethnicity', ethnicity, count(*) FROM who GROUP BY 2 "
    "UNION ALL SELECT 'outward', outward, count(*) FROM who GROUP BY 2"
)


def _demographics(db: Database, p: Params, report: CaseloadReport) -> None:
    """Person demographics of the people with a referral received in the period."""
    groups: dict[str, list[tuple[Any, int]]] = {}
    for group, value, n in db.execute(_WHO, p).fetchall():
        groups.setdefault(group, []).append((value, int(n)))
    ages = sorted(groups.get("age", []), key=lambda r: _sql_order(r[0]))
    report.age_bands = merge_counts((age_band(a) if a is not None else None, n) for a, n in ages)
    report.people_referred = sum(report.age_bands.values())
    report.sex = merge_counts(_by_count(groups.get("sex", [])))
    report.ethnicity = merge_counts(_by_count(groups.get("ethnicity", [])))
    report.outward_codes = merge_counts(
        sorted(groups.get("outward", []), key=lambda r: _sql_order(r[0]))
    )


def _community(db: Database, p: Params, report: CaseloadReport) -> None:
    """Community development: sessions and minutes of work that is no one person's case."""
    report.community = community_by_kind(
        db, date.fromisoformat(p["start"]), date.fromisoformat(p["end"])
    )


Step = Callable[[Database, Params, CaseloadReport], None]

#: The steps of a report, in the order worked out (one progress step each, and one more
#: for the record-level list of episodes).
STEPS: tuple[Step, ...] = (
    _referrals_received,
    _referral_outcomes,
    _contacts,
    _first_contacts,
    _connections,
    _discharges,
    _outcomes,
    _demographics,
    _community,
)


def caseload_report(
    db: Database,
    period: Period,
    today: date,
    *,
    with_episodes: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> CaseloadReport:
    """Every figure of the commissioner report for ``period``, aggregated in SQL.

    The period is widened to whole calendar months first (the report's period says what was
    asked), so every way of making a report covers whole months. ``with_episodes`` adds the
    record-level list (names included) that only an identifiable report may show.
    ``progress`` is told (step, steps) after each step.
    """
    period = period.whole_months()
    p = {
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "after": (period.end + timedelta(days=1)).isoformat(),
    }
    report = CaseloadReport(period=period, generated_on=today)
    steps = len(STEPS) + 1
    for number, step in enumerate(STEPS, start=1):
        step(db, p, report)
        if progress:
            progress(number, steps)
    if with_episodes:
        report.episodes = episode_rows(db, p)
    if progress:
        progress(steps, steps)
    return report
