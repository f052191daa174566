"""Outcome measures: definitions, validation, scoring, bands and change.

Pure module (standard library and pydantic only) implementing the measures listed in
REFERENCE.md, "Outcome measures":

* ONS4 personal wellbeing: four items scored 0-10, each reported on its own, never summed.
* SWEMWBS: seven items scored 1-5; the raw sum (7-35) is always converted to the metric score
  with :data:`SWEMWBS_METRIC`; a score needs all seven items.
* UCLA 3-item loneliness scale: three items scored 1-3, total 3-9, higher is lonelier.
* ONS direct loneliness question ("How often do you feel lonely?"), coded 1 (never) to
  5 (often/always) so that higher is lonelier.

Anything that shows SWEMWBS items or scores must also show :data:`SWEMWBS_COPYRIGHT`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict

__all__ = [
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
    "change",
    "comparable_names",
    "definition",
    "ons4_band",
    "score",
    "score_label",
    "score_names",
    "total_range",
    "validate_answers",
]


class MeasureKind(StrEnum):
    """The outcome measures the tool supports."""

    ONS4 = "ons4"
    SWEMWBS = "swemwbs"
    UCLA3 = "ucla3"
    ONS_LONELINESS = "ons_loneliness"


class Stage(StrEnum):
    """When a measure was taken within an episode of support."""

    BASELINE = "baseline"
    FOLLOW_UP = "follow_up"


class MeasureError(ValueError):
    """An answer or request that does not fit a measure.

    ``item`` names the item (or score) concerned, or is ``None`` when the problem is not
    about a single item. The message starts with the item key, e.g.
    ``"anxiety: 11 is out of range (0-10)"``.
    """

    def __init__(self, message: str, item: str | None = None) -> None:
        super().__init__(message)
        self.item = item


# ---------------------------------------------------------------------------
# Definitions
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """One possible answer to an item: the stored code and the label shown."""

    value: int
    label: str


@dataclass(frozen=True)
class Item:
    """One question or statement of a measure."""

    key: str
    wording: str
    answers: tuple[Answer, ...]

    @property
    def min_value(self) -> int:
        """Lowest valid answer code."""
        return min(a.value for a in self.answers)

    @property
    def max_value(self) -> int:
        """Highest valid answer code."""
        return max(a.value for a in self.answers)

    def label_for(self, value: int) -> str:
        """Label of the answer coded ``value``."""
        for a in self.answers:
            if a.value == value:
                return a.label
        raise MeasureError(
            f"{self.key}: {value} is out of range ({self.min_value}-{self.max_value})",
            self.key,
        )


@dataclass(frozen=True)
class MeasureDefinition:
    """A whole measure: title, instruction read to the person, items and copyright line."""

    kind: MeasureKind
    title: str
    short_title: str
    intro: str
    items: tuple[Item, ...]
    copyright: str | None

    @property
    def item_keys(self) -> tuple[str, ...]:
        """Item keys in the order they are asked."""
        return tuple(i.key for i in self.items)

    def item(self, key: str) -> Item:
        """The item with this key (MeasureError if there is none)."""
        for i in self.items:
            if i.key == key:
                return i
        raise MeasureError(f"{key}: not an item of {self.short_title}", key)


SWEMWBS_COPYRIGHT = (
    "SWEMWBS © NHS Health Scotland, University of Warwick and University of Edinburgh, "
    "2008, all rights reserved."
)

#: SWEMWBS raw score (7-35) to metric score, exactly as published.
SWEMWBS_METRIC: dict[int, float] = {
    7: 7.00,
    8: 9.51,
    9: 11.25,
    10: 12.40,
    11: 13.33,
    12: 14.08,
    13: 14.75,
    14: 15.32,
    15: 15.84,
    16: 16.36,
    17: 16.88,
    18: 17.43,
    19: 17.98,
    20: 18.59,
    21: 19.25,
    22: 19.98,
    23: 20.73,
    24: 21.54,
    25: 22.35,
    26: 23.21,
    27: 24.11,
    28: 25.03,
    29: 26.02,
    30: 27.03,
    31: 28.13,
    32: 29.31,
    33: 30.70,
    34: 32.55,
    35: 35.00,
}


def _zero_to_ten(low: str, high: str) -> tuple[Answer, ...]:
    answers = [Answer(0, f"0 {low}")]
    answers += [Answer(n, str(n)) for n in range(1, 10)]
    answers.append(Answer(10, f"10 {high}"))
    return tuple(answers)


_ONS4_ANSWERS = _zero_to_ten("not at all", "completely")
_ONS4_ANXIETY_ANSWERS = _zero_to_ten("not at all anxious", "completely anxious")

_SWEMWBS_ANSWERS = (
    Answer(1, "none of the time"),
    Answer(2, "rarely"),
    Answer(3, "some of the time"),
    Answer(4, "often"),
    Answer(5, "all of the time"),
)

_UCLA3_ANSWERS = (
    Answer(1, "hardly ever or never"),
    Answer(2, "some of the time"),
    Answer(3, "often"),
)

_ONS_LONELINESS_ANSWERS = (
    Answer(1, "never"),
    Answer(2, "hardly ever"),
    Answer(3, "occasionally"),
    Answer(4, "some of the time"),
    Answer(5, "often/always"),
)

DEFINITIONS: dict[MeasureKind, MeasureDefinition] = {
    MeasureKind.ONS4: MeasureDefinition(
        kind=MeasureKind.ONS4,
        title="ONS4 personal wellbeing",
        short_title="ONS4",
        intro=(
            "Next I would like to ask you four questions about your feelings on aspects of "
            "your life. There are no right or wrong answers. For each of these questions "
            'please give an answer on a scale of 0 to 10, where 0 is "not at all" and 10 '
            'is "completely".'
        ),
        items=(
            Item(
                "life_satisfaction",
                "Overall, how satisfied are you with your life nowadays?",
                _ONS4_ANSWERS,
            ),
            Item(
                "worthwhile",
                "Overall, to what extent do you feel that the things you do in your life "
                "are worthwhile?",
                _ONS4_ANSWERS,
            ),
            Item(
                "happiness",
                "Overall, how happy did you feel yesterday?",
                _ONS4_ANSWERS,
            ),
            Item(
                "anxiety",
                'On a scale where 0 is "not at all anxious" and 10 is "completely anxious", '
                "overall, how anxious did you feel yesterday?",
                _ONS4_ANXIETY_ANSWERS,
            ),
        ),
        copyright=None,
    ),
    MeasureKind.SWEMWBS: MeasureDefinition(
        kind=MeasureKind.SWEMWBS,
        title="Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS)",
        short_title="SWEMWBS",
        intro=(
            "Below are some statements about feelings and thoughts. Please tick the box "
            "that best describes your experience of each over the last 2 weeks"
        ),
        items=(
            Item("optimistic", "I've been feeling optimistic about the future", _SWEMWBS_ANSWERS),
            Item("useful", "I've been feeling useful", _SWEMWBS_ANSWERS),
            Item("relaxed", "I've been feeling relaxed", _SWEMWBS_ANSWERS),
            Item("dealing_with_problems", "I've been dealing with problems well", _SWEMWBS_ANSWERS),
            Item("thinking_clearly", "I've been thinking clearly", _SWEMWBS_ANSWERS),
            Item("close_to_others", "I've been feeling close to other people", _SWEMWBS_ANSWERS),
            Item(
                "own_mind",
                "I've been able to make up my own mind about things",
                _SWEMWBS_ANSWERS,
            ),
        ),
        copyright=SWEMWBS_COPYRIGHT,
    ),
    MeasureKind.UCLA3: MeasureDefinition(
        kind=MeasureKind.UCLA3,
        title="UCLA 3-item loneliness scale",
        short_title="UCLA3",
        intro=(
            "The next questions are about how you feel about different aspects of your "
            "life. For each one, please say how often you feel that way."
        ),
        items=(
            Item(
                "companionship",
                "How often do you feel that you lack companionship?",
                _UCLA3_ANSWERS,
            ),
            Item("left_out", "How often do you feel left out?", _UCLA3_ANSWERS),
            Item("isolated", "How often do you feel isolated from others?", _UCLA3_ANSWERS),
        ),
        copyright=None,
    ),
    MeasureKind.ONS_LONELINESS: MeasureDefinition(
        kind=MeasureKind.ONS_LONELINESS,
        title="ONS direct loneliness question",
        short_title="ONS loneliness",
        intro="Please choose the answer that is closest to how you feel.",
        items=(Item("lonely", "How often do you feel lonely?", _ONS_LONELINESS_ANSWERS),),
        copyright=None,
    ),
}


def _kind(kind: MeasureKind | str) -> MeasureKind:
    try:
        return MeasureKind(kind)
    except ValueError:
        raise MeasureError(f"unknown measure: {kind!r}") from None


def definition(kind: MeasureKind | str) -> MeasureDefinition:
    """Definition of a measure (accepts the enum or its string value)."""
    return DEFINITIONS[_kind(kind)]


def answer_range(kind: MeasureKind | str, item_key: str) -> tuple[int, int]:
    """Lowest and highest answer code for one item."""
    item = definition(kind).item(item_key)
    return item.min_value, item.max_value


def answer_label(kind: MeasureKind | str, item_key: str, value: int) -> str:
    """Label shown for an answer code, e.g. ``answer_label("swemwbs", "useful", 4) == "often"``."""
    return definition(kind).item(item_key).label_for(value)


# ---------------------------------------------------------------------------
# Score names, ranges and direction
# ---------------------------------------------------------------------------

_SCORE_NAMES: dict[MeasureKind, tuple[str, ...]] = {
    MeasureKind.ONS4: ("life_satisfaction", "worthwhile", "happiness", "anxiety"),
    MeasureKind.SWEMWBS: ("raw", "metric"),
    MeasureKind.UCLA3: ("total",),
    MeasureKind.ONS_LONELINESS: ("lonely",),
}

# The scores compared between baseline and follow-up (SWEMWBS: metric only).
_COMPARABLE_NAMES: dict[MeasureKind, tuple[str, ...]] = {
    MeasureKind.ONS4: ("life_satisfaction", "worthwhile", "happiness", "anxiety"),
    MeasureKind.SWEMWBS: ("metric",),
    MeasureKind.UCLA3: ("total",),
    MeasureKind.ONS_LONELINESS: ("lonely",),
}

_SCORE_LABELS: dict[tuple[MeasureKind, str], str] = {
    (MeasureKind.ONS4, "life_satisfaction"): "life satisfaction",
    (MeasureKind.ONS4, "worthwhile"): "worthwhile",
    (MeasureKind.ONS4, "happiness"): "happiness",
    (MeasureKind.ONS4, "anxiety"): "anxiety",
    (MeasureKind.SWEMWBS, "raw"): "SWEMWBS raw score",
    (MeasureKind.SWEMWBS, "metric"): "SWEMWBS metric score",
    (MeasureKind.UCLA3, "total"): "UCLA3 loneliness total",
    (MeasureKind.ONS_LONELINESS, "lonely"): "how often lonely",
}

#: For every score name: True if a higher value is a better outcome.
HIGHER_IS_BETTER: dict[tuple[MeasureKind, str], bool] = {
    (MeasureKind.ONS4, "life_satisfaction"): True,
    (MeasureKind.ONS4, "worthwhile"): True,
    (MeasureKind.ONS4, "happiness"): True,
    (MeasureKind.ONS4, "anxiety"): False,
    (MeasureKind.SWEMWBS, "raw"): True,
    (MeasureKind.SWEMWBS, "metric"): True,
    (MeasureKind.UCLA3, "total"): False,
    (MeasureKind.ONS_LONELINESS, "lonely"): False,
}


def score_names(kind: MeasureKind | str) -> tuple[str, ...]:
    """Names of the scores :func:`score` can report for a measure (keys of ``Score.values``)."""
    return _SCORE_NAMES[_kind(kind)]


def comparable_names(kind: MeasureKind | str) -> tuple[str, ...]:
    """Score names compared by :func:`change` (ONS4 per item, SWEMWBS metric, UCLA3 total)."""
    return _COMPARABLE_NAMES[_kind(kind)]


def score_label(kind: MeasureKind | str, name: str) -> str:
    """Human label for a score name, e.g. ``"life satisfaction"``."""
    k = _kind(kind)
    try:
        return _SCORE_LABELS[(k, name)]
    except KeyError:
        raise MeasureError(f"{name}: not a score of {DEFINITIONS[k].short_title}", name) from None


def total_range(kind: MeasureKind | str) -> tuple[int, int]:
    """Possible range of the headline score.

    ONS4 has no total (items are never summed), so its per-item range 0-10 is returned;
    SWEMWBS 7-35 (raw and metric); UCLA3 3-9; ONS loneliness 1-5.
    """
    d = definition(kind)
    if d.kind is MeasureKind.ONS4:
        return 0, 10
    return sum(i.min_value for i in d.items), sum(i.max_value for i in d.items)


# ---------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------

_INT_RE = re.compile(r"[+-]?\d+")


def _coerce(item: Item, raw: object) -> int | None:
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise MeasureError(f"{item.key}: not a whole number ({raw!r})", item.key)
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str):
        text = raw.strip()
        if text == "":
            return None
        if not _INT_RE.fullmatch(text):
            raise MeasureError(f"{item.key}: not a whole number ({raw!r})", item.key)
        value = int(text)
    else:
        raise MeasureError(f"{item.key}: not a whole number ({raw!r})", item.key)
    if not item.min_value <= value <= item.max_value:
        raise MeasureError(
            f"{item.key}: {value} is out of range ({item.min_value}-{item.max_value})",
            item.key,
        )
    return value


def validate_answers(
    kind: MeasureKind | str, answers: Mapping[str, object]
) -> dict[str, int | None]:
    """Check answers and return them for every item, in item order, ``None`` if unanswered.

    Raises :class:`MeasureError` (naming the item) for an unknown item key, a value that is
    not a whole number (``bool`` and ``float`` are rejected; numeric strings such as ``"7"``
    are converted; a blank string counts as unanswered) or a value outside the item's range.
    Missing items are not an error: completeness is reported by :func:`score`.
    """
    d = definition(kind)
    known = set(d.item_keys)
    for key in answers:
        if key not in known:
            raise MeasureError(f"{key}: not an item of {d.short_title}", str(key))
    return {item.key: _coerce(item, answers.get(item.key)) for item in d.items}


# ---------------------------------------------------------------------------
# Bands
# ---------------------------------------------------------------------------

_ONS4_POSITIVE_BANDS = ((4, "low"), (6, "medium"), (8, "high"), (10, "very high"))
_ONS4_ANXIETY_BANDS = ((1, "very low"), (3, "low"), (5, "medium"), (10, "high"))


def ons4_band(item_key: str, value: int) -> str:
    """ONS threshold band for one ONS4 answer.

    life_satisfaction / worthwhile / happiness: 0-4 low, 5-6 medium, 7-8 high, 9-10 very high;
    anxiety: 0-1 very low, 2-3 low, 4-5 medium, 6-10 high.
    """
    item = DEFINITIONS[MeasureKind.ONS4].item(item_key)
    checked = _coerce(item, value)
    if checked is None:
        raise MeasureError(f"{item_key}: no answer to band", item_key)
    bands = _ONS4_ANXIETY_BANDS if item_key == "anxiety" else _ONS4_POSITIVE_BANDS
    for upper, band in bands:
        if checked <= upper:
            return band
    raise AssertionError("unreachable")  # pragma: no cover


# ---------------------------------------------------------------------------
# Scoring
# ---------------------------------------------------------------------------


class Score(BaseModel):
    """The result of scoring one set of answers.

    ``values`` holds the named scores (see :func:`score_names`); it is empty when the
    measure could not be scored. ``bands`` holds ONS4 bands per item, or the answer label
    for the ONS loneliness question.
    """

    model_config = ConfigDict(frozen=True)

    kind: MeasureKind
    complete: bool
    missing: list[str]
    values: dict[str, float]
    bands: dict[str, str]
    summary: str


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"


def _missing_summary(d: MeasureDefinition, missing: list[str]) -> str:
    n = len(missing)
    noun = "item" if len(d.items) == 1 else "items"
    return f"{d.short_title} incomplete: {n} of {len(d.items)} {noun} missing, not scored"


def score(kind: MeasureKind | str, answers: Mapping[str, object]) -> Score:
    """Validate and score a set of answers.

    * ONS4: each answered item is reported on its own with its ONS band; items are never
      summed. Because each ONS4 item stands alone, an incomplete ONS4 (``complete=False``)
      still reports the items that were answered.
    * SWEMWBS: needs all seven items; ``raw`` (7-35) and ``metric`` (from
      :data:`SWEMWBS_METRIC`). Incomplete: not scored, ``values`` empty.
    * UCLA3: needs all three items; ``total`` (3-9, higher is lonelier). Incomplete: not
      scored.
    * ONS loneliness: ``lonely`` (1 never .. 5 often/always) and its label in ``bands``.

    Raises :class:`MeasureError` for invalid answers (see :func:`validate_answers`).
    """
    d = definition(kind)
    checked = validate_answers(d.kind, answers)
    missing = [key for key, v in checked.items() if v is None]
    given = {key: v for key, v in checked.items() if v is not None}
    complete = not missing
    values: dict[str, float] = {}
    bands: dict[str, str] = {}

    if d.kind is MeasureKind.ONS4:
        parts: list[str] = []
        for key, v in given.items():
            values[key] = float(v)
            bands[key] = ons4_band(key, v)
            parts.append(f"{score_label(d.kind, key)} {v} ({bands[key]})")
        if not given:
            summary = _missing_summary(d, missing)
        elif complete:
            summary = f"{d.short_title} " + ", ".join(parts)
        else:
            gaps = ", ".join(score_label(d.kind, k) for k in missing)
            summary = f"{d.short_title} incomplete ({gaps} missing): " + ", ".join(parts)
    elif not complete:
        summary = _missing_summary(d, missing)
    elif d.kind is MeasureKind.SWEMWBS:
        raw = sum(given.values())
        metric = SWEMWBS_METRIC[raw]
        values = {"raw": float(raw), "metric": metric}
        summary = f"{d.short_title} {metric:.2f} (raw {raw})"
    elif d.kind is MeasureKind.UCLA3:
        total = sum(given.values())
        values = {"total": float(total)}
        low, high = total_range(d.kind)
        summary = f"{d.short_title} total {total} ({low}-{high}, higher is lonelier)"
    else:  # ONS loneliness
        v = given["lonely"]
        label = d.item("lonely").label_for(v)
        values = {"lonely": float(v)}
        bands = {"lonely": label}
        summary = f"Feels lonely: {label}"

    return Score(
        kind=d.kind,
        complete=complete,
        missing=missing,
        values=values,
        bands=bands,
        summary=summary,
    )


# ---------------------------------------------------------------------------
# Change between two scores
# ---------------------------------------------------------------------------


class Change(BaseModel):
    """Change in one named score between a baseline and a later score.

    ``arrow`` is one of "▲ better", "▼ worse" or "= same": it follows the outcome, not the
    number, and always carries the word so colour is never the only cue. For scores where
    lower is better (anxiety, loneliness) a fall is "▲ better"; the sign of ``difference``
    gives the numeric movement.
    """

    model_config = ConfigDict(frozen=True)

    name: str
    baseline: float
    latest: float
    difference: float
    direction: Literal["better", "worse", "same"]
    arrow: str


def change(baseline: Score, latest: Score) -> list[Change]:
    """Changes in the comparable scores present in both (ONS4 per item, SWEMWBS metric,
    UCLA3 total, ONS loneliness); scores that were not scored are skipped.

    Raises :class:`MeasureError` if the two scores are of different measures.
    """
    if baseline.kind != latest.kind:
        raise MeasureError(f"cannot compare {baseline.kind.value} with {latest.kind.value}")
    kind = baseline.kind
    out: list[Change] = []
    for name in comparable_names(kind):
        if name not in baseline.values or name not in latest.values:
            continue
        before = baseline.values[name]
        after = latest.values[name]
        diff = round(after - before, 2)
        if diff == 0:
            direction: Literal["better", "worse", "same"] = "same"
            arrow = "= same"
        else:
            improved = (diff > 0) == HIGHER_IS_BETTER[(kind, name)]
            direction = "better" if improved else "worse"
            arrow = "▲ better" if improved else "▼ worse"
        out.append(
            Change(
                name=name,
                baseline=before,
                latest=after,
                difference=diff + 0.0,  # avoid -0.0
                direction=direction,
                arrow=arrow,
            )
        )
    return out
