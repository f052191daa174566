"""Who a person is: their details, the words for sex, ethnicity and contact preference, flags."""

from __future__ import annotations

from datetime import date
from typing import Self

from pydantic import Field, ValidationInfo, field_validator, model_validator

from linkworker import validation as v
from linkworker.models.base import (
    Email,
    Model,
    NhsNumber,
    Phone,
    Postcode,
    UkDate,
    today_of,
)
from linkworker.vocabulary import ContactPreference, EthnicGroup, Ethnicity, FlagKind, Sex


class PersonDetails(Model):
    """Everything a link worker records about who a person is (the intake and edit form)."""

    given_name: str = Field(min_length=1, max_length=100)
    family_name: str = Field(min_length=1, max_length=100)
    preferred_name: str | None = Field(default=None, max_length=100)
    date_of_birth: date | None = None
    nhs_number: NhsNumber = None
    sex: Sex | None = None
    #: The Census heading; set from ``ethnic_group`` when that is known (records made before
    #: the 19 groups were asked hold the heading only).
    ethnicity: Ethnicity | None = None
    ethnic_group: EthnicGroup | None = None
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

    @model_validator(mode="after")
    def _heading_of_group(self) -> Self:
        # The heading always agrees with the group: the report counts headings.
        if self.ethnic_group is not None:
            heading = self.ethnic_group.heading
            if self.ethnicity is not None and self.ethnicity != heading:
                raise ValueError(
                    f"the ethnic group '{self.ethnic_group.label}' is not under the heading "
                    f"'{self.ethnicity.label}'"
                )
            self.ethnicity = heading
        return self

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


class FlagDetails(Model):
    kind: FlagKind
    note: str | None = Field(default=None, max_length=2000)
