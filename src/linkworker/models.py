"""The vocabulary of linkworker: enums and pydantic models for every entity of the domain.

Values are stored in SQLite as the enum's ``value`` (stable, lower-case codes) and shown to
the link worker as its ``label``. Input models validate with :mod:`linkworker.validation`, so
the form, the CSV importer and the CLI share one set of rules; errors name the field.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Literal, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from linkworker import validation as v

# --- Enums ------------------------------------------------------------------------------


class Labelled(StrEnum):
    """A StrEnum whose members carry the words a link worker reads."""

    @property
    def label(self) -> str:
        labels: dict[str, str] = getattr(type(self), "_labels", {})
        return labels.get(self.value, self.value.replace("_", " ").capitalize())

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """(label, value) pairs in declaration order, for select widgets."""
        return [(m.label, m.value) for m in cls]

    @classmethod
    def parse(cls, text: str) -> Self:
        """Accept a value ("gp_practice") or a label ("GP practice"), any case."""
        key = text.strip().lower()
        for m in cls:
            if key in (m.value, m.label.lower(), m.value.replace("_", " ")):
                return m
        allowed = ", ".join(m.value for m in cls)
        raise ValueError(f"'{text.strip()}' is not one of: {allowed}")


def _labels(enum: type[Labelled], labels: dict[str, str]) -> None:
    enum._labels = labels  # type: ignore[attr-defined]


class ReferralSource(Labelled):
    GP_PRACTICE = "gp_practice"
    PRACTICE_NURSE = "practice_nurse"
    PHARMACY = "pharmacy"
    HOSPITAL_DISCHARGE = "hospital_discharge"
    ALLIED_HEALTH = "allied_health"
    SOCIAL_CARE = "social_care"
    HOUSING = "housing"
    POLICE_FIRE = "police_fire"
    JOB_CENTRE = "job_centre"
    VCSE = "vcse"
    SELF = "self"
    FAMILY_FRIEND = "family_friend"
    OTHER = "other"


_labels(
    ReferralSource,
    {
        "gp_practice": "GP practice",
        "practice_nurse": "Practice nurse",
        "pharmacy": "Pharmacy",
        "hospital_discharge": "Hospital discharge team",
        "allied_health": "Allied health professional",
        "social_care": "Social care",
        "housing": "Housing",
        "police_fire": "Police or fire service",
        "job_centre": "Job centre",
        "vcse": "Voluntary or community organisation",
        "self": "Self-referral",
        "family_friend": "Family or friend",
        "other": "Other",
    },
)


class ReferralStatus(Labelled):
    RECEIVED = "received"
    CONTACTING = "contacting"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    NOT_REACHED = "not_reached"
    DISCHARGED = "discharged"


_labels(ReferralStatus, {"not_reached": "Not reached"})

#: Statuses in which a referral is still being worked (the "open" caseload).
OPEN_STATUSES = (ReferralStatus.RECEIVED, ReferralStatus.CONTACTING, ReferralStatus.ACCEPTED)
#: Statuses in which an episode is over and a new referral opens a new one.
CLOSED_STATUSES = (ReferralStatus.DECLINED, ReferralStatus.NOT_REACHED, ReferralStatus.DISCHARGED)


class Urgency(Labelled):
    ROUTINE = "routine"
    SOON = "soon"
    URGENT = "urgent"


_labels(Urgency, {"soon": "Soon (within a week)", "urgent": "Urgent (within 2 working days)"})


class DischargeReason(Labelled):
    GOALS_MET = "goals_met"
    DISENGAGED = "disengaged"
    MOVED_AWAY = "moved_away"
    REFERRED_ON = "referred_on"
    DECLINED_FURTHER_SUPPORT = "declined_further_support"
    DIED = "died"
    OTHER = "other"


_labels(DischargeReason, {"goals_met": "Goals met"})


class ContactMode(Labelled):
    PHONE = "phone"
    VENUE = "venue"
    HOME_VISIT = "home_visit"
    VIDEO = "video"
    WALK_AND_TALK = "walk_and_talk"
    TEXT = "text"


_labels(
    ContactMode,
    {
        "phone": "Phone",
        "venue": "Face to face at a venue",
        "home_visit": "Home visit",
        "video": "Video",
        "walk_and_talk": "Walk and talk",
        "text": "Text message",
    },
)


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


class NeedDomain(Labelled):
    LONELINESS = "loneliness"
    MENTAL_WELLBEING = "mental_wellbeing"
    PHYSICAL_ACTIVITY = "physical_activity"
    MONEY_DEBT = "money_debt"
    HOUSING = "housing"
    EMPLOYMENT = "employment"
    BEREAVEMENT = "bereavement"
    CARING = "caring"
    LONG_TERM_CONDITION = "long_term_condition"
    OTHER = "other"


_labels(
    NeedDomain,
    {
        "loneliness": "Loneliness and isolation",
        "mental_wellbeing": "Mental wellbeing",
        "physical_activity": "Physical activity",
        "money_debt": "Money and debt",
        "housing": "Housing",
        "employment": "Employment and volunteering",
        "bereavement": "Bereavement",
        "caring": "Caring",
        "long_term_condition": "Long-term condition",
        "other": "Other",
    },
)


class Barrier(Labelled):
    TRANSPORT = "transport"
    COST = "cost"
    CONFIDENCE = "confidence"
    LANGUAGE = "language"
    ACCESS = "access"
    OTHER = "other"


class GoalStatus(Labelled):
    OPEN = "open"
    ACHIEVED = "achieved"
    CHANGED = "changed"
    DROPPED = "dropped"


class ActionOwner(Labelled):
    PERSON = "person"
    LINK_WORKER = "link_worker"
    SOMEONE_ELSE = "someone_else"


_labels(ActionOwner, {"person": "The person", "link_worker": "Link worker"})


class ConnectionKind(Labelled):
    SIGNPOST = "signpost"
    REFERRAL = "referral"


class ConnectionStatus(Labelled):
    SUGGESTED = "suggested"
    REFERRED = "referred"
    ATTENDED = "attended"
    ATTENDING = "attending"
    STOPPED = "stopped"


_labels(ConnectionStatus, {"attending": "Still attending"})


class FollowUpKind(Labelled):
    PHONE = "phone"
    VENUE = "venue"
    HOME_VISIT = "home_visit"
    VIDEO = "video"
    WALK_AND_TALK = "walk_and_talk"
    TEXT = "text"


_labels(FollowUpKind, dict(ContactMode._labels))  # type: ignore[attr-defined]


class FollowUpStatus(Labelled):
    PLANNED = "planned"
    DONE = "done"
    MISSED = "missed"
    CANCELLED = "cancelled"


class FlagKind(Labelled):
    SAFEGUARDING = "safeguarding"
    LONE_WORKING = "lone_working"
    OTHER = "other"


_labels(FlagKind, {"lone_working": "Lone-working risk"})

#: Flags are shown as a symbol *and* a word, so colour is never the only cue.
FLAG_SYMBOLS = {
    "safeguarding": "⚠ SAFEGUARDING",
    "lone_working": "◆ LONE WORKING",
    "other": "● FLAG",
}


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


_labels(
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


# --- SNOMED CT ---------------------------------------------------------------------------

SNOMED_REFERRED = ("871731000000106", "Referral to social prescribing service (procedure)")
SNOMED_DECLINED = ("871711000000103", "Social prescribing declined (situation)")


# --- Models -----------------------------------------------------------------------------

Text = Annotated[str, Field(max_length=20_000)]

#: The statuses of an Open Referral service (oruk.STATUSES says the same).
ActivityStatus = Literal["active", "inactive", "defunct", "temporarily closed"]


def _blank_to_none(value: object) -> object:
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _today(info: ValidationInfo) -> date:
    context = info.context or {}
    today = context.get("today") if isinstance(context, dict) else None
    return today if isinstance(today, date) else date.today()


class Model(BaseModel):
    """Shared settings: strip text, refuse unknown fields, keep enums as values."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid", use_enum_values=False)

    @model_validator(mode="before")
    @classmethod
    def _blank_strings(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: _blank_to_none(val) for k, val in data.items()}
        return data


