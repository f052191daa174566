"""Outcome measures: definitions, validation, scoring, bands and change.

Pure package (standard library and pydantic only; the scoring, which needs pydantic, is
imported on first use, so the definitions load without it) implementing the measures listed in
REFERENCE.md, "Outcome measures": ONS4 personal wellbeing, SWEMWBS, the UCLA 3-item
loneliness scale, the ONS direct loneliness question and CollaboRATE (involvement in a
conversation). :mod:`.definitions` holds their
wording (items, answer labels, score names); :mod:`.scoring` validates and scores answers.

Anything that shows SWEMWBS items or scores must also show :data:`SWEMWBS_COPYRIGHT`;
anything that shows CollaboRATE, :data:`COLLABORATE_ATTRIBUTION`.
This package re-exports the public names in ``__all__`` below.
"""

from typing import TYPE_CHECKING

from linkworker.measures.kinds import MeasureKind, Stage

if TYPE_CHECKING:
    from linkworker.measures.definitions import (
        COLLABORATE_ATTRIBUTION,
        DEFINITIONS,
        HIGHER_IS_BETTER,
        SWEMWBS_COPYRIGHT,
        Answer,
        Item,
        MeasureDefinition,
        MeasureError,
        answer_label,
        answer_range,
        comparable_names,
        definition,
        score_label,
        score_names,
        total_range,
    )
    from linkworker.measures.scoring import (
        SWEMWBS_METRIC,
        Change,
        Score,
        answers_in_order,
        change,
        item_of_error,
        ons4_band,
        score,
        validate_answers,
    )

__all__ = [
    "COLLABORATE_ATTRIBUTION",
    "DEFINITIONS",
    "HIGHER_IS_BETTER",
    "SWEMWBS_COPYRIGHT",
    "SWEMWBS_METRIC",
    "Answer",
    "Change",
    "Item",
    "MeasureDefinition",
    "MeasureError",
    "MeasureKind",
    "Score",
    "Stage",
    "answer_label",
    "answer_range",
    "answers_in_order",
    "change",
    "comparable_names",
    "definition",
    "item_of_error",
    "ons4_band",
    "score",
    "score_label",
    "score_names",
    "total_range",
    "validate_answers",
]

#: What the scoring module adds; it (and pydantic behind it) loads on first use, so that
#: Today's outcomes bucket, which needs only the definitions, paints without pydantic.
_SCORING = (
    "SWEMWBS_METRIC",
    "Change",
    "Score",
    "answers_in_order",
    "change",
    "item_of_error",
    "ons4_band",
    "score",
    "validate_answers",
)


#: What the definitions module adds; it reads measures.toml, so it loads on first use too
#: (Today's outcomes bucket needs only the kinds).
_DEFINITIONS = (
    "COLLABORATE_ATTRIBUTION",
    "DEFINITIONS",
    "HIGHER_IS_BETTER",
    "SWEMWBS_COPYRIGHT",
    "Answer",
    "Item",
    "MeasureDefinition",
    "MeasureError",
    "answer_label",
    "answer_range",
    "comparable_names",
    "definition",
    "score_label",
    "score_names",
    "total_range",
)


def __getattr__(name: str) -> object:
    if name in _SCORING:
        module = "scoring"
    elif name in _DEFINITIONS:
        module = "definitions"
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    # The package's own modules: the package imports nothing else of linkworker.
    loaded = __import__(f"{__name__}.{module}", fromlist=[name])
    value = getattr(loaded, name)
    globals()[name] = value
    return value
