"""The caseload's coded words: every labelled enum, with no pydantic behind them.

A ``Labelled`` enum stores its stable lower-case code and shows the link worker its
``label``. They all live here, in one place: the codes the agenda, the header and the start
path read (how a follow-up or contact is made, where a referral came from, its status, a
person's flags), so that painting Today needs neither pydantic nor the models, and the rest
of the record's vocabulary (urgency, needs, discharge reasons, connections, goals and
barriers, sex, ethnic group, contact preference). :mod:`linkworker.models` re-exports every
name, so ``from linkworker.models import ReferralStatus`` still works.
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


class Urgency(Labelled):
    ROUTINE = "routine"
    SOON = "soon"
    URGENT = "urgent"


set_labels(Urgency, {"soon": "Soon (within a week)", "urgent": "Urgent (within 2 working days)"})


class DischargeReason(Labelled):
    GOALS_MET = "goals_met"
    DISENGAGED = "disengaged"
    MOVED_AWAY = "moved_away"
    REFERRED_ON = "referred_on"
    DECLINED_FURTHER_SUPPORT = "declined_further_support"
    DIED = "died"
    OTHER = "other"


set_labels(DischargeReason, {"goals_met": "Goals met"})


class NeedDomain(Labelled):
    LONELINESS = "loneliness"
    MENTAL_WELLBEING = "mental_wellbeing"
    PHYSICAL_ACTIVITY = "physical_activity"
    MONEY_DEBT = "money_debt"
    HOUSING = "housing"
    EMPLOYMENT = "employment"
    BEREAVEMENT = "bereavement"
    CARING = "caring"
    LONG_TERM_CONDITION = "long_term_condition"
    OTHER = "other"


set_labels(
    NeedDomain,
    {
        "loneliness": "Loneliness and isolation",
        "mental_wellbeing": "Mental wellbeing",
        "physical_activity": "Physical activity",
        "money_debt": "Money and debt",
        "housing": "Housing",
        "employment": "Employment and volunteering",
        "bereavement": "Bereavement",
        "caring": "Caring",
        "long_term_condition": "Long-term condition",
        "other": "Other",
    },
)


class ConnectionKind(Labelled):
    SIGNPOST = "signpost"
    REFERRAL = "referral"


class ConnectionStatus(Labelled):
    SUGGESTED = "suggested"
    REFERRED = "referred"
    ATTENDED = "attended"
    ATTENDING = "attending"
    STOPPED = "stopped"


set_labels(ConnectionStatus, {"attending": "Still attending"})


class Barrier(Labelled):
    TRANSPORT = "transport"
    COST = "cost"
    CONFIDENCE = "confidence"
    LANGUAGE = "language"
    ACCESS = "access"
    OTHER = "other"


class GoalStatus(Labelled):
    OPEN = "open"
    ACHIEVED = "achieved"
    CHANGED = "changed"
    DROPPED = "dropped"


class ActionOwner(Labelled):
    PERSON = "person"
    LINK_WORKER = "link_worker"
    SOMEONE_ELSE = "someone_else"


set_labels(ActionOwner, {"person": "The person", "link_worker": "Link worker"})


class Sex(Labelled):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    NOT_KNOWN = "not_known"
    NOT_STATED = "not_stated"


class Ethnicity(Labelled):
    """The 2021 Census (England) high-level ethnic groups, as NHS datasets use them."""

    ASIAN = "asian"
    BLACK = "black"
    MIXED = "mixed"
    WHITE = "white"
    OTHER = "other"
    NOT_STATED = "not_stated"


set_labels(
    Ethnicity,
    {
        "asian": "Asian or Asian British",
        "black": "Black, Black British, Caribbean or African",
        "mixed": "Mixed or multiple ethnic groups",
        "white": "White",
        "other": "Other ethnic group",
        "not_stated": "Not stated",
    },
)


class EthnicGroup(Labelled):
    """The 2021 Census ethnic groups of England and Wales: 19 groups under 5 headings.

    Each code starts with its heading's code (``asian_indian`` is under ``asian``), so the
    heading (:class:`Ethnicity`, what the commissioner report counts) follows from the group.
    """

    ASIAN_BANGLADESHI = "asian_bangladeshi"
    ASIAN_CHINESE = "asian_chinese"
    ASIAN_INDIAN = "asian_indian"
    ASIAN_PAKISTANI = "asian_pakistani"
    ASIAN_OTHER = "asian_other"
    BLACK_AFRICAN = "black_african"
    BLACK_CARIBBEAN = "black_caribbean"
    BLACK_OTHER = "black_other"
    MIXED_WHITE_ASIAN = "mixed_white_asian"
    MIXED_WHITE_BLACK_AFRICAN = "mixed_white_black_african"
    MIXED_WHITE_BLACK_CARIBBEAN = "mixed_white_black_caribbean"
    MIXED_OTHER = "mixed_other"
    WHITE_BRITISH = "white_british"
    WHITE_IRISH = "white_irish"
    WHITE_GYPSY_TRAVELLER = "white_gypsy_traveller"
    WHITE_ROMA = "white_roma"
    WHITE_OTHER = "white_other"
    OTHER_ARAB = "other_arab"
    OTHER_ANY = "other_any"
    NOT_STATED = "not_stated"

    @property
    def heading(self) -> Ethnicity:
        """The Census heading this group is listed under (Not stated stays not stated)."""
        if self is EthnicGroup.NOT_STATED:
            return Ethnicity.NOT_STATED
        return Ethnicity(self.value.split("_", 1)[0])


# The heading leads each label, so the 5 headings show in a one-level list.
set_labels(
    EthnicGroup,
    {
        "asian_bangladeshi": "Asian: Bangladeshi",
        "asian_chinese": "Asian: Chinese",
        "asian_indian": "Asian: Indian",
        "asian_pakistani": "Asian: Pakistani",
        "asian_other": "Asian: any other Asian background",
        "black_african": "Black: African",
        "black_caribbean": "Black: Caribbean",
        "black_other": "Black: any other Black, Black British or Caribbean background",
        "mixed_white_asian": "Mixed: White and Asian",
        "mixed_white_black_african": "Mixed: White and Black African",
        "mixed_white_black_caribbean": "Mixed: White and Black Caribbean",
        "mixed_other": "Mixed: any other Mixed or multiple ethnic background",
        "white_british": "White: English, Welsh, Scottish, Northern Irish or British",
        "white_irish": "White: Irish",
        "white_gypsy_traveller": "White: Gypsy or Irish Traveller",
        "white_roma": "White: Roma",
        "white_other": "White: any other White background",
        "other_arab": "Other ethnic group: Arab",
        "other_any": "Other ethnic group: any other ethnic group",
        "not_stated": "Not stated",
    },
)


class ContactPreference(Labelled):
    PHONE = "phone"
    TEXT = "text"
    EMAIL = "email"
    LETTER = "letter"
    VIA_CARER = "via_carer"