class PersonDetails(Model):
    """Everything a link worker records about who a person is (the intake and edit form)."""

    given_name: str = Field(min_length=1, max_length=100)
    family_name: str = Field(min_length=1, max_length=100)
    preferred_name: str | None = Field(default=None, max_length=100)
    date_of_birth: date | None = None
    nhs_number: str | None = None
    sex: Sex | None = None
    ethnicity: Ethnicity | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = Field(default=None, max_length=500)
    postcode: str | None = None
    preferred_contact: ContactPreference | None = None
    gp_practice: str | None = Field(default=None, max_length=200)
    communication_needs: str | None = Field(default=None, max_length=2000)
    consent_to_share_gp: bool | None = None
    consent_date: date | None = None

    @field_validator("nhs_number", mode="before")
    @classmethod
    def _nhs(cls, value: object) -> object:
        return v.normalise_nhs_number(str(value)) if value is not None else None

    @field_validator("postcode", mode="before")
    @classmethod
    def _postcode(cls, value: object) -> object:
        return v.normalise_postcode(str(value)) if value is not None else None

    @field_validator("phone", mode="before")
    @classmethod
    def _phone(cls, value: object) -> object:
        return v.normalise_phone(str(value)) if value is not None else None

    @field_validator("email", mode="before")
    @classmethod
    def _email(cls, value: object) -> object:
        return v.normalise_email(str(value)) if value is not None else None

    @field_validator("date_of_birth", mode="before")
    @classmethod
    def _dob(cls, value: object, info: ValidationInfo) -> object:
        if value is None:
            return None
        if not isinstance(value, (str, date)):
            raise v.ValidationError("is not a date")
        return v.check_date_of_birth(value, _today(info))

    @field_validator("consent_date", mode="before")
    @classmethod
    def _consent_date(cls, value: object) -> object:
        if value is None or isinstance(value, date):
            return value
        return v.parse_date(str(value))

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


