"""What each report says, as plain data: the gatherers in this package fill these shapes
from the store, and the writers in :mod:`linkworker.formats` read them (no database here).

* :class:`GPMessage`: the message back to the GP and referrer for one referral episode.
* :class:`CaseloadReport`: the commissioner's figures for a period, exact (disclosure
  control is applied when the report is laid out).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from linkworker import measures
from linkworker.reports.period import Period

# --- Message back to GP and referrer ---------------------------------------------------


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


@dataclass(frozen=True)
class FlagEntry:
    """A flag on the person's record that is still raised (left out of the message unless
    the worker includes it; its note never goes unless included too)."""

    kind: str
    raised_on: str
    note: str | None


@dataclass(frozen=True)
class NoteEntry:
    """A note the worker wrote on a contact of the episode (third-party words, often)."""

    on: str
    text: str


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
    flags: list[FlagEntry] = field(default_factory=list)
    notes: list[NoteEntry] = field(default_factory=list)
    #: The person's communication and information needs, a line each (shared with consent,
    #: as the Accessible Information Standard asks).
    information_needs: list[str] = field(default_factory=list)
    #: The sender's lines (``Settings.signature()``): name, role and organisation, contact.
    sender: list[str] = field(default_factory=list)
    #: The worker chose to send only who it is about and the codes (consent or not).
    codes_only: bool = False
    #: Measure -> the code the practice records it under (``Settings.outcome_codes``).
    outcome_codes: dict[str, str] = field(default_factory=dict)


# --- Commissioner caseload report ------------------------------------------------------

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


class OutcomeChange(NamedTuple):
    """Baseline to last follow-up over the episodes whose follow-up fell in the period.

    A named tuple, as :class:`OutcomeMonth` is: a hub works these out for every bundle."""

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
    #: How many of the n fall in each calendar month of the period (by follow-up day).
    by_month: tuple[int, ...] = ()
    #: In a team's report, how many of the n each worker's bundle holds (else empty): a
    #: mean is withheld when one worker's part is small, as when one month's part is.
    by_worker: tuple[int, ...] = ()


class OutcomeMonth(NamedTuple):
    """One outcome score over the episodes whose last follow-up fell in one month: the sums
    that add up across months and across workers (a mean is a sum over its n).

    A named tuple, not a dataclass: a hub reads some 70 of these from each of hundreds of
    bundles, and a tuple is made in a third of the time."""

    kind: str
    name: str
    month: str  # 'YYYY-MM'
    n: int
    sum_baseline: float
    sum_follow_up: float
    up: int  # follow-up above baseline
    down: int
    same: int


@dataclass(frozen=True)
class Involvement:
    """CollaboRATE over the conversations rated in the period (complete ratings only)."""

    n: int = 0
    top_score: int = 0  # ratings with all three answers 9
    mean: float | None = None  # the mean of the ratings' means (0-9)
    #: How many of the n fall in each calendar month of the period.
    by_month: tuple[int, ...] = ()
    #: In a team's report, how many of the n each worker's bundle holds (else empty).
    by_worker: tuple[int, ...] = ()


@dataclass(frozen=True)
class InvolvementMonth:
    """The CollaboRATE ratings of one month: the sums that add up across months and across
    workers (the mean is the sum of the ratings' means over n)."""

    month: str  # 'YYYY-MM'
    n: int
    top_score: int
    sum_of_means: float


def involvement_of(months: Iterable[InvolvementMonth], period_months: Sequence[str]) -> Involvement:
    """Involvement over the period from its month-by-month sums (one worker's, or a team's
    added up month by month), the months taken in order."""
    by_month = {m.month: m for m in months}
    rated = [by_month[m] for m in sorted(by_month)]
    n = sum(m.n for m in rated)
    return Involvement(
        n=n,
        top_score=sum(m.top_score for m in rated),
        mean=sum(m.sum_of_means for m in rated) / n if n else None,
        by_month=tuple(by_month[m].n if m in by_month else 0 for m in period_months),
    )


@dataclass(frozen=True)
class MeasuresRecorded:
    """Outcome measures due in the period and how many were recorded
    (``key``: "baseline" for episodes accepted, "discharge" for episodes discharged)."""

    key: str
    due: int
    recorded: int


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
    #: {contacts in the period: how many people had that many}, the median's histogram.
    contacts_per_person: dict[int, int] = field(default_factory=dict)
    first_contact_n: int = 0
    first_contact_days_median: float | None = None
    #: {days from referral to first contact: how many referrals}.
    first_contact_days: dict[int, int] = field(default_factory=dict)
    connections_total: int = 0
    connections_attended: int = 0
    people_connected: int = 0
    connections_by_category: list[CategoryConnections] = field(default_factory=list)
    # Outcomes
    discharges: int = 0
    discharges_by_reason: dict[str, int] = field(default_factory=dict)
    completed_episodes: int = 0
    completed_contacts_median: float | None = None
    #: {contacts in the episode: how many episodes ended by discharge in the period}.
    completed_contacts: dict[int, int] = field(default_factory=dict)
    completed_within_norm: int = 0
    completed_below_norm: int = 0
    completed_above_norm: int = 0
    outcomes: list[OutcomeChange] = field(default_factory=list)
    involvement: Involvement = field(default_factory=Involvement)
    #: What ``involvement`` is worked out from, one row a month with ratings.
    involvement_months: list[InvolvementMonth] = field(default_factory=list)
    measures_recorded: list[MeasuresRecorded] = field(default_factory=list)
    #: What ``outcomes`` is worked out from, one row a score and month.
    outcome_months: list[OutcomeMonth] = field(default_factory=list)
    # Person demographics (people with a referral received in the period)
    people_referred: int = 0
    age_bands: dict[str, int] = field(default_factory=dict)
    sex: dict[str, int] = field(default_factory=dict)
    ethnicity: dict[str, int] = field(default_factory=dict)
    outward_codes: dict[str, int] = field(default_factory=dict)
    episodes: list[EpisodeRow] | None = None
    # Community development (the worker's time that is no one person's case): kind ->
    # (sessions, minutes), every kind listed.
    community: dict[str, tuple[int, int]] = field(default_factory=dict)
