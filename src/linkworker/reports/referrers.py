"""Referrer feedback: for each referring practice or organisation, what became of the
referrals it sent in a period (exact figures; disclosure control is applied when the
summary is laid out, :mod:`linkworker.formats.referrer_report`).

A referrer is the organisation recorded on the referral (``referrer_organisation``); a
referral without one is counted under its source (``GP practice``, ``Self-referral``...).
Referrals *received* in the period are followed to the end of the period: accepted,
declined (with the reasons given), not reached, days to the first contact, and what
worked (activities connected and attended after the referral, goals met).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlite_utils import Database

from linkworker.reports.counting import median_of_histogram
from linkworker.reports.period import Period
from linkworker.reports.shapes import ReferrerFigures, ReferrerReport, referrer_name

#: A referrer's key: the organisation as typed (trimmed), else 'source:' and the source.
_KEY = "coalesce(nullif(trim(r.referrer_organisation), ''), 'source:' || r.source)"
_RECEIVED = (
    f"WITH sent AS (SELECT r.*, {_KEY} AS referrer FROM referrals r "
    "WHERE r.received_on BETWEEN :start AND :end) "
)
_VALID_NEEDS = "CASE WHEN json_valid(s.needs) THEN s.needs ELSE '[]' END"
_VALID_CATEGORIES = "CASE WHEN json_valid(a.categories) THEN a.categories ELSE '[]' END"
_ATTENDED = (
    "(c.attended_on IS NOT NULL AND c.attended_on <= :end OR "
    "(c.attended_on IS NULL AND c.status IN ('attended', 'attending')))"
)


def _outcomes(db: Database, p: dict[str, Any], found: dict[str, ReferrerFigures]) -> None:
    for key, n, accepted, declined, not_reached in db.execute(
        _RECEIVED + "SELECT referrer, count(*), sum(coalesce(accepted_on <= :end, 0)), "
        "sum(coalesce(declined_on <= :end, 0)), sum(coalesce(not_reached_on <= :end, 0)) "
        "FROM sent GROUP BY 1",
        p,
    ).fetchall():
        found[str(key)] = ReferrerFigures(
            str(key), int(n), int(accepted), int(declined), int(not_reached)
        )
    for key, reason, n in db.execute(
        _RECEIVED + "SELECT referrer, lower(trim(coalesce(decline_reason, ''))), count(*) "
        "FROM sent WHERE declined_on <= :end GROUP BY 1, 2",
        p,
    ).fetchall():
        folded = " ".join(str(reason).split())
        reasons = found[str(key)].decline_reasons
        reasons[folded] = reasons.get(folded, 0) + int(n)


def _needs_and_contacts(db: Database, p: dict[str, Any], found: dict[str, ReferrerFigures]) -> None:
    for key, need, n in db.execute(
        _RECEIVED + f"SELECT s.referrer, j.value, count(*) FROM sent s, "
        f"json_each({_VALID_NEEDS}) j GROUP BY 1, 2",
        p,
    ).fetchall():
        found[str(key)].needs[str(need)] = int(n)
    for key, days, n in db.execute(
        _RECEIVED + "SELECT referrer, days, count(*) FROM (SELECT s.referrer, "
        "CAST(julianday(substr(min(c.contact_at), 1, 10)) - julianday(s.received_on) "
        "AS INTEGER) AS days FROM sent s JOIN contacts c ON c.referral_id = s.id "
        "AND c.attempt = 0 AND c.entered_in_error_at IS NULL AND c.contact_at < :after "
        "GROUP BY s.id) GROUP BY 1, 2",
        p,
    ).fetchall():
        found[str(key)].first_contact_days[int(days)] = int(n)
    for figures in found.values():
        figures.first_contact_median = median_of_histogram(figures.first_contact_days)


def _what_worked(db: Database, p: dict[str, Any], found: dict[str, ReferrerFigures]) -> None:
    for key, category, made, attended in db.execute(
        _RECEIVED + "SELECT s.referrer, coalesce(j.value, 'Uncategorised'), "
        f"count(DISTINCT c.id), count(DISTINCT CASE WHEN {_ATTENDED} THEN c.id END) "
        "FROM sent s JOIN connections c ON c.person_id = s.person_id "
        "AND c.suggested_on BETWEEN s.received_on AND :end "
        "AND c.entered_in_error_at IS NULL "
        "JOIN activities a ON a.id = c.activity_id "
        f"LEFT JOIN json_each({_VALID_CATEGORIES}) j GROUP BY 1, 2",
        p,
    ).fetchall():
        found[str(key)].connections[str(category)] = (int(made), int(attended))
    for key, set_, met in db.execute(
        _RECEIVED + "SELECT s.referrer, count(g.id), sum(coalesce(g.status = 'achieved' "
        "AND g.status_changed_on <= :end, 0)) FROM sent s JOIN goals g "
        "ON g.referral_id = s.id AND g.set_on <= :end AND g.entered_in_error_at IS NULL "
        "GROUP BY 1",
        p,
    ).fetchall():
        found[str(key)].goals_set, found[str(key)].goals_met = int(set_), int(met)


def referrer_report(
    db: Database, period: Period, today: date, *, referrer: str | None = None
) -> ReferrerReport:
    """Each referrer's figures for ``period`` (widened to whole calendar months); only the
    one whose organisation (or source) is ``referrer``, any case, when it is given."""
    period = period.whole_months()
    p = {
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "after": (period.end + timedelta(days=1)).isoformat(),
    }
    found: dict[str, ReferrerFigures] = {}
    _outcomes(db, p, found)
    _needs_and_contacts(db, p, found)
    _what_worked(db, p, found)
    chosen = sorted(found.values(), key=lambda f: (-f.referrals, f.key.lower()))
    if referrer is not None:
        wanted = referrer.strip().lower()
        chosen = [f for f in chosen if wanted in (f.key.lower(), referrer_name(f.key).lower())]
    return ReferrerReport(period, today, chosen)