class ReferralDetails(Model):
    """A referral as received: who sent it, when, why."""

    source: ReferralSource
    referrer_name: str | None = Field(default=None, max_length=200)
    referrer_organisation: str | None = Field(default=None, max_length=200)
    received_on: date
    needs: list[NeedDomain] = Field(default_factory=list)
    urgency: Urgency = Urgency.ROUTINE
    reason: str | None = Field(default=None, max_length=5000)
    consent_to_share_gp: bool | None = None

    @field_validator("received_on", mode="before")
    @classmethod
    def _received(cls, value: object, info: ValidationInfo) -> object:
        if value is None:
            return value
        received = value if isinstance(value, date) else v.parse_date(str(value))
        if received > _today(info):
            raise v.ValidationError(f"{v.format_date(received)} is in the future")
        return received

    @field_validator("source", mode="before")
    @classmethod
    def _source(cls, value: object) -> object:
        return ReferralSource.parse(value) if isinstance(value, str) else value

    @field_validator("needs", mode="before")
    @classmethod
    def _needs(cls, value: object) -> object:
        if isinstance(value, str):
            return [NeedDomain.parse(p) for p in value.replace(";", ",").split(",") if p.strip()]
        return value


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
        today = _context_today(info)
        if today is not None and date.fromisoformat(moment[:10]) > today:
            raise v.ValidationError(f"{v.format_date(moment[:10])} is in the future")
        return moment


class DecisionDetails(Model):
    """The day a referral is accepted, declined or closed as not reached, and why (declines)."""

    on: date
    reason: str | None = Field(default=None, max_length=5000)

    @field_validator("on", mode="before")
    @classmethod
    def _on(cls, value: object, info: ValidationInfo) -> object:
        return _past_or_today(value, info)


