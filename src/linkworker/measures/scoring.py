"""Scoring the outcome measures: validating answers, bands, scores and change.

Pure (standard library and pydantic only):

* ONS4 personal wellbeing: four items scored 0-10, each reported on its own, never summed.
* SWEMWBS: seven items scored 1-5; the raw sum (7-35) is always converted to the metric score
  with :data:`SWEMWBS_METRIC`; a score needs all seven items.
* UCLA 3-item loneliness scale: three items scored 1-3, total 3-9, higher is lonelier.
* ONS direct loneliness question ("How often do you feel lonely?"), coded 1 (never) to
  5 (often/always) so that higher is lonelier.
* CollaboRATE: three items scored 0-9, as its authors score it: the "top score" (all three
  answers 9) and the mean of the three; a score needs all three.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict

from linkworker.measures.definitions import (
    DEFINITIONS,
    HIGHER_IS_BETTER,
    Item,
    MeasureDefinition,
    MeasureError,
    MeasureKind,
    comparable_names,
    definition,
    score_label,
    total_range,
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

# ---------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------

#: A whole number as typed: ASCII digits only (``\d`` would take full-width "２" and
#: Arabic-Indic "٢" too, which no form or export of ours writes as an answer).
_INT_RE = re.compile(r"[+-]?[0-9]+")
#: The most digits an answer is read with: every scale stops at 10, so a longer number is a
#: slip, and reading one of thousands of digits would fail with Python's own message.
LONGEST_ANSWER = 6
#: How much of an answer that is not a number the message repeats.
_SHOWN = 20


def _shown(raw: str) -> str:
    return repr(raw if len(raw) <= _SHOWN else raw[:_SHOWN] + "…")


def _whole_number(item: Item, raw: object) -> int | None:
    """The answer as a whole number, None when blank; MeasureError for anything else.

    Each message starts with the item key (callers turn it into the answer's number and
    wording) and, where the answer looked like a number, gives the item's range.
    """
    scale = f"{item.min_value}-{item.max_value}"
    too_long = MeasureError(
        f"{item.key}: a number of more than {LONGEST_ANSWER} digits is not an answer ({scale})",
        item.key,
    )
    if isinstance(raw, str) and raw.strip() == "":
        return None
    if isinstance(raw, int) and not isinstance(raw, bool):
        if abs(raw) >= 10**LONGEST_ANSWER:
            raise too_long
        return raw
    if isinstance(raw, str):
        text = raw.strip()
        if _INT_RE.fullmatch(text):
            if len(text.lstrip("+-")) > LONGEST_ANSWER:
                raise too_long
            return int(text)
        if any(character.isdigit() for character in text):
            raise MeasureError(
                f"{item.key}: not a whole number ({_shown(text)}): type it with the digits "
                f"0-9 ({scale})",
                item.key,
            )
        raise MeasureError(f"{item.key}: not a whole number ({_shown(raw)})", item.key)
    raise MeasureError(f"{item.key}: not a whole number ({raw!r})", item.key)


def _coerce(item: Item, raw: object) -> int | None:
    if raw is None:
        return None
    value = _whole_number(item, raw)
    if value is not None and not item.min_value <= value <= item.max_value:
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


def answers_in_order(kind: MeasureKind | str, values: Sequence[str]) -> dict[str, str]:
    """Answers given in the order the items are asked ("3,4,2" split), keyed by item.

    Raises :class:`MeasureError` when there are not as many answers as items; each value
    is checked by :func:`validate_answers` when the measure is recorded.
    """
    d = definition(kind)
    if len(values) != len(d.items):
        raise MeasureError(
            f"answers: {d.short_title} has {len(d.items)} items and {len(values)} "
            f"answer{'s were' if len(values) != 1 else ' was'} given; give one for each item "
            "in order, separated by commas (leave one empty to skip it)",
            "answers",
        )
    return {item.key: value.strip() for item, value in zip(d.items, values, strict=True)}


def item_of_error(kind: MeasureKind | str, exc: MeasureError) -> tuple[int, Item, str] | None:
    """For an error about one item: its number as asked, the item, and the reason alone
    ("11 is out of range (0-10)"); None for an error about no single item."""
    d = definition(kind)
    if exc.item not in d.item_keys:
        return None
    return d.item_keys.index(exc.item) + 1, d.item(exc.item), str(exc).split(": ", 1)[-1]


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


def _missing_summary(d: MeasureDefinition, missing: list[str]) -> str:
    n = len(missing)
    noun = "item" if len(d.items) == 1 else "items"
    return f"{d.short_title} incomplete: {n} of {len(d.items)} {noun} missing, not scored"


def _ons4(
    d: MeasureDefinition, given: dict[str, int], missing: list[str]
) -> tuple[dict[str, float], dict[str, str], str]:
    """Each answered ONS4 item on its own with its band; an incomplete ONS4 still reports them."""
    values: dict[str, float] = {}
    bands: dict[str, str] = {}
    parts: list[str] = []
    for key, v in given.items():
        values[key] = float(v)
        bands[key] = ons4_band(key, v)
        parts.append(f"{score_label(d.kind, key)} {v} ({bands[key]})")
    if not given:
        summary = _missing_summary(d, missing)
    elif not missing:
        summary = f"{d.short_title} " + ", ".join(parts)
    else:
        gaps = ", ".join(score_label(d.kind, k) for k in missing)
        summary = f"{d.short_title} incomplete ({gaps} missing): " + ", ".join(parts)
    return values, bands, summary


def _whole(
    d: MeasureDefinition, given: dict[str, int]
) -> tuple[dict[str, float], dict[str, str], str]:
    """A measure scored as a whole (every item answered)."""
    if d.kind is MeasureKind.SWEMWBS:
        raw = sum(given.values())
        metric = SWEMWBS_METRIC[raw]
        return (
            {"raw": float(raw), "metric": metric},
            {},
            f"{d.short_title} {metric:.2f} (raw {raw})",
        )
    if d.kind is MeasureKind.UCLA3:
        total = sum(given.values())
        low, high = total_range(d.kind)
        summary = f"{d.short_title} total {total} ({low}-{high}, higher is lonelier)"
        return {"total": float(total)}, {}, summary
    if d.kind is MeasureKind.COLLABORATE:
        return _collaborate(d, given)
    v = given["lonely"]  # ONS loneliness
    label = d.item("lonely").label_for(v)
    return {"lonely": float(v)}, {"lonely": label}, f"Feels lonely: {label}"


def _collaborate(
    d: MeasureDefinition, given: dict[str, int]
) -> tuple[dict[str, float], dict[str, str], str]:
    """The authors' scores: the mean of the three answers, and whether all three are 9."""
    mean = round(sum(given.values()) / len(given), 2)
    top = all(v == 9 for v in given.values())
    shown = str(int(mean)) if mean.is_integer() else f"{mean:.2f}"
    summary = f"{d.short_title} mean {shown} of 9, " + (
        "top score (all three 9)" if top else "not the top score"
    )
    bands = {"mean": "top score"} if top else {}
    return {"mean": mean, "top_score": 1.0 if top else 0.0}, bands, summary


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
    * CollaboRATE: needs all three items; ``mean`` (0-9, two places) and ``top_score``
      (1.0 when all three answers are 9, else 0.0); "top score" in ``bands`` when it is one.

    Raises :class:`MeasureError` for invalid answers (see :func:`validate_answers`).
    """
    d = definition(kind)
    checked = validate_answers(d.kind, answers)
    missing = [key for key, v in checked.items() if v is None]
    given = {key: v for key, v in checked.items() if v is not None}
    if d.kind is MeasureKind.ONS4:
        values, bands, summary = _ons4(d, given, missing)
    elif missing:
        values, bands, summary = {}, {}, _missing_summary(d, missing)
    else:
        values, bands, summary = _whole(d, given)
    return Score(
        kind=d.kind,
        complete=not missing,
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
