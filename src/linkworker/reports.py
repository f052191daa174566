"""Caseload figures computed from the store (pure over the database, no formatting).

* :func:`snapshot`: headline counts over the whole store (the Reports screen's first line).
* :func:`gp_message`: the message back to the GP and referrer for one referral episode.
* :func:`caseload_report`: the commissioner's figures for a period, aggregated in SQL.
* :class:`Disclosure`: the small-number suppression rule every caseload export applies.
* :func:`subject_access`: everything held about one person (UK GDPR subject access).

Writers that turn these into text, Markdown, JSON, CSV and HTML live in :mod:`exports`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlite_utils import Database

from linkworker import measures
from linkworker.models import SNOMED_DECLINED, SNOMED_REFERRED
from linkworker.norms import CONTACT_NORM


@dataclass
class Snapshot:
    """Headline figures for the Reports section."""

    today: date
    people: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    referrals_last_year_by_source: dict[str, int] = field(default_factory=dict)
    contacts_last_30_days: int = 0
    discharges_by_reason: dict[str, int] = field(default_factory=dict)
    activities: int = 0
    connections_by_status: dict[str, int] = field(default_factory=dict)


def _grouped(db: Database, sql: str, params: list[object]) -> dict[str, int]:
    return {str(k): int(n) for k, n in db.execute(sql, params).fetchall()}


def snapshot(db: Database, today: date) -> Snapshot:
    """Counts over the whole store as of ``today``."""
    year_ago = (today - timedelta(days=365)).isoformat()
    snap = Snapshot(today=today)
    snap.people = int(db.execute("SELECT count(*) FROM people").fetchone()[0])
    snap.by_status = _grouped(
        db,
        "SELECT coalesce(status, 'none'), count(*) FROM person_summary GROUP BY 1 ORDER BY 2 DESC",
        [],
    )
    snap.referrals_last_year_by_source = _grouped(
        db,
        "SELECT source, count(*) FROM referrals WHERE received_on > ? GROUP BY 1 ORDER BY 2 DESC",
        [year_ago],
    )
    snap.contacts_last_30_days = int(
        db.execute(
            "SELECT count(*) FROM contacts "
            "WHERE attempt = 0 AND contact_at > ? AND contact_at <= ?",
            [(today - timedelta(days=30)).isoformat(), (today + timedelta(days=1)).isoformat()],
        ).fetchone()[0]
    )
    snap.discharges_by_reason = _grouped(
        db,
        "SELECT discharge_reason, count(*) FROM referrals WHERE status = 'discharged' "
        "AND discharged_on > ? GROUP BY 1 ORDER BY 2 DESC",
        [year_ago],
    )
    snap.activities = int(
        db.execute("SELECT count(*) FROM activities WHERE retired = 0").fetchone()[0]
    )
    snap.connections_by_status = _grouped(
        db, "SELECT status, count(*) FROM connections GROUP BY 1 ORDER BY 2 DESC", []
    )
    return snap


# ---------------------------------------------------------------------------------------
# Periods
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A reporting period, both ends included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError(
                f"the period starts on {self.start.isoformat()}, after it ends on "
                f"{self.end.isoformat()}"
            )

    @property
    def months(self) -> list[str]:
        """Every calendar month the period touches, as 'YYYY-MM'."""
        out: list[str] = []
        year, month = self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            out.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return out


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _month_end(day: date) -> date:
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def period_presets(today: date) -> list[tuple[str, str, Period]]:
    """The periods a link worker reports on: (key, label, period), the default first.

    Quarters are calendar quarters (Jan-Mar, Apr-Jun...); the financial year starts 1 April.
    """
    this_quarter = _quarter_start(today)
    last_quarter_end = this_quarter - timedelta(days=1)
    last_month_end = _month_start(today) - timedelta(days=1)
    fy_start = date(today.year if today.month >= 4 else today.year - 1, 4, 1)
    year, month = last_month_end.year, last_month_end.month - 11
    if month < 1:
        year, month = year - 1, month + 12
    twelve_start = date(year, month, 1)
    return [
        ("this_quarter", "This quarter so far", Period(this_quarter, today)),
        ("last_month", "Last full month", Period(_month_start(last_month_end), last_month_end)),
        (
            "last_quarter",
            "Last full quarter",
            Period(_quarter_start(last_quarter_end), last_quarter_end),
        ),
        ("financial_year", "Financial year so far", Period(fy_start, today)),
        ("last_12_months", "Last 12 full months", Period(twelve_start, last_month_end)),
    ]


# ---------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------


def decode_json(value: object, default: Any) -> Any:
    if not isinstance(value, str):
        return default
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        return default


def median_of_histogram(histogram: dict[int, int]) -> float | None:
    """The median of values given as {value: how many}; None when there are none."""
    n = sum(histogram.values())
    if n == 0:
        return None
    wanted = [(n - 1) // 2, n // 2]  # 0-based positions of the middle one or two values
    found: list[int] = []
    seen = 0
    for value in sorted(histogram):
        count = histogram[value]
        for position in wanted:
            if seen <= position < seen + count:
                found.append(value)
        seen += count
    return (found[0] + found[1]) / 2


def _histogram(db: Database, sql: str, params: dict[str, Any]) -> dict[int, int]:
    return {int(v): int(n) for v, n in db.execute(sql, params).fetchall() if v is not None}


def _score(kind: str, scores_json: object, answers_json: object) -> measures.Score | None:
    """A stored score as recorded; rescored from the answers if the stored copy is unreadable."""
    try:
        return measures.Score.model_validate(decode_json(scores_json, None))
    except ValueError:
        pass
    try:
        return measures.score(kind, decode_json(answers_json, {}))
    except (measures.MeasureError, TypeError):
        return None


# ---------------------------------------------------------------------------------------
# Message back to GP and referrer (one referral episode)
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SnomedEntry:
    """A SNOMED CT code that applies to the episode, with its term and the day it applies."""

    code: str
    term: str
    recorded_on: str | None


@dataclass(frozen=True)
class GoalOutcome:
    description: str
    status: str
    set_on: str | None
    status_changed_on: str | None


@dataclass(frozen=True)
class ConnectionOutcome:
    """An activity the person was connected to, and how it went."""

    activity: str
    organisation: str | None
    categories: list[str]
    kind: str
    status: str
    suggested_on: str | None
    referred_on: str | None
    attended_on: str | None
    stopped_on: str | None
    feedback: str | None


@dataclass(frozen=True)
class MeasureOutcome:
    """One measure at baseline and at the last follow-up of the episode, with the change."""

    kind: str
    title: str
    baseline_on: str | None
    follow_up_on: str | None
    baseline: measures.Score | None
    follow_up: measures.Score | None
    changes: list[measures.Change]
    copyright: str | None


@dataclass
class GPMessage:
    """Everything the message back to the GP and referrer says about one episode.

    When the person has not consented to share with the GP (``shares_detail`` False) the
    core leaves every detail out: only who the message is about and the SNOMED CT codes.
    """

    person_id: int
    referral_id: int
    generated_on: date
    consent: bool | None  # the recorded consent that applies; None when not recorded
    shares_detail: bool
    given_name: str
    family_name: str
    date_of_birth: str | None
    nhs_number: str | None
    gp_practice: str | None
    received_on: str
    status: str
    codes: list[SnomedEntry]
    source: str | None = None
    referrer_name: str | None = None
    referrer_organisation: str | None = None
    reason: str | None = None
    needs: list[str] = field(default_factory=list)
    urgency: str | None = None
    accepted_on: str | None = None
    declined_on: str | None = None
    decline_reason: str | None = None
    not_reached_on: str | None = None
    discharged_on: str | None = None
    discharge_reason: str | None = None
    discharge_summary: str | None = None
    what_matters: list[str] = field(default_factory=list)
    strengths: list[str] = field(default_factory=list)
    goals: list[GoalOutcome] = field(default_factory=list)
    connections: list[ConnectionOutcome] = field(default_factory=list)
    contacts: int = 0
    attempts: int = 0
    first_contact_on: str | None = None
    last_contact_on: str | None = None
    measures: list[MeasureOutcome] = field(default_factory=list)


def consent_applies(person_value: object, referral_value: object) -> bool | None:
    """Consent to share with the GP, from the person's record and the referral.

    A "no" on either wins (the person may have withdrawn it); otherwise a "yes" on either
    counts; None when neither records an answer (treated as no consent by the message).
    """
    values = [v for v in (person_value, referral_value) if v is not None]
    if not values:
        return None
    return all(bool(v) for v in values)


def snomed_codes(referral: dict[str, Any]) -> list[SnomedEntry]:
    """The SNOMED CT codes that apply to a referral episode (accepted and/or declined)."""
    codes: list[SnomedEntry] = []
    if referral.get("accepted_on") or referral.get("snomed_code") == SNOMED_REFERRED[0]:
        codes.append(SnomedEntry(*SNOMED_REFERRED, referral.get("accepted_on")))
    if referral.get("declined_on") or referral.get("snomed_code") == SNOMED_DECLINED[0]:
        codes.append(SnomedEntry(*SNOMED_DECLINED, referral.get("declined_on")))
    return codes


def _episode_window(referral: dict[str, Any]) -> tuple[str, str]:
    end = (
        referral.get("discharged_on")
        or referral.get("declined_on")
        or referral.get("not_reached_on")
        or "9999-12-31"
    )
    return str(referral["received_on"]), str(end)


def _episode_rows(
    db: Database, table: str, day_column: str, referral: dict[str, Any], order: str
) -> list[dict[str, Any]]:
    # Rows recorded against the referral, plus rows with no referral recorded that fall
    # inside the episode (a measure or goal entered before the referral was linked).
    start, end = _episode_window(referral)
    return list(
        db.query(
            f"SELECT * FROM [{table}] WHERE referral_id = :rid OR (referral_id IS NULL "
            f"AND person_id = :pid AND substr({day_column}, 1, 10) BETWEEN :start AND :end) "
            f"ORDER BY {order}",
            {"rid": referral["id"], "pid": referral["person_id"], "start": start, "end": end},
        )
    )


def _pick_referral(db: Database, person_id: int, referral_id: int | None) -> dict[str, Any]:
    if referral_id is None:
        rows = list(
            db.query(
                "SELECT * FROM referrals WHERE person_id = ? "
                "ORDER BY received_on DESC, id DESC LIMIT 1",
                [person_id],
            )
        )
        if not rows:
            raise LookupError(f"person {person_id} has no referral to report on")
        return rows[0]
    rows = list(db.query("SELECT * FROM referrals WHERE id = ?", [referral_id]))
    if not rows:
        raise LookupError(f"no referral with id {referral_id}")
    if int(rows[0]["person_id"]) != person_id:
        raise LookupError(f"referral {referral_id} is not one of person {person_id}'s referrals")
    return rows[0]


def gp_message(
    db: Database, person_id: int, today: date, referral_id: int | None = None
) -> GPMessage:
    """The message back to the GP and referrer for one episode (the latest by default).

    LookupError names an unknown person or referral, or a referral of someone else.
    """
    people = list(db.query("SELECT * FROM people WHERE id = ?", [person_id]))
    if not people:
        raise LookupError(f"no person with id {person_id}")
    person = people[0]
    referral = _pick_referral(db, person_id, referral_id)
    consent = consent_applies(person["consent_to_share_gp"], referral["consent_to_share_gp"])
    message = GPMessage(
        person_id=person_id,
        referral_id=int(referral["id"]),
        generated_on=today,
        consent=consent,
        shares_detail=bool(consent),
        given_name=person["given_name"],
        family_name=person["family_name"],
        date_of_birth=person["date_of_birth"],
        nhs_number=person["nhs_number"],
        gp_practice=person["gp_practice"],
        received_on=referral["received_on"],
        status=referral["status"],
        codes=snomed_codes(referral),
    )
    if not message.shares_detail:
        return message
    needs = decode_json(referral["needs"], [])
    message.source = referral["source"]
    message.referrer_name = referral["referrer_name"]
    message.referrer_organisation = referral["referrer_organisation"]
    message.reason = referral["reason"]
    message.needs = [str(n) for n in needs] if isinstance(needs, list) else []
    message.urgency = referral["urgency"]
    for name in (
        "accepted_on",
        "declined_on",
        "decline_reason",
        "not_reached_on",
        "discharged_on",
        "discharge_reason",
        "discharge_summary",
    ):
        setattr(message, name, referral[name])
    for talk in _episode_rows(db, "conversations", "held_on", referral, "held_on, id"):
        if talk["what_matters"]:
            message.what_matters.append(talk["what_matters"])
        if talk["strengths"]:
            message.strengths.append(talk["strengths"])
    message.goals = [
        GoalOutcome(g["description"], g["status"], g["set_on"], g["status_changed_on"])
        for g in _episode_rows(db, "goals", "set_on", referral, "set_on, id")
    ]
    start, end = _episode_window(referral)
    for c in db.query(
        "SELECT c.*, a.name AS activity_name, a.organisation AS activity_organisation, "
        "a.categories AS activity_categories FROM connections c "
        "JOIN activities a ON a.id = c.activity_id "
        "WHERE c.referral_id = :rid OR (c.referral_id IS NULL AND c.person_id = :pid "
        "AND c.suggested_on BETWEEN :start AND :end) ORDER BY c.suggested_on, c.id",
        {"rid": referral["id"], "pid": person_id, "start": start, "end": end},
    ):
        categories = decode_json(c["activity_categories"], [])
        message.connections.append(
            ConnectionOutcome(
                activity=c["activity_name"],
                organisation=c["activity_organisation"],
                categories=[str(x) for x in categories] if isinstance(categories, list) else [],
                kind=c["kind"],
                status=c["status"],
                suggested_on=c["suggested_on"],
                referred_on=c["referred_on"],
                attended_on=c["attended_on"],
                stopped_on=c["stopped_on"],
                feedback=c["feedback"],
            )
        )
    row = db.execute(
        "SELECT sum(attempt = 0), sum(attempt = 1), "
        "min(CASE WHEN attempt = 0 THEN contact_at END), "
        "max(CASE WHEN attempt = 0 THEN contact_at END) FROM contacts WHERE referral_id = ?",
        [referral["id"]],
    ).fetchone()
    message.contacts = int(row[0] or 0)
    message.attempts = int(row[1] or 0)
    message.first_contact_on = row[2][:10] if row[2] else None
    message.last_contact_on = row[3][:10] if row[3] else None
    message.measures = _measure_outcomes(
        _episode_rows(db, "measures", "taken_on", referral, "taken_on, id")
    )
    return message


def _measure_outcomes(rows: list[dict[str, Any]]) -> list[MeasureOutcome]:
    """Per measure: the first baseline and the last follow-up, and the change between them."""
    out: list[MeasureOutcome] = []
    for kind in measures.MeasureKind:
        mine = [r for r in rows if r["kind"] == kind.value]
        if not mine:
            continue
        baselines = [r for r in mine if r["stage"] == measures.Stage.BASELINE.value]
        follow_ups = [r for r in mine if r["stage"] == measures.Stage.FOLLOW_UP.value]
        first = baselines[0] if baselines else None
        last = follow_ups[-1] if follow_ups else None
        before = _score(kind.value, first["scores"], first["answers"]) if first else None
        after = _score(kind.value, last["scores"], last["answers"]) if last else None
        changes = measures.change(before, after) if before and after else []
        definition = measures.definition(kind)
        out.append(
            MeasureOutcome(
                kind=kind.value,
                title=definition.short_title,
                baseline_on=first["taken_on"] if first else None,
                follow_up_on=last["taken_on"] if last else None,
                baseline=before,
                follow_up=after,
                changes=changes,
                copyright=definition.copyright,
            )
        )
    return out


# ---------------------------------------------------------------------------------------
# Commissioner caseload report (a period)
# ---------------------------------------------------------------------------------------

AGE_BANDS: list[tuple[int, int | None, str]] = [
    (0, 17, "Under 18"),
    (18, 24, "18-24"),
    (25, 34, "25-34"),
    (35, 44, "35-44"),
    (45, 54, "45-54"),
    (55, 64, "55-64"),
    (65, 74, "65-74"),
    (75, 84, "75-84"),
    (85, None, "85 and over"),
]
NOT_KNOWN = "not_known"

#: The outcome scores a commissioner report compares (ONS4 per item, SWEMWBS metric,
#: UCLA3 total, ONS loneliness), in report order.
OUTCOME_SCORES: list[tuple[str, str]] = [
    (kind.value, name)
    for kind in (
        measures.MeasureKind.ONS4,
        measures.MeasureKind.SWEMWBS,
        measures.MeasureKind.UCLA3,
        measures.MeasureKind.ONS_LONELINESS,
    )
    for name in measures.comparable_names(kind)
]


def age_band(age: int | None) -> str:
    """The reporting band of an age in whole years ('not_known' for none)."""
    if age is None or age < 0:
        return NOT_KNOWN
    for low, high, name in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return name
    return NOT_KNOWN  # pragma: no cover


@dataclass(frozen=True)
class OutcomeChange:
    """Baseline to last follow-up over the episodes whose follow-up fell in the period."""

    kind: str
    name: str
    higher_is_better: bool
    n: int
    mean_baseline: float | None
    mean_follow_up: float | None
    mean_change: float | None
    improved: int
    worse: int
    same: int


@dataclass(frozen=True)
class CategoryConnections:
    category: str
    connections: int
    attended: int


@dataclass(frozen=True)
class EpisodeRow:
    """One referral episode active in the period (only for identifiable reports)."""

    referral_id: int
    person_id: int
    name: str
    date_of_birth: str | None
    nhs_number: str | None
    postcode: str | None
    sex: str | None
    ethnicity: str | None
    source: str
    received_on: str
    status_at_end: str
    accepted_on: str | None
    declined_on: str | None
    not_reached_on: str | None
    discharged_on: str | None
    discharge_reason: str | None
    first_contact_on: str | None
    contacts: int


@dataclass
class CaseloadReport:
    """The commissioner's figures for one period (exact counts; disclosure is applied later)."""

    period: Period
    generated_on: date
    # Needs and concerns
    referrals_received: int = 0
    referrals_by_month: dict[str, int] = field(default_factory=dict)
    referrals_by_source: dict[str, int] = field(default_factory=dict)
    referrals_by_need: dict[str, int] = field(default_factory=dict)
    # Support offered
    accepted: int = 0
    declined: int = 0
    not_reached: int = 0
    active_at_end: int = 0
    awaiting_at_end: int = 0
    contacts_total: int = 0
    people_contacted: int = 0
    contacts_per_person_median: float | None = None
    first_contact_n: int = 0
    first_contact_days_median: float | None = None
    connections_total: int = 0
    connections_attended: int = 0
    people_connected: int = 0
    connections_by_category: list[CategoryConnections] = field(default_factory=list)
    # Outcomes
    discharges: int = 0
    discharges_by_reason: dict[str, int] = field(default_factory=dict)
    completed_episodes: int = 0
    completed_contacts_median: float | None = None
    completed_within_norm: int = 0
    completed_below_norm: int = 0
    completed_above_norm: int = 0
    outcomes: list[OutcomeChange] = field(default_factory=list)
    # Person demographics (people with a referral received in the period)
    people_referred: int = 0
    age_bands: dict[str, int] = field(default_factory=dict)
    sex: dict[str, int] = field(default_factory=dict)
    ethnicity: dict[str, int] = field(default_factory=dict)
    outward_codes: dict[str, int] = field(default_factory=dict)
    episodes: list[EpisodeRow] | None = None


