"""A planned follow-up: when, how, where and why."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field, ValidationInfo, field_validator

from linkworker import validation as v
from linkworker.models.base import ClockTime, Model, parsed, to_date, today_of
from linkworker.vocabulary import FollowUpKind


class FollowUpDetails(Model):
    due_on: date
    due_time: ClockTime = None
    duration_minutes: int | None = Field(default=None, ge=5, le=8 * 60)
    kind: Annotated[FollowUpKind, parsed(FollowUpKind)] = FollowUpKind.PHONE
    location: str | None = Field(default=None, max_length=300)
    purpose: str | None = Field(default=None, max_length=2000)
    # Linked goal or connection (checked against the person by followups.schedule).
    goal_id: int | None = None
    connection_id: int | None = None

    @field_validator("due_on", mode="before")
    @classmethod
    def _due(cls, value: object, info: ValidationInfo) -> object:
        # UK-style dates from forms; a booking in the past is a typing mistake (pass
        # context={"today": ...}); past follow-ups are recorded by logging a contact.
        if value is None:
            return value
        due = to_date(value)
        if due < today_of(info):
            raise v.ValidationError(f"{v.format_date(due)} is in the past")
        return due
