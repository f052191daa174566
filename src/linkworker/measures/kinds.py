"""Which outcome measures there are, and when one is taken: the codes alone.

Apart from the definitions (their wording is read from ``measures.toml``), so that Today's
outcomes-due bucket can name the measures it counts without loading it (issue 18).
"""

from __future__ import annotations

from enum import StrEnum


class MeasureKind(StrEnum):
    """The outcome measures the tool supports."""

    ONS4 = "ons4"
    SWEMWBS = "swemwbs"
    UCLA3 = "ucla3"
    ONS_LONELINESS = "ons_loneliness"
    COLLABORATE = "collaborate"


class Stage(StrEnum):
    """When a measure was taken within an episode of support."""

    BASELINE = "baseline"
    FOLLOW_UP = "follow_up"
