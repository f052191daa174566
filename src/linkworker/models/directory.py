"""The community directory's vocabulary: an activity added by hand, and connections to it."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, ValidationInfo, field_validator

from linkworker import validation as v
from linkworker.models.base import (
    ClockTime,
    Email,
    Model,
    Phone,
    Postcode,
    Url,
)

#: The statuses of an Open Referral service (oruk.STATUSES says the same).
ActivityStatus = Literal["active", "inactive", "defunct", "temporarily closed"]


class ActivityDetails(Model):
    """An activity the link worker adds or edits by hand (imports go through oruk.py).

    The schedule is one weekly pattern (days, opening and closing times) plus words for
    anything a pattern cannot say ("first Thursday of the month", "term time only").
    """

    name: str = Field(min_length=1, max_length=300)
    organisation: str | None = Field(default=None, max_length=300)
    description: str | None = Field(default=None, max_length=20_000)
    status: ActivityStatus = "active"
    categories: list[str] = Field(default_factory=list)
    venue: str | None = Field(default=None, max_length=300)
    address: str | None = Field(default=None, max_length=500)
    town: str | None = Field(default=None, max_length=100)
    postcode: Postcode = None
    days: list[str] = Field(default_factory=list)
    opens_at: ClockTime = None
    closes_at: ClockTime = None
    schedule_note: str | None = Field(default=None, max_length=500)
    cost: str | None = Field(default=None, max_length=1000)
    is_free: bool | None = None
    eligibility: str | None = Field(default=None, max_length=2000)
    min_age: int | None = Field(default=None, ge=0, le=120)
    max_age: int | None = Field(default=None, ge=0, le=120)
    languages: list[str] = Field(default_factory=list)
    accessibility: str | None = Field(default=None, max_length=2000)
    phone: Phone = None
    email: Email = None
    url: Url = None
    contact_name: str | None = Field(default=None, max_length=200)
    alert: str | None = Field(default=None, max_length=2000)

    @field_validator("name", mode="before")
    @classmethod
    def _name_required(cls, value: object) -> object:
        if value is None:
            raise ValueError("is required")
        return value

    @field_validator("categories", "languages", mode="before")
    @classmethod
    def _text_list(cls, value: object) -> object:
        if value is None:
            return []
        if isinstance(value, str):
            return [p.strip() for p in value.replace(";", ",").split(",") if p.strip()]
        return value

    @field_validator("days", mode="before")
    @classmethod
    def _days(cls, value: object) -> object:
        if value is None:
            return []
        if isinstance(value, (str, list, tuple)):
            return v.normalise_weekdays(value)
        return value

    # Cross-field checks sit on the later field, so the form can show them beside it.
    @field_validator("max_age", mode="after")
    @classmethod
    def _ages(cls, value: int | None, info: ValidationInfo) -> int | None:
        low = info.data.get("min_age")
        if value is not None and low is not None and low > value:
            raise ValueError(f"is below the minimum age ({low})")
        return value

    @field_validator("opens_at", mode="after")
    @classmethod
    def _opens_needs_days(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value and "days" in info.data and not info.data["days"]:
            raise ValueError("needs the days it applies to (fill in Days, e.g. Tue, Thu)")
        return value

    @field_validator("closes_at", mode="after")
    @classmethod
    def _closes_after_opening(cls, value: str | None, info: ValidationInfo) -> str | None:
        opens = info.data.get("opens_at")
        if value and opens and value <= opens:
            raise ValueError(f"{value} is not after the opening time {opens}")
        if value and not opens and "opens_at" in info.data:
            raise ValueError("needs an opening time too")
        return value
