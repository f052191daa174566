"""Who a person is: their details, the words for sex, ethnicity and contact preference, flags."""

from __future__ import annotations

from datetime import date

from pydantic import Field, ValidationInfo, field_validator

from linkworker import validation as v
from linkworker.models.base import (
    Email,
    Labelled,
    Model,
    NhsNumber,
    Phone,
    Postcode,
    UkDate,
    set_labels,
    today_of,
)


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


class ContactPreference(Labelled):
    PHONE = "phone"
    TEXT = "text"
    EMAIL = "email"
    LETTER = "letter"
    VIA_CARER = "via_carer"


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


class PersonDetails(Model):
    """Everything a link worker records about who a person is (the intake and edit form)."""

    given_name: str = Field(min_length=1, max_length=100)
    family_name: str = Field(min_length=1, max_length=100)
    preferred_name: str | None = Field(default=None, max_length=100)
    date_of_birth: date | None = None
    nhs_number: NhsNumber = None
    sex: Sex | None = None
    ethnicity: Ethnicity | None = None
    phone: Phone = None
    email: Email = None
    address: str | None = Field(default=None, max_length=500)
    postcode: Postcode = None
    preferred_contact: ContactPreference | None = None
    gp_practice: str | None = Field(default=None, max_length=200)
    communication_needs: str | None = Field(default=None, max_length=2000)
    consent_to_share_gp: bool | None = None
    consent_date: UkDate = None

    @field_validator("date_of_birth", mode="before")
    @classmethod
    def _dob(cls, value: object, info: ValidationInfo) -> object:
        if value is None:
            return None
        if not isinstance(value, (str, date)):
            raise v.ValidationError("is not a date")
        return v.check_date_of_birth(value, today_of(info))

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


class FlagDetails(Model):
    kind: FlagKind
    note: str | None = Field(default=None, max_length=2000)
