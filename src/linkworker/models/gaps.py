"""An unmet need (a gap in what the directory offers): the need, what stands in the way,
and a note, recorded for one person so that the gap report can count needs by area."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from linkworker.models.base import DaySoFarIfTold, Labelled, Model, parsed, set_labels
from linkworker.vocabulary import NeedDomain


class GapBarrier(Labelled):
    """Why no activity answered the need."""

    NO_ACTIVITY = "no_activity"
    COST = "cost"
    WAITING_LIST = "waiting_list"
    TRANSPORT = "transport"
    ACCESS = "access"
    LANGUAGE = "language"
    TIMING = "timing"


set_labels(
    GapBarrier,
    {
        "no_activity": "No suitable activity",
        "cost": "Cost",
        "waiting_list": "Waiting list",
        "transport": "Transport",
        "access": "Access (disability, building)",
        "language": "Language",
        "timing": "Timing (days or hours)",
    },
)


class GapDetails(Model):
    """One unmet need as the link worker records it."""

    need: Annotated[NeedDomain, parsed(NeedDomain)]
    barrier: Annotated[GapBarrier, parsed(GapBarrier)]
    recorded_on: DaySoFarIfTold
    note: str | None = Field(default=None, max_length=5000)
    #: What was searched for in the directory when nothing fitted (None from the record).
    searched: str | None = Field(default=None, max_length=200)
