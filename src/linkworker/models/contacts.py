"""A contact with the person, or an attempt that did not reach them."""

from __future__ import annotations

from datetime import date

from pydantic import Field, ValidationInfo, field_validator

from linkworker import validation as v
from linkworker.models.base import Labelled, Model, context_today
from linkworker.vocabulary import ContactMode


class AttemptOutcome(Labelled):
    """What happened when a contact attempt did not reach the person."""

    NO_ANSWER = "no_answer"
    LEFT_MESSAGE = "left_message"
    WRONG_NUMBER = "wrong_number"
    DID_NOT_ATTEND = "did_not_attend"
    OTHER = "other"


class Initiator(Labelled):
    LINK_WORKER = "link_worker"
    PERSON = "person"
    OTHER = "other"


class ContactDetails(Model):
    """A contact with the person (or an attempt that did not reach them)."""

    contact_at: str  # ISO date or date-time, local time
    mode: ContactMode
    attempt: bool = False
    outcome: AttemptOutcome | None = None
    duration_minutes: int | None = Field(default=None, ge=0, le=24 * 60)
    initiated_by: Initiator = Initiator.LINK_WORKER
    note: str | None = Field(default=None, max_length=20_000)

    @field_validator("contact_at", mode="before")
    @classmethod
    def _contact_at(cls, value: object, info: ValidationInfo) -> object:
        # Stored as ISO; typed the UK way. The future is refused when the caller says what
        # day it is (forms and imports pass context={"today": ...}).
        if value is None or not isinstance(value, (str, date)):
            return value
        moment = v.normalise_moment(value)
        today = context_today(info)
        if today is not None and date.fromisoformat(moment[:10]) > today:
            raise v.ValidationError(f"{v.format_date(moment[:10])} is in the future")
        return moment