def _counts(db: Database, sql: str, params: dict[str, Any]) -> dict[str, int]:
    return {
        (str(k) if k not in (None, "") else NOT_KNOWN): int(n)
        for k, n in db.execute(sql, params).fetchall()
    }


def _merge_counts(pairs: list[tuple[Any, int]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for key, n in pairs:
        name = str(key) if key not in (None, "") else NOT_KNOWN
        out[name] = out.get(name, 0) + int(n)
    return out


_VALID_NEEDS = "CASE WHEN json_valid(r.needs) THEN r.needs ELSE '[]' END"
_VALID_CATEGORIES = "CASE WHEN json_valid(a.categories) THEN a.categories ELSE '[]' END"


def caseload_report(
    db: Database,
    period: Period,
    today: date,
    *,
    with_episodes: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> CaseloadReport:
    """Every figure of the commissioner report for ``period``, aggregated in SQL.

    Definitions (also in the README): referrals *received* in the period; accepted, declined
    and not reached by the date of that event; active caseload = people with an accepted,
    undischarged referral on the last day; contacts are real contacts (not unanswered
    attempts); outcomes pair each episode's first baseline with its last follow-up when that
    follow-up was taken in the period. ``with_episodes`` adds the record-level list (names
    included) that only an identifiable report may show.
    """
    p = {
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "after": (period.end + timedelta(days=1)).isoformat(),
    }
    report = CaseloadReport(period=period, generated_on=today)
    steps = 9
    step = 0

    def done() -> None:
        nonlocal step
        step += 1
        if progress:
            progress(step, steps)

    # --- Needs and concerns: referrals received -------------------------------------
    by_month = _counts(
        db,
        "SELECT substr(received_on, 1, 7), count(*) FROM referrals "
        "WHERE received_on BETWEEN :start AND :end GROUP BY 1",
        p,
    )
    report.referrals_by_month = {m: by_month.get(m, 0) for m in period.months}
    report.referrals_received = sum(by_month.values())
    report.referrals_by_source = _counts(
        db,
        "SELECT source, count(*) FROM referrals WHERE received_on BETWEEN :start AND :end "
        "GROUP BY 1 ORDER BY 2 DESC, 1",
        p,
    )
    report.referrals_by_need = _merge_counts(
        db.execute(
            f"SELECT j.value, count(*) FROM referrals r, json_each({_VALID_NEEDS}) j "
            "WHERE r.received_on BETWEEN :start AND :end GROUP BY 1 "
            f"UNION ALL SELECT NULL, count(*) FROM referrals r "
            f"WHERE r.received_on BETWEEN :start AND :end "
            f"AND json_array_length({_VALID_NEEDS}) = 0",
            p,
        ).fetchall()
    )
    report.referrals_by_need = dict(
        sorted(
            ((k, n) for k, n in report.referrals_by_need.items() if n),
            key=lambda kv: (-kv[1], kv[0]),
        )
    )
    done()

    # --- Support offered -------------------------------------------------------------
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
    done()

    row = db.execute(
        "SELECT count(*), count(DISTINCT person_id) FROM contacts "
        "WHERE attempt = 0 AND contact_at >= :start AND contact_at < :after",
        p,
    ).fetchone()
    report.contacts_total, report.people_contacted = int(row[0]), int(row[1])
    report.contacts_per_person_median = median_of_histogram(
        _histogram(
            db,
            "SELECT n, count(*) FROM (SELECT person_id, count(*) AS n FROM contacts "
            "WHERE attempt = 0 AND contact_at >= :start AND contact_at < :after "
            "GROUP BY person_id) GROUP BY n",
            p,
        )
    )
    done()

    first_contact = _histogram(
        db,
        "SELECT days, count(*) FROM (SELECT CAST(julianday(substr(min(c.contact_at), 1, 10)) "
        "  - julianday(r.received_on) AS INTEGER) AS days "
        "  FROM referrals r JOIN contacts c ON c.referral_id = r.id AND c.attempt = 0 "
        "  AND c.contact_at < :after "
        "  WHERE r.received_on BETWEEN :start AND :end GROUP BY r.id) GROUP BY days",
        p,
    )
    report.first_contact_n = sum(first_contact.values())
    report.first_contact_days_median = median_of_histogram(first_contact)
    done()

    attended = (
        "(c.attended_on IS NOT NULL AND c.attended_on <= :end OR "
        "(c.attended_on IS NULL AND c.status IN ('attended', 'attending')))"
    )
    row = db.execute(
        f"SELECT count(*), sum({attended}), count(DISTINCT c.person_id) FROM connections c "
        "WHERE c.suggested_on BETWEEN :start AND :end",
        p,
    ).fetchone()
    report.connections_total = int(row[0] or 0)
    report.connections_attended = int(row[1] or 0)
    report.people_connected = int(row[2] or 0)
    report.connections_by_category = [
        CategoryConnections(str(cat) if cat else "Uncategorised", int(n), int(a or 0))
        for cat, n, a in db.execute(
            f"SELECT j.value, count(DISTINCT c.id), "
            f"count(DISTINCT CASE WHEN {attended} THEN c.id END) "
            "FROM connections c JOIN activities a ON a.id = c.activity_id "
            f"LEFT JOIN json_each({_VALID_CATEGORIES}) j "
            "WHERE c.suggested_on BETWEEN :start AND :end GROUP BY 1 ORDER BY 2 DESC, 1",
            p,
        ).fetchall()
    ]
    done()

    # --- Outcomes ----------------------------------------------------------------------
    report.discharges_by_reason = _counts(
        db,
        "SELECT discharge_reason, count(*) FROM referrals "
        "WHERE discharged_on BETWEEN :start AND :end GROUP BY 1 ORDER BY 2 DESC, 1",
        p,
    )
    episode_contacts = _histogram(
        db,
        "SELECT n, count(*) FROM (SELECT (SELECT count(*) FROM contacts c "
        "  WHERE c.referral_id = r.id AND c.attempt = 0 AND c.contact_at < :after) AS n "
        "  FROM referrals r WHERE r.discharged_on BETWEEN :start AND :end) GROUP BY n",
        p,
    )
    low, high = CONTACT_NORM
    report.completed_episodes = sum(episode_contacts.values())
    report.completed_contacts_median = median_of_histogram(episode_contacts)
    report.completed_within_norm = sum(c for n, c in episode_contacts.items() if low <= n <= high)
    report.completed_below_norm = sum(c for n, c in episode_contacts.items() if n < low)
    report.completed_above_norm = sum(c for n, c in episode_contacts.items() if n > high)
    done()

    report.outcomes = _outcome_changes(db, p)
    done()

    # --- Person demographics: people with a referral received in the period -------------
    referred = (
        "WITH referred AS (SELECT person_id, min(received_on) AS first_on FROM referrals "
        "WHERE received_on BETWEEN :start AND :end GROUP BY person_id) "
    )
    ages = db.execute(
        referred + "SELECT CASE WHEN p.date_of_birth IS NULL OR p.date_of_birth = '' THEN NULL "
        "ELSE CAST(substr(x.first_on, 1, 4) AS INTEGER) "
        "  - CAST(substr(p.date_of_birth, 1, 4) AS INTEGER) "
        "  - (substr(x.first_on, 6, 5) < substr(p.date_of_birth, 6, 5)) END AS age, count(*) "
        "FROM referred x JOIN people p ON p.id = x.person_id GROUP BY 1",
        p,
    ).fetchall()
    report.age_bands = _merge_counts([(age_band(a) if a is not None else None, n) for a, n in ages])
    report.people_referred = sum(report.age_bands.values())
    report.sex = _counts(
        db,
        referred + "SELECT p.sex, count(*) FROM referred x JOIN people p ON p.id = x.person_id "
        "GROUP BY 1 ORDER BY 2 DESC, 1",
        p,
    )
    report.ethnicity = _counts(
        db,
        referred + "SELECT p.ethnicity, count(*) FROM referred x "
        "JOIN people p ON p.id = x.person_id GROUP BY 1 ORDER BY 2 DESC, 1",
        p,
    )
    report.outward_codes = _counts(
        db,
        referred + "SELECT CASE WHEN instr(trim(p.postcode), ' ') > 1 "
        "THEN upper(substr(trim(p.postcode), 1, instr(trim(p.postcode), ' ') - 1)) END, "
        "count(*) FROM referred x JOIN people p ON p.id = x.person_id GROUP BY 1 ORDER BY 1",
        p,
    )
    done()

    if with_episodes:
        report.episodes = _episodes(db, p)
    done()
    return report


def _outcome_changes(db: Database, p: dict[str, Any]) -> list[OutcomeChange]:
    names = ", ".join(f"('{kind}', '{name}')" for kind, name in OUTCOME_SCORES)
    # Ids, not the JSON, travel through the sorts; the scores are read once per pair.
    rows = db.execute(
        "WITH ranked AS (SELECT m.id, m.kind, m.stage, m.taken_on, "
        "  coalesce(m.referral_id, -m.person_id) AS episode, "
        "  row_number() OVER (PARTITION BY coalesce(m.referral_id, -m.person_id), m.kind, m.stage "
        # Baselines: the first taken (earliest day, then first recorded); follow-ups: the last.
        "    ORDER BY CASE WHEN m.stage = 'baseline' THEN m.taken_on END, "
        "    CASE WHEN m.stage = 'baseline' THEN m.id END, m.taken_on DESC, m.id DESC) AS rn "
        "  FROM measures m WHERE m.taken_on <= :end), "
        # One row per episode and measure: its first baseline and last follow-up.
        "firsts AS (SELECT kind, "
        "  max(CASE WHEN stage = 'baseline' THEN id END) AS before_id, "
        "  max(CASE WHEN stage = 'follow_up' THEN id END) AS after_id, "
        "  max(CASE WHEN stage = 'follow_up' THEN taken_on END) AS follow_up_on "
        "  FROM ranked WHERE rn = 1 GROUP BY episode, kind), "
        "pairs AS MATERIALIZED (SELECT x.kind, b.scores AS before, f.scores AS after "
        "  FROM firsts x JOIN measures b ON b.id = x.before_id "
        "  JOIN measures f ON f.id = x.after_id "
        "  WHERE x.follow_up_on BETWEEN :start AND :end "
        "  AND json_valid(b.scores) AND json_valid(f.scores)), "
        f"names(kind, name) AS (VALUES {names}), "
        # Materialised, so each json_extract runs once a row rather than once a use.
        "paired AS MATERIALIZED (SELECT n.kind, n.name, "
        "  json_extract(x.before, '$.values.' || n.name) AS b, "
        "  json_extract(x.after, '$.values.' || n.name) AS f "
        "  FROM pairs x JOIN names n ON n.kind = x.kind) "
        "SELECT kind, name, count(*), avg(b), avg(f), avg(f - b), sum(f > b), sum(f < b), "
        "  sum(f = b) FROM paired WHERE b IS NOT NULL AND f IS NOT NULL GROUP BY kind, name",
        p,
    ).fetchall()
    found = {(r[0], r[1]): r for r in rows}
    out: list[OutcomeChange] = []
    for kind, name in OUTCOME_SCORES:
        better_high = measures.HIGHER_IS_BETTER[(measures.MeasureKind(kind), name)]
        r = found.get((kind, name))
        if r is None:
            out.append(OutcomeChange(kind, name, better_high, 0, None, None, None, 0, 0, 0))
            continue
        up, down = int(r[6] or 0), int(r[7] or 0)
        out.append(
            OutcomeChange(
                kind=kind,
                name=name,
                higher_is_better=better_high,
                n=int(r[2]),
                mean_baseline=float(r[3]),
                mean_follow_up=float(r[4]),
                mean_change=float(r[5]),
                improved=up if better_high else down,
                worse=down if better_high else up,
                same=int(r[8] or 0),
            )
        )
    return out


def _episodes(db: Database, p: dict[str, Any]) -> list[EpisodeRow]:
    rows = db.query(
        "SELECT r.id, r.person_id, p.given_name || ' ' || p.family_name AS name, "
        "p.date_of_birth, p.nhs_number, p.postcode, p.sex, p.ethnicity, r.source, "
        "r.received_on, r.accepted_on, r.declined_on, r.not_reached_on, r.discharged_on, "
        "r.discharge_reason, "
        "CASE WHEN r.discharged_on <= :end THEN 'discharged' "
        "  WHEN r.declined_on <= :end THEN 'declined' "
        "  WHEN r.not_reached_on <= :end THEN 'not_reached' "
        "  WHEN r.accepted_on <= :end THEN 'accepted' ELSE 'awaiting' END AS status_at_end, "
        "(SELECT substr(min(c.contact_at), 1, 10) FROM contacts c WHERE c.referral_id = r.id "
        "  AND c.attempt = 0 AND c.contact_at < :after) AS first_contact_on, "
        "(SELECT count(*) FROM contacts c WHERE c.referral_id = r.id AND c.attempt = 0 "
        "  AND c.contact_at < :after) AS contacts "
        "FROM referrals r JOIN people p ON p.id = r.person_id "
        "WHERE r.received_on <= :end "
        "AND coalesce(r.discharged_on, r.declined_on, r.not_reached_on, '9999') >= :start "
        "ORDER BY r.received_on, r.id",
        p,
    )
    return [
        EpisodeRow(
            referral_id=int(r["id"]),
            person_id=int(r["person_id"]),
            name=r["name"],
            date_of_birth=r["date_of_birth"],
            nhs_number=r["nhs_number"],
            postcode=r["postcode"],
            sex=r["sex"],
            ethnicity=r["ethnicity"],
            source=r["source"],
            received_on=r["received_on"],
            status_at_end=r["status_at_end"],
            accepted_on=r["accepted_on"],
            declined_on=r["declined_on"],
            not_reached_on=r["not_reached_on"],
            discharged_on=r["discharged_on"],
            discharge_reason=r["discharge_reason"],
            first_contact_on=r["first_contact_on"],
            contacts=int(r["contacts"]),
        )
        for r in rows
    ]


# ---------------------------------------------------------------------------------------
# Disclosure control: small-number suppression
# ---------------------------------------------------------------------------------------

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
