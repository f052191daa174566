"""Who a person is: their details, the words for sex, ethnicity and contact preference, flags."""

from __future__ import annotations

from datetime import date
from typing import Self

from pydantic import Field, ValidationInfo, field_validator, model_validator

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
from linkworker.vocabulary import FlagKind


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
