"""The personalised care and support plan: conversations, goals and agreed actions.

The ``*Details`` models are what a form or the CLI gives; :class:`Conversation`,
:class:`Goal`, :class:`Action` and :class:`GoalReview` are what :mod:`linkworker.plans`
reads back from the store (and what the printed plan page is made from).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from pydantic import Field, ValidationInfo, field_validator

from linkworker import validation as v
from linkworker.models.base import DaySoFar, Model, UkDate
from linkworker.vocabulary import ActionOwner, Barrier, GoalStatus, NeedDomain


class ConversationDetails(Model):
    """A "what matters to you" conversation."""

    held_on: DaySoFar
    what_matters: str | None = Field(default=None, max_length=20_000)
    strengths: str | None = Field(default=None, max_length=20_000)
    needs: dict[NeedDomain, str] = Field(default_factory=dict)
    barriers: list[Barrier] = Field(default_factory=list)
    barriers_note: str | None = Field(default=None, max_length=5000)

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
    review_on: UkDate = None
    status: GoalStatus = GoalStatus.OPEN


class ActionDetails(Model):
    description: str = Field(min_length=1, max_length=2000)
    owner: ActionOwner = ActionOwner.PERSON
    # validate_default: "someone else" with no name must fail even when the name is left out.
    owner_name: str | None = Field(default=None, max_length=200, validate_default=True)
    due_on: UkDate = None

    @field_validator("owner_name", mode="after")
    @classmethod
    def _someone_named(cls, value: str | None, info: ValidationInfo) -> str | None:
        if info.data.get("owner") is ActionOwner.SOMEONE_ELSE and not value:
            raise v.ValidationError("say who else will do it")
        return value


# --- What is read back ---------------------------------------------------------------------


@dataclass(frozen=True)
class Conversation:
    """One "what matters to you" conversation, decoded."""

    id: int
    person_id: int
    held_on: date
    what_matters: str | None
    strengths: str | None
    needs: dict[NeedDomain, str]
    barriers: list[Barrier]
    barriers_note: str | None


@dataclass(frozen=True)
class Action:
    """An agreed step towards a goal."""

    id: int
    goal_id: int
    description: str
    owner: ActionOwner
    owner_name: str | None
    due_on: date | None
    done_on: date | None

    @property
    def who(self) -> str:
        """Who does it, in the link worker's words."""
        if self.owner is ActionOwner.SOMEONE_ELSE:
            return self.owner_name or "Someone else"
        base = self.owner.label
        return f"{base} ({self.owner_name})" if self.owner_name else base

    @property
    def who_for_person(self) -> str:
        """Who does it, as the person reads it on their copy of the plan."""
        if self.owner is ActionOwner.PERSON:
            return "You"
        if self.owner is ActionOwner.LINK_WORKER:
            return "Your link worker" + (f" ({self.owner_name})" if self.owner_name else "")
        return self.owner_name or "Someone else"


@dataclass(frozen=True)
class GoalReview:
    """What happened when a goal was reviewed."""

    id: int
    goal_id: int
    reviewed_on: date
    status: GoalStatus
    note: str | None


@dataclass(frozen=True)
class Goal:
    """A goal in the person's words, with its actions and reviews (oldest review first)."""

    id: int
    person_id: int
    description: str
    status: GoalStatus
    status_changed_on: date | None
    review_on: date | None
    set_on: date
    conversation_id: int | None
    actions: list[Action] = field(default_factory=list)
    reviews: list[GoalReview] = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        return self.status is GoalStatus.OPEN
