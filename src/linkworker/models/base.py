"""What every model shares: labelled enums, the base model, and the field types that
normalise themselves (postcode, phone, email, url, clock time, UK date).

Each field type runs one rule of :mod:`linkworker.validation` before pydantic checks the
type, so a form, an import and the CLI refuse the same input with the same words.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from linkworker import validation as v
from linkworker.vocabulary import Labelled as Labelled
from linkworker.vocabulary import set_labels as set_labels


def _blank_to_none(value: object) -> object:
    if isinstance(value, str) and not value.strip():
        return None
    return value


class Model(BaseModel):
    """Shared settings: strip text, refuse unknown fields, keep enums as values."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid", use_enum_values=False)

    @model_validator(mode="before")
    @classmethod
    def _blank_strings(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: _blank_to_none(val) for k, val in data.items()}
        return data

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        # Every door (forms, CSV import, feeds, CLI) goes through a model, so an escape code
        # refused here can never be stored and later obeyed by a terminal. Line breaks and
        # tabs stay allowed: notes hold them, and screens show one-line fields flattened.
        if isinstance(value, str):
            v.check_plain_text(value, multiline=True)
        elif isinstance(value, (list, tuple)):
            for item in value:
                if isinstance(item, str):
                    v.check_plain_text(item, multiline=True)
        return value


# --- Today, as the caller says it is ----------------------------------------------------------


def context_today(info: ValidationInfo) -> date | None:
    """The day the caller says it is (``context={"today": ...}``), or None."""
    context = info.context or {}
    today = context.get("today") if isinstance(context, dict) else None
    return today if isinstance(today, date) else None


def machine_today() -> date:
    """The machine's date: only when the caller gave no today (tests pin this one place)."""
    return date.today()


def today_of(info: ValidationInfo) -> date:
    """The caller's today, else the machine's."""
    return context_today(info) or machine_today()


def to_date(value: object) -> date:
    """A date, or a date typed the UK way or as ISO."""
    return v.parse_date(value if isinstance(value, date) else str(value))


def not_in_future(day: date, today: date | None) -> date:
    """The day, unless it is after ``today`` (no check without a today)."""
    if today is not None and day > today:
        raise v.ValidationError(f"{v.format_date(day)} is in the future")
    return day


def _day_so_far(value: object, info: ValidationInfo) -> object:
    return value if value is None else not_in_future(to_date(value), today_of(info))


def _day_so_far_if_told(value: object, info: ValidationInfo) -> object:
    return value if value is None else not_in_future(to_date(value), context_today(info))


def _optional_date(value: object) -> object:
    if value is None or isinstance(value, date):
        return value
    return v.parse_date(str(value))


# --- Field types that normalise themselves ------------------------------------------------------


def _normalised(rule: Callable[[str], object]) -> BeforeValidator:
    return BeforeValidator(lambda value: rule(str(value)) if value is not None else None)


def parsed(enum: type[Labelled]) -> BeforeValidator:
    """Read an enum from its value or its label (see :meth:`Labelled.parse`)."""
    return BeforeValidator(lambda value: enum.parse(value) if isinstance(value, str) else value)


Text = Annotated[str, Field(max_length=20_000)]
NhsNumber = Annotated[str | None, _normalised(v.normalise_nhs_number)]
Postcode = Annotated[str | None, _normalised(v.normalise_postcode)]
Phone = Annotated[str | None, _normalised(v.normalise_phone)]
Email = Annotated[str | None, _normalised(v.normalise_email)]
Url = Annotated[str | None, _normalised(v.normalise_url)]
ClockTime = Annotated[str | None, _normalised(v.normalise_time)]
#: A date typed the UK way (23/11/2026) or as ISO.
UkDate = Annotated[date | None, BeforeValidator(_optional_date)]
#: A day not after today (the caller's today, else the machine's): when something happened.
DaySoFar = Annotated[date, BeforeValidator(_day_so_far)]
#: A day not after today when the caller says what day it is (forms and imports do).
DaySoFarIfTold = Annotated[date, BeforeValidator(_day_so_far_if_told)]