class DischargeDetails(Model):
    """Closing an accepted referral: when, why, and a summary of the episode."""

    on: date
    reason: DischargeReason
    summary: str | None = Field(default=None, max_length=20_000)

    @field_validator("on", mode="before")
    @classmethod
    def _on(cls, value: object, info: ValidationInfo) -> object:
        return _past_or_today(value, info)

    @field_validator("reason", mode="before")
    @classmethod
    def _reason(cls, value: object) -> object:
        return DischargeReason.parse(value) if isinstance(value, str) else value


def _context_today(info: ValidationInfo) -> date | None:
    context = info.context or {}
    today = context.get("today") if isinstance(context, dict) else None
    return today if isinstance(today, date) else None


def _past_or_today(value: object, info: ValidationInfo) -> object:
    if value is None:
        return value
    day = value if isinstance(value, date) else v.parse_date(str(value))
    today = _context_today(info)
    if today is not None and day > today:
        raise v.ValidationError(f"{v.format_date(day)} is in the future")
    return day


class FlagDetails(Model):
    kind: FlagKind
    note: str | None = Field(default=None, max_length=2000)


class ConversationDetails(Model):
    """A "what matters to you" conversation."""

    held_on: date
    what_matters: str | None = Field(default=None, max_length=20_000)
    strengths: str | None = Field(default=None, max_length=20_000)
    needs: dict[NeedDomain, str] = Field(default_factory=dict)
    barriers: list[Barrier] = Field(default_factory=list)
    barriers_note: str | None = Field(default=None, max_length=5000)

    @field_validator("held_on", mode="before")
    @classmethod
    def _held_on(cls, value: object, info: ValidationInfo) -> object:
        if value is None:
            return value
        held = v.parse_date(value if isinstance(value, date) else str(value))
        if held > _today(info):
            raise v.ValidationError(f"{v.format_date(held)} is in the future")
        return held

    @field_validator("needs", mode="before")
    @classmethod
    def _need_notes(cls, value: object) -> object:
        # A need ticked without a note is still a need: keep it with an empty note.
        if isinstance(value, dict):
            return {k: ("" if n is None else n) for k, n in value.items()}
        return value

    @field_validator("needs", mode="after")
    @classmethod
    def _strip_notes(cls, value: dict[NeedDomain, str]) -> dict[NeedDomain, str]:
        return {k: n.strip() for k, n in value.items()}


class GoalDetails(Model):
    description: str = Field(min_length=1, max_length=2000)
    review_on: date | None = None
    status: GoalStatus = GoalStatus.OPEN

    @field_validator("review_on", mode="before")
    @classmethod
    def _review_on(cls, value: object) -> object:
        if value is None or isinstance(value, date):
            return value
        return v.parse_date(str(value))


class ActionDetails(Model):
    description: str = Field(min_length=1, max_length=2000)
    owner: ActionOwner = ActionOwner.PERSON
    # validate_default: "someone else" with no name must fail even when the name is left out.
    owner_name: str | None = Field(default=None, max_length=200, validate_default=True)
    due_on: date | None = None

    @field_validator("due_on", mode="before")
    @classmethod
    def _due_on(cls, value: object) -> object:
        if value is None or isinstance(value, date):
            return value
        return v.parse_date(str(value))

    @field_validator("owner_name", mode="after")
    @classmethod
    def _someone_named(cls, value: str | None, info: ValidationInfo) -> str | None:
        if info.data.get("owner") is ActionOwner.SOMEONE_ELSE and not value:
            raise v.ValidationError("say who else will do it")
        return value


