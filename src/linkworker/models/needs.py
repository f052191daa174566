"""A person's communication and information needs (the Accessible Information Standard), and
the five criteria of a personalised care and support plan the worker ticks at sign-off."""

from __future__ import annotations

from datetime import date
from typing import TypeVar

from pydantic import Field, ValidationInfo, field_validator

from linkworker import validation as v
from linkworker.models.base import Labelled, Model, UkDate, set_labels
from linkworker.vocabulary import ContactPreference

#: The smallest print a large-print document may use (RNIB: 16 to 18 point and up).
LARGE_PRINT_SMALLEST = 16
LARGE_PRINT_LARGEST = 72


T = TypeVar("T")


class Interpreter(Labelled):
    """Who interprets for the person: a British Sign Language interpreter or another language."""

    BSL = "bsl"
    LANGUAGE = "language"


set_labels(Interpreter, {"bsl": "British Sign Language", "language": "Another language"})


def _together(value: T | None, wanted: bool, missing: str, alone: str) -> T | None:
    """A detail that goes with a need: required with it (``missing``), refused without it."""
    if wanted and value in (None, ""):
        raise v.ValidationError(missing)
    if value not in (None, "") and not wanted:
        raise v.ValidationError(alone)
    return value


#: A need's detail -> (the need, said when the detail is missing, said when the need is not).
_DETAILS = {
    "large_print_size": (
        "large_print",
        f"give the print size in points ({LARGE_PRINT_SMALLEST} to {LARGE_PRINT_LARGEST})",
        "tick large print, or leave the size blank",
    ),
    "advocate_contact": (
        "advocate_name",
        "say how to reach the carer or advocate",
        "give the carer or advocate's name too",
    ),
}


class InformationNeeds(Model):
    """What the person needs to read, hear and be reached (DAPB1605: identify, record).

    ``contact_method`` is the person's ``preferred_contact`` (one column for one answer).
    """

    large_print: bool = False
    # validate_default: a need ticked without its detail must fail even when it is left out.
    large_print_size: int | None = Field(
        default=None, ge=LARGE_PRINT_SMALLEST, le=LARGE_PRINT_LARGEST, validate_default=True
    )
    easy_read: bool = False
    interpreter: Interpreter | None = None
    interpreter_language: str | None = Field(default=None, max_length=100, validate_default=True)
    braille: bool = False
    audio: bool = False
    advocate_name: str | None = Field(default=None, max_length=200)
    advocate_contact: str | None = Field(default=None, max_length=200, validate_default=True)
    contact_method: ContactPreference | None = None
    contact_times: str | None = Field(default=None, max_length=200)
    review_on: UkDate = None

    @field_validator("large_print_size", "advocate_contact")
    @classmethod
    def _detail_with_need(cls, value: object, info: ValidationInfo) -> object:
        need, missing, alone = _DETAILS[str(info.field_name)]
        return _together(value, bool(info.data.get(need)), missing, alone)

    @field_validator("interpreter_language")
    @classmethod
    def _language_with_interpreter(cls, value: str | None, info: ValidationInfo) -> str | None:
        kind = info.data.get("interpreter")
        if kind is Interpreter.BSL:
            return None  # British Sign Language is the language
        return _together(
            value,
            kind is Interpreter.LANGUAGE,
            "say which language the interpreter speaks",
            "choose 'Another language' as the interpreter first",
        )

    @property
    def any(self) -> bool:
        """Whether any need is recorded (the contact method alone is not a need)."""
        return bool(
            self.large_print
            or self.easy_read
            or self.interpreter
            or self.braille
            or self.audio
            or self.advocate_name
            or self.contact_times
        )


class PcspCriterion(Labelled):
    """NHS England's five criteria of a personalised care and support plan."""

    PREPARED = "prepared"
    WHAT_MATTERS = "what_matters"
    CO_PRODUCED = "co_produced"
    RECORDED_SHARED = "recorded_shared"
    REVIEWED = "reviewed"


set_labels(
    PcspCriterion,
    {
        "prepared": "The person was prepared for the conversation",
        "what_matters": "It was about what matters to them",
        "co_produced": "The plan was made together (co-produced)",
        "recorded_shared": "It is recorded and shared with them",
        "reviewed": "It will be reviewed (a date is agreed)",
    },
)


class SignOffDetails(Model):
    """The plan signed off: which criteria the worker ticked, and the review agreed."""

    criteria: list[PcspCriterion] = Field(default_factory=list)
    review_on: UkDate = Field(default=None, validate_default=True)
    note: str | None = Field(default=None, max_length=2000)

    @field_validator("review_on")
    @classmethod
    def _review_ahead(cls, value: date | None, info: ValidationInfo) -> date | None:
        ticked = info.data.get("criteria") or []
        if PcspCriterion.REVIEWED in ticked and value is None:
            raise v.ValidationError("give the review date agreed, or untick 'It will be reviewed'")
        return value
