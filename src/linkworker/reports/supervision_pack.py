"""Gather the supervision pack: each marked case's page and the caseload's figures.

The page says what a supervisor needs to help with the question, never who the person
is (see :mod:`linkworker.formats.supervision_pack`): their age band, flags raised, the
referral's status and how long it has been open, the plan by counts, contacts against
the 6-12 norm, each measure's change, and what is stuck.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlite_utils import Database

from linkworker import outcomes
from linkworker.display import label
from linkworker.formats.caseload_report import caseload_document
from linkworker.formats.supervision_pack import CasePage, SupervisionPack
from linkworker.models import FlagKind, GoalStatus, ReferralStatus
from linkworker.norms import CONTACT_NORM
from linkworker.reports.caseload import caseload_report
from linkworker.reports.content import age_band
from linkworker.reports.period import Period
from linkworker.settings import Settings
from linkworker.supervision import MarkedCase, last_session_words, marked_cases

#: An open goal with no review or change of status for this long is "not moving".
GOAL_STILL_DAYS = 28


def _many(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _age(born: str | None, today: date) -> int | None:
    if not born:
        return None
    day = date.fromisoformat(born)
    return today.year - day.year - ((today.month, today.day) < (day.month, day.day))


def _referral(db: Database, person_id: int, today: date) -> tuple[int | None, str]:
    row = db.execute(
        "SELECT id, status, received_on FROM referrals WHERE person_id = ? "
        "AND entered_in_error_at IS NULL ORDER BY received_on DESC, id DESC LIMIT 1",
        [person_id],
    ).fetchone()
    if row is None:
        return None, "No referral recorded"
    weeks = (today - date.fromisoformat(row[2])).days // 7
    return int(row[0]), f"{label(ReferralStatus, row[1])}; referred {weeks} weeks ago"


def _plan(db: Database, person_id: int) -> str:
    talks = db.execute(
        "SELECT count(*) FROM conversations WHERE person_id = ? AND entered_in_error_at IS NULL",
        [person_id],
    ).fetchone()[0]
    goals = dict(
        db.execute(
            "SELECT status, count(*) FROM goals WHERE person_id = ? "
            "AND entered_in_error_at IS NULL GROUP BY status",
            [person_id],
        ).fetchall()
    )
    what = "what matters talked about" if talks else "no what-matters conversation yet"
    if not goals:
        return f"{what.capitalize()}; no goals set"
    counts = ", ".join(
        f"{goals[s.value]} {label(GoalStatus, s.value).lower()}" for s in GoalStatus if s in goals
    )
    return f"{what.capitalize()}; goals: {counts}"


def _contacts(db: Database, referral_id: int | None) -> str:
    if referral_id is None:
        return "None"
    n = db.execute(
        "SELECT count(*) FROM contacts WHERE referral_id = ? AND attempt = 0 "
        "AND entered_in_error_at IS NULL",
        [referral_id],
    ).fetchone()[0]
    low, high = CONTACT_NORM
    where = "within" if low <= n <= high else ("below" if n < low else "above")
    return f"{n} in this episode: {where} the usual {CONTACT_NORM.words()}"


def _measures(db: Database, person_id: int) -> list[str]:
    found = []
    for summary in outcomes.outcome_summary(db, person_id):
        for row in summary.rows:
            if row.change is None:
                continue
            base = outcomes.format_value(summary.kind, row.name, row.baseline)
            last = outcomes.format_value(summary.kind, row.name, row.latest)
            found.append(
                f"{summary.title} {row.label}: {base} to {last} "
                f"({outcomes.change_words(row, summary.kind)})"
            )
    return found


def _stuck(db: Database, person_id: int, today: date, settings: Settings) -> list[str]:
    stuck = []
    overdue = db.execute(
        "SELECT count(*), min(due_on) FROM followups WHERE person_id = ? AND status = 'planned' "
        "AND due_on < ? AND entered_in_error_at IS NULL",
        [person_id, today.isoformat()],
    ).fetchone()
    if overdue[0]:
        days = (today - date.fromisoformat(overdue[1])).days
        late = _many(days, "day", "days")
        stuck.append(
            f"{_many(overdue[0], 'follow-up', 'follow-ups')} overdue (the oldest by {late})"
        )
    still = (today - timedelta(days=GOAL_STILL_DAYS)).isoformat()
    goals = db.execute(
        "SELECT count(*) FROM goals g WHERE g.person_id = ? AND g.status = 'open' "
        "AND g.entered_in_error_at IS NULL AND max(g.set_on, coalesce(g.status_changed_on, ''), "
        "coalesce((SELECT max(r.reviewed_on) FROM goal_reviews r WHERE r.goal_id = g.id "
        "AND r.entered_in_error_at IS NULL), '')) <= ?",
        [person_id, still],
    ).fetchone()[0]
    if goals:
        goal_words = _many(goals, "open goal", "open goals")
        stuck.append(f"{goal_words} not moving for {GOAL_STILL_DAYS} days or more")
    waiting = (today - timedelta(days=settings.connection_check_days)).isoformat()
    connections = db.execute(
        "SELECT count(*) FROM connections WHERE person_id = ? "
        "AND status IN ('suggested', 'referred') AND suggested_on <= ? "
        "AND entered_in_error_at IS NULL",
        [person_id, waiting],
    ).fetchone()[0]
    if connections:
        waited = f"{settings.connection_check_days} days"
        activities = _many(connections, "activity", "activities")
        stuck.append(f"{activities} suggested or referred, not started after {waited}")
    return stuck


def case_page(db: Database, case: MarkedCase, today: date, settings: Settings) -> CasePage:
    """The pack's page for one marked case."""
    person = db.execute(
        "SELECT date_of_birth FROM people WHERE id = ?", [case.person_id]
    ).fetchone()
    flags = [
        label(FlagKind, kind)
        for (kind,) in db.execute(
            "SELECT DISTINCT kind FROM flags WHERE person_id = ? AND cleared_on IS NULL "
            "AND entered_in_error_at IS NULL ORDER BY kind",
            [case.person_id],
        ).fetchall()
    ]
    referral_id, referral = _referral(db, case.person_id, today)
    band = age_band(_age(person[0], today))
    return CasePage(
        case_ref=case.case_ref,
        question=case.question,
        marked_on=case.marked_on,
        age_band="Not known" if band == "not_known" else band,
        flags=flags,
        referral=referral,
        plan=_plan(db, case.person_id),
        contacts=_contacts(db, referral_id),
        measures=_measures(db, case.person_id),
        stuck=_stuck(db, case.person_id, today, settings),
    )


def supervision_pack(
    db: Database, today: date, period: Period, settings: Settings
) -> SupervisionPack:
    """Every marked case's page and the pseudonymised caseload figures for ``period``."""
    figures = caseload_document(
        caseload_report(db, period, today), prepared_by=settings.signature()
    )
    return SupervisionPack(
        generated_on=today,
        cases=[case_page(db, case, today, settings) for case in marked_cases(db)],
        figures=figures,
        last_session=last_session_words(db, today),
        prepared_by=settings.signature(),
    )
