"""A person's communication and information needs (the Accessible Information Standard), and
the five criteria of a personalised care and support plan the worker ticks at sign-off."""

from __future__ import annotations

from datetime import date

from pydantic import Field, ValidationInfo, field_validator

from linkworker import validation as v
from linkworker.models.base import Labelled, Model, UkDate, set_labels
from linkworker.models.people import ContactPreference

#: The smallest print a large-print document may use (RNIB: 16 to 18 point and up).
LARGE_PRINT_SMALLEST = 16
LARGE_PRINT_LARGEST = 72


class Interpreter(Labelled):
    """Who interprets for the person: a British Sign Language interpreter or another language."""

    BSL = "bsl"
    LANGUAGE = "language"


set_labels(Interpreter, {"bsl": "British Sign Language", "language": "Another language"})


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

    @field_validator("large_print_size")
    @classmethod
    def _size_with_large_print(cls, value: int | None, info: ValidationInfo) -> int | None:
        wanted = bool(info.data.get("large_print"))
        if wanted and value is None:
            raise v.ValidationError(
                f"give the print size in points ({LARGE_PRINT_SMALLEST} to {LARGE_PRINT_LARGEST})"
            )
        if value is not None and not wanted:
            raise v.ValidationError("tick large print, or leave the size blank")
        return value

    @field_validator("interpreter_language")
    @classmethod
    def _language_with_interpreter(cls, value: str | None, info: ValidationInfo) -> str | None:
        kind = info.data.get("interpreter")
        if kind is Interpreter.LANGUAGE and not value:
            raise v.ValidationError("say which language the interpreter speaks")
        if kind is Interpreter.BSL:
            return None  # British Sign Language is the language
        if value and kind is None:
            raise v.ValidationError("choose 'Another language' as the interpreter first")
        return value

    @field_validator("advocate_contact")
    @classmethod
    def _advocate_whole(cls, value: str | None, info: ValidationInfo) -> str | None:
        named = info.data.get("advocate_name")
        if named and not value:
            raise v.ValidationError("say how to reach the carer or advocate")
        if value and not named:
            raise v.ValidationError("give the carer or advocate's name too")
        return value

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
