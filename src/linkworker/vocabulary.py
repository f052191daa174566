"""The words of the caseload that Today shows: labelled enums with no pydantic behind them.

A ``Labelled`` enum stores its stable lower-case code and shows the link worker its
``label``. The codes the agenda, the header and the start path read (how a follow-up or
contact is made, where a referral came from, its status, a person's flags) live here so
that painting Today needs neither pydantic nor the models; :mod:`linkworker.models`
re-exports every name, so ``from linkworker.models import ReferralStatus`` still works.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self


class Labelled(StrEnum):
    """A StrEnum whose members carry the words a link worker reads."""

    @property
    def label(self) -> str:
        labels: dict[str, str] = getattr(type(self), "_labels", {})
        return labels.get(self.value, self.value.replace("_", " ").capitalize())

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """(label, value) pairs in declaration order, for select widgets."""
        return [(m.label, m.value) for m in cls]

    @classmethod
    def parse(cls, text: str) -> Self:
        """Accept a value ("gp_practice") or a label ("GP practice"), any case."""
        key = text.strip().lower()
        for m in cls:
            if key in (m.value, m.label.lower(), m.value.replace("_", " ")):
                return m
        allowed = ", ".join(m.value for m in cls)
        raise ValueError(f"'{text.strip()}' is not one of: {allowed}")


def set_labels(enum: type[Labelled], labels: dict[str, str]) -> None:
    """The words shown for an enum's codes (codes not given read as 'Gp practice')."""
    enum._labels = labels  # type: ignore[attr-defined]


class ContactMode(Labelled):
    PHONE = "phone"
    VENUE = "venue"
    HOME_VISIT = "home_visit"
    VIDEO = "video"
    WALK_AND_TALK = "walk_and_talk"
    TEXT = "text"


set_labels(
    ContactMode,
    {
        "phone": "Phone",
        "venue": "Face to face at a venue",
        "home_visit": "Home visit",
        "video": "Video",
        "walk_and_talk": "Walk and talk",
        "text": "Text message",
    },
)

#: A follow-up is booked as the contact it will be: the same codes and the same words.
FollowUpKind = ContactMode


class FollowUpStatus(Labelled):
    PLANNED = "planned"
    DONE = "done"
    MISSED = "missed"
    CANCELLED = "cancelled"


class ReferralSource(Labelled):
    GP_PRACTICE = "gp_practice"
    PRACTICE_NURSE = "practice_nurse"
    PHARMACY = "pharmacy"
    HOSPITAL_DISCHARGE = "hospital_discharge"
    ALLIED_HEALTH = "allied_health"
    SOCIAL_CARE = "social_care"
    HOUSING = "housing"
    POLICE_FIRE = "police_fire"
    JOB_CENTRE = "job_centre"
    VCSE = "vcse"
    SELF = "self"
    FAMILY_FRIEND = "family_friend"
    OTHER = "other"


set_labels(
    ReferralSource,
    {
        "gp_practice": "GP practice",
        "practice_nurse": "Practice nurse",
        "pharmacy": "Pharmacy",
        "hospital_discharge": "Hospital discharge team",
        "allied_health": "Allied health professional",
        "social_care": "Social care",
        "housing": "Housing",
        "police_fire": "Police or fire service",
        "job_centre": "Job centre",
        "vcse": "Voluntary or community organisation",
        "self": "Self-referral",
        "family_friend": "Family or friend",
        "other": "Other",
    },
)


class ReferralStatus(Labelled):
    RECEIVED = "received"
    CONTACTING = "contacting"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    NOT_REACHED = "not_reached"
    DISCHARGED = "discharged"


set_labels(ReferralStatus, {"not_reached": "Not reached"})

#: Statuses in which a referral is still being worked (the "open" caseload).
OPEN_STATUSES = (ReferralStatus.RECEIVED, ReferralStatus.CONTACTING, ReferralStatus.ACCEPTED)
#: Statuses in which an episode is over and a new referral opens a new one.
CLOSED_STATUSES = (ReferralStatus.DECLINED, ReferralStatus.NOT_REACHED, ReferralStatus.DISCHARGED)
#: The open statuses as an SQL list, ``r.status IN ('received', ...)``.
OPEN_REFERRAL_SQL = "(" + ", ".join(f"'{s.value}'" for s in OPEN_STATUSES) + ")"


def open_episode_connection_sql(c: str = "c") -> str:
    """The SQL condition on a connection (alias ``c``) that is not stopped and belongs to an
    open episode (``directory.connections.ask_did_they_go_sql`` adds that it is not struck
    out, for callers whose query does not already say so)."""
    return (
        f"{c}.status != 'stopped' AND ("
        f"EXISTS (SELECT 1 FROM referrals r WHERE r.id = {c}.referral_id "
        f"AND r.status IN {OPEN_REFERRAL_SQL}) OR ({c}.referral_id IS NULL AND EXISTS ("
        f"SELECT 1 FROM referrals r WHERE r.person_id = {c}.person_id "
        f"AND r.status IN {OPEN_REFERRAL_SQL})))"
    )


class FlagKind(Labelled):
    SAFEGUARDING = "safeguarding"
    LONE_WORKING = "lone_working"
    OTHER = "other"


set_labels(FlagKind, {"lone_working": "Lone-working risk"})

#: Flags are shown as a symbol *and* a word, so colour is never the only cue.
FLAG_SYMBOLS = {
    "safeguarding": "⚠ SAFEGUARDING",
    "lone_working": "◆ LONE WORKING",
    "other": "● FLAG",
}
