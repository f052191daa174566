"""A referral: where it came from, why (needs by domain), its lifecycle and how it closes."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator

from linkworker.models.base import DaySoFar, DaySoFarIfTold, Labelled, Model, parsed, set_labels
from linkworker.vocabulary import (
    ReferralSource,
)


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

SNOMED_REFERRED = ("871731000000106", "Referral to social prescribing service (procedure)")
SNOMED_DECLINED = ("871711000000103", "Social prescribing declined (situation)")


class ReferralDetails(Model):
    """A referral as received: who sent it, when, why."""

    source: Annotated[ReferralSource, parsed(ReferralSource)]
    referrer_name: str | None = Field(default=None, max_length=200)
    referrer_organisation: str | None = Field(default=None, max_length=200)
    received_on: DaySoFar
    needs: list[NeedDomain] = Field(default_factory=list)
    urgency: Urgency = Urgency.ROUTINE
    reason: str | None = Field(default=None, max_length=5000)
    consent_to_share_gp: bool | None = None

    @field_validator("needs", mode="before")
    @classmethod
    def _needs(cls, value: object) -> object:
        if isinstance(value, str):
            return [NeedDomain.parse(p) for p in value.replace(";", ",").split(",") if p.strip()]
        return value


class DecisionDetails(Model):
    """The day a referral is accepted, declined or closed as not reached, and why (declines)."""

    on: DaySoFarIfTold
    reason: str | None = Field(default=None, max_length=5000)


class DischargeDetails(Model):
    """Closing an accepted referral: when, why, and a summary of the episode."""

    on: DaySoFarIfTold
    reason: Annotated[DischargeReason, parsed(DischargeReason)]
    summary: str | None = Field(default=None, max_length=20_000)
