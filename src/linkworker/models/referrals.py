"""A referral: where it came from, why (needs by domain), its lifecycle and how it closes."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator

from linkworker.models.base import DaySoFar, DaySoFarIfTold, Model, parsed
from linkworker.vocabulary import (
    DischargeReason,
    NeedDomain,
    ReferralSource,
    Urgency,
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
