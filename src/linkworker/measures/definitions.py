"""The outcome measures' wording: items as read to the person, answer labels, score names.

Pure (standard library only). The measures are those of REFERENCE.md, "Outcome measures",
and their words are in ``measures.toml`` beside this module (read once, at import);
anything that shows SWEMWBS items or scores must also show :data:`SWEMWBS_COPYRIGHT`, and
anything that shows CollaboRATE must show :data:`COLLABORATE_ATTRIBUTION` (CC BY-NC-ND 3.0:
its items and answers are used exactly as its authors publish them).
Scoring them is :mod:`linkworker.measures.scoring`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any

from linkworker.measures.kinds import MeasureKind as MeasureKind
from linkworker.measures.kinds import Stage as Stage


class MeasureError(ValueError):
    """An answer or request that does not fit a measure.

    ``item`` names the item (or score) concerned, or is ``None`` when the problem is not
    about a single item. The message starts with the item key, e.g.
    ``"anxiety: 11 is out of range (0-10)"``.
    """

    def __init__(self, message: str, item: str | None = None) -> None:
        super().__init__(message)
        self.item = item


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


def _zero_to(top: int, low: str, high: str) -> tuple[Answer, ...]:
    """A 0..top scale whose two ends carry words and whose numbers between do not."""
    answers = [Answer(0, f"0 {low}")]
    answers += [Answer(n, str(n)) for n in range(1, top)]
    answers.append(Answer(top, f"{top} {high}"))
    return tuple(answers)


def _scale(about: dict[str, Any]) -> tuple[Answer, ...]:
    """One of measures.toml's [scales]: ``zero_to`` with its two ends' words, or ``from_1``."""
    if "zero_to" in about:
        return _zero_to(about["zero_to"], about["low"], about["high"])
    return tuple(Answer(code, label) for code, label in enumerate(about["from_1"], start=1))


# Package data (measures.toml, beside this module): the measures' published wording is
# licensed text to be kept exactly as it is, not code.
_TEXT = resources.files(__package__).joinpath("measures.toml").read_text(encoding="utf-8")
_DATA = tomllib.loads(_TEXT)
_SCALES = {name: _scale(about) for name, about in _DATA["scales"].items()}

SWEMWBS_COPYRIGHT: str = _DATA["copyright"]["swemwbs"]
#: CollaboRATE's licence asks for attribution wherever it is used.
COLLABORATE_ATTRIBUTION: str = _DATA["copyright"]["collaborate"]


def _definition(kind: MeasureKind, about: dict[str, Any]) -> MeasureDefinition:
    """One of measures.toml's [measures] tables as a definition."""
    return MeasureDefinition(
        kind=kind,
        title=about["title"],
        short_title=about["short_title"],
        intro=about["intro"],
        items=tuple(Item(i["key"], i["wording"], _SCALES[i["scale"]]) for i in about["items"]),
        copyright=_DATA["copyright"][about["copyright"]] if "copyright" in about else None,
    )


DEFINITIONS: dict[MeasureKind, MeasureDefinition] = {
    MeasureKind(kind): _definition(MeasureKind(kind), about)
    for kind, about in _DATA["measures"].items()
}


def kind_of(kind: MeasureKind | str) -> MeasureKind:
    """The measure named (the enum or its value); MeasureError for an unknown one."""
    try:
        return MeasureKind(kind)
    except ValueError:
        known = ", ".join(k.value for k in MeasureKind)
        raise MeasureError(f"unknown measure: {kind!r} (give one of {known})", "kind") from None


def definition(kind: MeasureKind | str) -> MeasureDefinition:
    """Definition of a measure (accepts the enum or its string value)."""
    return DEFINITIONS[kind_of(kind)]


def answer_range(kind: MeasureKind | str, item_key: str) -> tuple[int, int]:
    """Lowest and highest answer code for one item."""
    item = definition(kind).item(item_key)
    return item.min_value, item.max_value


def answer_label(kind: MeasureKind | str, item_key: str, value: int) -> str:
    """Label shown for an answer code, e.g. ``answer_label("swemwbs", "useful", 4) == "often"``."""
    return definition(kind).item(item_key).label_for(value)


# ---------------------------------------------------------------------------
# Score names, labels and direction
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _ScoreName:
    name: str
    label: str
    higher_is_better: bool
    compared: bool = True  # compared between baseline and follow-up (SWEMWBS: metric only)


_SCORES: dict[MeasureKind, tuple[_ScoreName, ...]] = {
    MeasureKind(kind): tuple(_ScoreName(**s) for s in about["scores"])
    for kind, about in _DATA["measures"].items()
}

#: For every score name: True if a higher value is a better outcome.
HIGHER_IS_BETTER: dict[tuple[MeasureKind, str], bool] = {
    (kind, s.name): s.higher_is_better for kind, names in _SCORES.items() for s in names
}


def score_names(kind: MeasureKind | str) -> tuple[str, ...]:
    """Names of the scores :func:`score` can report for a measure (keys of ``Score.values``)."""
    return tuple(s.name for s in _SCORES[kind_of(kind)])


def comparable_names(kind: MeasureKind | str) -> tuple[str, ...]:
    """Score names compared by :func:`change` (ONS4 per item, SWEMWBS metric, UCLA3 total)."""
    return tuple(s.name for s in _SCORES[kind_of(kind)] if s.compared)


def score_label(kind: MeasureKind | str, name: str) -> str:
    """Human label for a score name, e.g. ``"life satisfaction"``."""
    k = kind_of(kind)
    for s in _SCORES[k]:
        if s.name == name:
            return s.label
    raise MeasureError(f"{name}: not a score of {DEFINITIONS[k].short_title}", name)


def total_range(kind: MeasureKind | str) -> tuple[int, int]:
    """Possible range of the headline score.

    ONS4 has no total (items are never summed), so its per-item range 0-10 is returned;
    SWEMWBS 7-35 (raw and metric); UCLA3 3-9; ONS loneliness 1-5; CollaboRATE 0-9 (its
    score is the mean of the three answers, never their sum).
    """
    d = definition(kind)
    if d.kind is MeasureKind.ONS4:
        return 0, 10
    if d.kind is MeasureKind.COLLABORATE:
        return 0, 9
    return sum(i.min_value for i in d.items), sum(i.max_value for i in d.items)