class ActivityDetails(Model):
    """An activity the link worker adds or edits by hand (imports go through formats/oruk).

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
    postcode: str | None = None
    days: list[str] = Field(default_factory=list)
    opens_at: str | None = None
    closes_at: str | None = None
    schedule_note: str | None = Field(default=None, max_length=500)
    cost: str | None = Field(default=None, max_length=1000)
    is_free: bool | None = None
    eligibility: str | None = Field(default=None, max_length=2000)
    min_age: int | None = Field(default=None, ge=0, le=120)
    max_age: int | None = Field(default=None, ge=0, le=120)
    languages: list[str] = Field(default_factory=list)
    accessibility: str | None = Field(default=None, max_length=2000)
    phone: str | None = None
    email: str | None = None
    url: str | None = None
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

    @field_validator("opens_at", "closes_at", mode="before")
    @classmethod
    def _time(cls, value: object) -> object:
        return v.normalise_time(str(value)) if value is not None else None

    @field_validator("postcode", mode="before")
    @classmethod
    def _postcode(cls, value: object) -> object:
        return v.normalise_postcode(str(value)) if value is not None else None

    @field_validator("phone", mode="before")
    @classmethod
    def _phone(cls, value: object) -> object:
        return v.normalise_phone(str(value)) if value is not None else None

    @field_validator("email", mode="before")
    @classmethod
    def _email(cls, value: object) -> object:
        return v.normalise_email(str(value)) if value is not None else None

    @field_validator("url", mode="before")
    @classmethod
    def _url(cls, value: object) -> object:
        return v.normalise_url(str(value)) if value is not None else None

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


class FollowUpDetails(Model):
    due_on: date
    due_time: str | None = None
    duration_minutes: int | None = Field(default=None, ge=5, le=8 * 60)
    kind: FollowUpKind = FollowUpKind.PHONE
    location: str | None = Field(default=None, max_length=300)
    purpose: str | None = Field(default=None, max_length=2000)

    @field_validator("due_time", mode="before")
    @classmethod
    def _time(cls, value: object) -> object:
        return v.normalise_time(str(value)) if value is not None else None

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
        due = value if isinstance(value, date) else v.parse_date(str(value))
        if due < _today(info):
            raise v.ValidationError(f"{v.format_date(due)} is in the past")
        return due

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value: object) -> object:
        return FollowUpKind.parse(value) if isinstance(value, str) else value


def error_lines(exc: Exception) -> list[str]:
    """Turn a pydantic ValidationError into 'field: reason' lines a person can act on."""
    from pydantic import ValidationError as PydanticError

    if not isinstance(exc, PydanticError):
        return [str(exc)]
    lines = []
    for err in exc.errors():
        field = ".".join(str(p) for p in err.get("loc", ())) or "value"
        message = _friendly(dict(err))
        lines.append(f"{field.replace('_', ' ')}: {message}")
    return lines


def field_errors(exc: Exception) -> dict[str, str]:
    """Map field name -> first message, for showing errors beside form fields."""
    from pydantic import ValidationError as PydanticError

    if not isinstance(exc, PydanticError):
        return {"": str(exc)}
    result: dict[str, str] = {}
    for err in exc.errors():
        loc = err.get("loc", ())
        field = str(loc[0]) if loc else ""
        result.setdefault(field, _friendly(dict(err)))
    return result


def _friendly(err: dict[str, Any]) -> str:
    """Pydantic's message for one error, in the words a link worker reads on a form."""
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    if kind == "missing" or (kind == "string_too_short" and ctx.get("min_length") == 1):
        return "is required"
    if kind == "string_too_long":
        return f"is too long (at most {ctx.get('max_length')} characters)"
    if kind in ("int_parsing", "int_from_float", "int_type"):
        return "must be a whole number"
    if kind == "greater_than_equal":
        return f"must be {ctx.get('ge')} or more"
    if kind == "less_than_equal":
        return f"must be {ctx.get('le')} or less"
    if kind in ("bool_parsing", "bool_type"):
        return "must be yes or no"
    if kind == "enum":
        return f"'{err.get('input')}' is not one of: {ctx.get('expected')}"
    message = str(err.get("msg", "is not valid"))
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    return message
