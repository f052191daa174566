"""Conversations, goals and actions: the personalised care and support plan.

A "what matters to you" conversation records what matters to the person in their own words,
their strengths, their needs by domain (each with a note) and what gets in the way. Goals are
in the person's words, each with agreed actions (what, who, by when) and a review date.

Every write is one transaction through :mod:`linkworker.store.audit`; time comes from a
:class:`~linkworker.clock.Clock`. Modules: :mod:`.conversations`, :mod:`.goals` (goals,
actions, reviews), :mod:`.page` (the printed plan, laid out by
:mod:`linkworker.formats.plan_document`), :mod:`.signoff` (the five PCSP criteria ticked at
sign-off, and the person's own copy) and :mod:`.records` (rows read back, ``PlanError``).

This package re-exports the public names in ``__all__`` below (the read-back dataclasses
are those of :mod:`linkworker.models`), so callers write ``plans.add_goal(...)``.
"""

from linkworker.models import Action, Conversation, Goal, GoalReview
from linkworker.plans.conversations import conversations, latest_conversation, record_conversation
from linkworker.plans.goals import (
    CLOSED_GOAL_STATUSES,
    add_action,
    add_goal,
    get_goal,
    goals,
    review_goal,
    set_action_done,
)
from linkworker.plans.page import conversations_text, plan_markdown, plan_text
from linkworker.plans.records import PlanError
from linkworker.plans.signoff import SignOff, latest_signoff, person_copy, sign_off

__all__ = [
    "CLOSED_GOAL_STATUSES",
    "Action",
    "Conversation",
    "Goal",
    "GoalReview",
    "PlanError",
    "SignOff",
    "add_action",
    "add_goal",
    "conversations",
    "conversations_text",
    "get_goal",
    "goals",
    "latest_conversation",
    "latest_signoff",
    "person_copy",
    "plan_markdown",
    "plan_text",
    "record_conversation",
    "review_goal",
    "set_action_done",
    "sign_off",
]
