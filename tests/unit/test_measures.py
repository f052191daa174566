"""Tests for linkworker.measures (outcome measures, see REFERENCE.md "Outcome measures")."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.single_file import SingleFileSnapshotExtension

from linkworker import measures
from linkworker.measures import (
    DEFINITIONS,
    HIGHER_IS_BETTER,
    SWEMWBS_COPYRIGHT,
    SWEMWBS_METRIC,
    Change,
    MeasureError,
    MeasureKind,
    Score,
    Stage,
    answer_label,
    change,
    comparable_names,
    definition,
    ons4_band,
    score,
    score_names,
    total_range,
    validate_answers,
)

# The published SWEMWBS conversion table (REFERENCE.md), typed out independently of the module.
EXPECTED_METRIC = {
    7: 7.00, 8: 9.51, 9: 11.25, 10: 12.40, 11: 13.33, 12: 14.08, 13: 14.75, 14: 15.32,
    15: 15.84, 16: 16.36, 17: 16.88, 18: 17.43, 19: 17.98, 20: 18.59, 21: 19.25,
    22: 19.98, 23: 20.73, 24: 21.54, 25: 22.35, 26: 23.21, 27: 24.11, 28: 25.03,
    29: 26.02, 30: 27.03, 31: 28.13, 32: 29.31, 33: 30.70, 34: 32.55, 35: 35.00,
}  # fmt: skip

SWEMWBS_KEYS = (
    "optimistic",
    "useful",
    "relaxed",
    "dealing_with_problems",
    "thinking_clearly",
    "close_to_others",
    "own_mind",
)
ONS4_KEYS = ("life_satisfaction", "worthwhile", "happiness", "anxiety")
UCLA3_KEYS = ("companionship", "left_out", "isolated")

REFERENCE_MD = Path("/work/shared/REFERENCE.md")


def swemwbs_answers_for_raw(raw: int) -> dict[str, int]:
    """Seven answers (1-5 each) that sum to ``raw``, spread unevenly across items."""
    assert 7 <= raw <= 35
    answers = dict.fromkeys(SWEMWBS_KEYS, 1)
    extra = raw - 7
    for key in reversed(SWEMWBS_KEYS):
        add = min(4, extra)
        answers[key] += add
        extra -= add
    assert sum(answers.values()) == raw
    return answers


def ons4(ls: int, ww: int, hp: int, ax: int) -> dict[str, int]:
    return {"life_satisfaction": ls, "worthwhile": ww, "happiness": hp, "anxiety": ax}


# ---------------------------------------------------------------------------
# Module purity and enums
# ---------------------------------------------------------------------------


def test_module_is_pure() -> None:
    # Every module of the measures package: nothing but the standard library, pydantic and
    # the package's own modules.
    files = sorted(Path(measures.__file__).parent.glob("*.py"))
    assert {f.name for f in files} >= {"__init__.py", "definitions.py", "scoring.py"}
    imported: set[str] = set()
    for file in files:
        tree = ast.parse(file.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                imported.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                assert node.level == 0, "no relative imports"
                assert node.module is not None
                if node.module.startswith("linkworker.measures."):
                    continue  # the package's own modules
                imported.add(node.module.split(".")[0])
    assert "textual" not in imported
    assert "sqlite3" not in imported
    assert "linkworker" not in imported
    allowed = {"__future__", "re", "collections", "dataclasses", "enum", "typing", "pydantic"}
    allowed |= {"importlib", "tomllib"}  # definitions.py reads its package data, measures.toml
    assert imported <= allowed


def test_enum_values() -> None:
    assert [k.value for k in MeasureKind] == [
        "ons4",
        "swemwbs",
        "ucla3",
        "ons_loneliness",
        "collaborate",
    ]
    assert [s.value for s in Stage] == ["baseline", "follow_up"]
    assert set(DEFINITIONS) == set(MeasureKind)
    for kind in MeasureKind:
        assert definition(kind) is DEFINITIONS[kind]
        assert definition(kind.value) is DEFINITIONS[kind]


def test_item_keys() -> None:
    assert tuple(i.key for i in definition(MeasureKind.ONS4).items) == ONS4_KEYS
    assert tuple(i.key for i in definition(MeasureKind.SWEMWBS).items) == SWEMWBS_KEYS
    assert tuple(i.key for i in definition(MeasureKind.UCLA3).items) == UCLA3_KEYS
    assert tuple(i.key for i in definition(MeasureKind.ONS_LONELINESS).items) == ("lonely",)


# ---------------------------------------------------------------------------
# Wording, labels, copyright
# ---------------------------------------------------------------------------

EXPECTED_WORDING = {
    MeasureKind.ONS4: {
        "life_satisfaction": "Overall, how satisfied are you with your life nowadays?",
        "worthwhile": "Overall, to what extent do you feel that the things you do in your "
        "life are worthwhile?",
        "happiness": "Overall, how happy did you feel yesterday?",
        "anxiety": 'On a scale where 0 is "not at all anxious" and 10 is "completely '
        'anxious", overall, how anxious did you feel yesterday?',
    },
    MeasureKind.SWEMWBS: {
        "optimistic": "I've been feeling optimistic about the future",
        "useful": "I've been feeling useful",
        "relaxed": "I've been feeling relaxed",
        "dealing_with_problems": "I've been dealing with problems well",
        "thinking_clearly": "I've been thinking clearly",
        "close_to_others": "I've been feeling close to other people",
        "own_mind": "I've been able to make up my own mind about things",
    },
    MeasureKind.UCLA3: {
        "companionship": "How often do you feel that you lack companionship?",
        "left_out": "How often do you feel left out?",
        "isolated": "How often do you feel isolated from others?",
    },
    MeasureKind.ONS_LONELINESS: {"lonely": "How often do you feel lonely?"},
    # The authors' patient version, unmodified (CC BY-NC-ND 3.0).
    MeasureKind.COLLABORATE: {
        "understand": "How much effort was made to help you understand your health issues?",
        "listen": "How much effort was made to listen to the things that matter most to you "
        "about your health issues?",
        "include": "How much effort was made to include what matters most to you in choosing "
        "what to do next?",
    },
}


@pytest.mark.parametrize("kind", list(MeasureKind))
def test_item_wording(kind: MeasureKind) -> None:
    assert {i.key: i.wording for i in definition(kind).items} == EXPECTED_WORDING[kind]


@pytest.mark.skipif(not REFERENCE_MD.exists(), reason="shared REFERENCE.md not available")
def test_item_wording_appears_in_reference() -> None:
    text = re.sub(r"\s+", " ", REFERENCE_MD.read_text(encoding="utf-8"))
    # REFERENCE.md paraphrases CollaboRATE and sends to the authors' form for its exact
    # wording: test_item_wording pins that wording instead.
    for kind in (k for k in MeasureKind if k is not MeasureKind.COLLABORATE):
        for item in definition(kind).items:
            assert item.wording in text, item.key
    assert SWEMWBS_COPYRIGHT in text
    assert measures.COLLABORATE_ATTRIBUTION in text


def test_copyright_line_exact() -> None:
    assert SWEMWBS_COPYRIGHT == (
        "SWEMWBS © NHS Health Scotland, University of Warwick and University of "
        "Edinburgh, 2008, all rights reserved."
    )
    assert definition(MeasureKind.SWEMWBS).copyright == SWEMWBS_COPYRIGHT
    for kind in (MeasureKind.ONS4, MeasureKind.UCLA3, MeasureKind.ONS_LONELINESS):
        assert definition(kind).copyright is None


def test_swemwbs_intro() -> None:
    assert definition(MeasureKind.SWEMWBS).intro == (
        "Below are some statements about feelings and thoughts. Please tick the box that "
        "best describes your experience of each over the last 2 weeks"
    )
    for kind in MeasureKind:
        assert definition(kind).intro


def test_answer_labels() -> None:
    for item in definition(MeasureKind.SWEMWBS).items:
        assert [(a.value, a.label) for a in item.answers] == [
            (1, "none of the time"),
            (2, "rarely"),
            (3, "some of the time"),
            (4, "often"),
            (5, "all of the time"),
        ]
    for item in definition(MeasureKind.UCLA3).items:
        assert [(a.value, a.label) for a in item.answers] == [
            (1, "hardly ever or never"),
            (2, "some of the time"),
            (3, "often"),
        ]
    ons = definition(MeasureKind.ONS4)
    for key in ("life_satisfaction", "worthwhile", "happiness"):
        answers = ons.item(key).answers
        assert [a.value for a in answers] == list(range(11))
        assert answers[0].label == "0 not at all"
        assert answers[10].label == "10 completely"
        assert [a.label for a in answers[1:10]] == [str(n) for n in range(1, 10)]
    anxiety = ons.item("anxiety").answers
    assert anxiety[0].label == "0 not at all anxious"
    assert anxiety[10].label == "10 completely anxious"
    assert [a.label for a in anxiety[1:10]] == [str(n) for n in range(1, 10)]


def test_ons_loneliness_labels() -> None:
    item = definition(MeasureKind.ONS_LONELINESS).item("lonely")
    assert [(a.value, a.label) for a in item.answers] == [
        (1, "never"),
        (2, "hardly ever"),
        (3, "occasionally"),
        (4, "some of the time"),
        (5, "often/always"),
    ]
    assert answer_label(MeasureKind.ONS_LONELINESS, "lonely", 5) == "often/always"


@pytest.mark.parametrize(
    ("value", "label"),
    [(1, "never"), (2, "hardly ever"), (3, "occasionally"), (4, "some of the time"),
     (5, "often/always")],
)  # fmt: skip
def test_ons_loneliness_score(value: int, label: str) -> None:
    s = score(MeasureKind.ONS_LONELINESS, {"lonely": value})
    assert s.complete
    assert s.values == {"lonely": value}
    assert s.bands == {"lonely": label}
    assert label in s.summary


def test_ons_loneliness_incomplete() -> None:
    s = score(MeasureKind.ONS_LONELINESS, {})
    assert not s.complete
    assert s.missing == ["lonely"]
    assert s.values == {}
    assert s.bands == {}


# ---------------------------------------------------------------------------
# SWEMWBS
# ---------------------------------------------------------------------------


def test_metric_table_is_exact() -> None:
    assert SWEMWBS_METRIC == EXPECTED_METRIC
    assert sorted(SWEMWBS_METRIC) == list(range(7, 36))


@pytest.mark.parametrize(("raw", "metric"), sorted(EXPECTED_METRIC.items()))
def test_swemwbs_raw_to_metric_through_score(raw: int, metric: float) -> None:
    answers = swemwbs_answers_for_raw(raw)
    s = score(MeasureKind.SWEMWBS, answers)
    assert s.complete
    assert s.missing == []
    assert s.values == {"raw": raw, "metric": metric}
    assert s.summary == f"SWEMWBS {metric:.2f} (raw {raw})"


def test_swemwbs_summary_example() -> None:
    s = score(MeasureKind.SWEMWBS, swemwbs_answers_for_raw(26))
    assert s.summary == "SWEMWBS 23.21 (raw 26)"


def test_swemwbs_incomplete_not_scored() -> None:
    answers: dict[str, int | None] = dict(swemwbs_answers_for_raw(26))
    del answers["own_mind"]
    answers["relaxed"] = None
    s = score(MeasureKind.SWEMWBS, answers)
    assert not s.complete
    assert s.missing == ["relaxed", "own_mind"]
    assert s.values == {}
    assert s.bands == {}
    assert s.summary == "SWEMWBS incomplete: 2 of 7 items missing, not scored"


def test_swemwbs_nothing_answered() -> None:
    s = score(MeasureKind.SWEMWBS, {})
    assert not s.complete
    assert s.missing == list(SWEMWBS_KEYS)
    assert s.values == {}


# ---------------------------------------------------------------------------
# ONS4 bands and scoring
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "band"),
    [(0, "low"), (4, "low"), (5, "medium"), (6, "medium"), (7, "high"), (8, "high"),
     (9, "very high"), (10, "very high")],
)  # fmt: skip
@pytest.mark.parametrize("key", ["life_satisfaction", "worthwhile", "happiness"])
def test_ons4_positive_bands(key: str, value: int, band: str) -> None:
    assert ons4_band(key, value) == band


@pytest.mark.parametrize(
    ("value", "band"),
    [(0, "very low"), (1, "very low"), (2, "low"), (3, "low"), (4, "medium"),
     (5, "medium"), (6, "high"), (10, "high")],
)  # fmt: skip
def test_ons4_anxiety_bands(value: int, band: str) -> None:
    assert ons4_band("anxiety", value) == band


def test_ons4_band_rejects_bad_input() -> None:
    with pytest.raises(MeasureError) as err:
        ons4_band("anxiety", 11)
    assert err.value.item == "anxiety"
    with pytest.raises(MeasureError) as err:
        ons4_band("mood", 5)
    assert err.value.item == "mood"


def test_ons4_scored_item_by_item_never_summed() -> None:
    s = score(MeasureKind.ONS4, ons4(6, 7, 5, 3))
    assert s.complete
    assert s.values == {"life_satisfaction": 6, "worthwhile": 7, "happiness": 5, "anxiety": 3}
    assert s.bands == {
        "life_satisfaction": "medium",
        "worthwhile": "high",
        "happiness": "medium",
        "anxiety": "low",
    }
    # No total of any kind, under any name.
    assert set(s.values) == set(ONS4_KEYS)
    assert not {"total", "sum", "raw"} & set(s.values)
    assert "21" not in s.summary  # 6 + 7 + 5 + 3
    assert s.summary == (
        "ONS4 life satisfaction 6 (medium), worthwhile 7 (high), happiness 5 (medium), "
        "anxiety 3 (low)"
    )
    assert set(score_names(MeasureKind.ONS4)) == set(ONS4_KEYS)


def test_ons4_incomplete_reports_answered_items() -> None:
    s = score(MeasureKind.ONS4, {"life_satisfaction": 8, "anxiety": 7, "happiness": None})
    assert not s.complete
    assert s.missing == ["worthwhile", "happiness"]
    assert s.values == {"life_satisfaction": 8, "anxiety": 7}
    assert s.bands == {"life_satisfaction": "high", "anxiety": "high"}
    assert "incomplete" in s.summary


def test_ons4_nothing_answered() -> None:
    s = score(MeasureKind.ONS4, {})
    assert not s.complete
    assert s.values == {}
    assert s.summary == "ONS4 incomplete: 4 of 4 items missing, not scored"


# ---------------------------------------------------------------------------
# UCLA3
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "total"), [(1, 3), (2, 6), (3, 9)])
def test_ucla3_totals(value: int, total: int) -> None:
    s = score(MeasureKind.UCLA3, dict.fromkeys(UCLA3_KEYS, value))
    assert s.complete
    assert s.values == {"total": total}
    assert str(total) in s.summary


def test_ucla3_mixed_total() -> None:
    s = score(MeasureKind.UCLA3, {"companionship": 1, "left_out": 3, "isolated": 2})
    assert s.values == {"total": 6}


def test_ucla3_incomplete_not_scored() -> None:
    s = score(MeasureKind.UCLA3, {"companionship": 3, "left_out": 3})
    assert not s.complete
    assert s.missing == ["isolated"]
    assert s.values == {}
    assert s.summary == "UCLA3 incomplete: 1 of 3 items missing, not scored"


def test_total_ranges() -> None:
    assert total_range(MeasureKind.SWEMWBS) == (7, 35)
    assert total_range(MeasureKind.UCLA3) == (3, 9)
    assert total_range(MeasureKind.ONS_LONELINESS) == (1, 5)
    assert total_range(MeasureKind.ONS4) == (0, 10)


# ---------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "key", "value"),
    [
        (MeasureKind.ONS4, "anxiety", -1),
        (MeasureKind.ONS4, "anxiety", 11),
        (MeasureKind.ONS4, "life_satisfaction", 11),
        (MeasureKind.SWEMWBS, "optimistic", 6),
        (MeasureKind.SWEMWBS, "own_mind", 0),
        (MeasureKind.SWEMWBS, "useful", -1),
        (MeasureKind.UCLA3, "isolated", 0),
        (MeasureKind.UCLA3, "left_out", 4),
        (MeasureKind.ONS_LONELINESS, "lonely", 0),
        (MeasureKind.ONS_LONELINESS, "lonely", 6),
    ],
)
def test_out_of_range_raises_naming_item(kind: MeasureKind, key: str, value: int) -> None:
    with pytest.raises(MeasureError) as err:
        validate_answers(kind, {key: value})
    assert err.value.item == key
    assert str(err.value).startswith(f"{key}: {value} is out of range")
    with pytest.raises(MeasureError):
        score(kind, {key: value})


def test_out_of_range_message() -> None:
    with pytest.raises(MeasureError, match=r"^anxiety: 11 is out of range \(0-10\)$"):
        validate_answers(MeasureKind.ONS4, {"anxiety": 11})
    with pytest.raises(MeasureError, match=r"^optimistic: 6 is out of range \(1-5\)$"):
        validate_answers(MeasureKind.SWEMWBS, {"optimistic": 6})
    with pytest.raises(MeasureError, match=r"^left_out: 4 is out of range \(1-3\)$"):
        validate_answers(MeasureKind.UCLA3, {"left_out": 4})


@pytest.mark.parametrize("value", [2.5, 3.0, "three", "2.5", True, False, [3], object()])
def test_non_integer_raises_naming_item(value: object) -> None:
    with pytest.raises(MeasureError) as err:
        validate_answers(MeasureKind.SWEMWBS, {"optimistic": value})
    assert err.value.item == "optimistic"
    assert str(err.value).startswith("optimistic: not a whole number")


def test_bool_is_not_an_int() -> None:
    # True == 1 would otherwise be a valid SWEMWBS/UCLA3 answer.
    with pytest.raises(MeasureError) as err:
        score(MeasureKind.UCLA3, {"companionship": True, "left_out": 1, "isolated": 1})
    assert err.value.item == "companionship"


def test_unknown_item_raises_naming_item() -> None:
    with pytest.raises(MeasureError) as err:
        validate_answers(MeasureKind.ONS4, {"mood": 5})
    assert err.value.item == "mood"
    assert str(err.value).startswith("mood:")
    with pytest.raises(MeasureError) as err:
        score(MeasureKind.UCLA3, {"lonely": 2})  # an item of another measure
    assert err.value.item == "lonely"


def test_measure_error_is_value_error() -> None:
    assert issubclass(MeasureError, ValueError)


def test_validate_fills_missing_and_converts_strings() -> None:
    result = validate_answers(
        MeasureKind.ONS4, {"anxiety": "7", "happiness": " 3 ", "worthwhile": ""}
    )
    assert result == {"life_satisfaction": None, "worthwhile": None, "happiness": 3, "anxiety": 7}
    assert list(result) == list(ONS4_KEYS)


def test_string_answers_score_like_ints() -> None:
    answers = {k: str(v) for k, v in swemwbs_answers_for_raw(20).items()}
    assert score(MeasureKind.SWEMWBS, answers).values == {"raw": 20, "metric": 18.59}


def test_unknown_measure_kind() -> None:
    with pytest.raises(MeasureError):
        definition("phq9")


# ---------------------------------------------------------------------------
# Direction and change
# ---------------------------------------------------------------------------


def test_higher_is_better_covers_every_score_name() -> None:
    expected = {
        (MeasureKind.ONS4, "life_satisfaction"): True,
        (MeasureKind.ONS4, "worthwhile"): True,
        (MeasureKind.ONS4, "happiness"): True,
        (MeasureKind.ONS4, "anxiety"): False,
        (MeasureKind.SWEMWBS, "raw"): True,
        (MeasureKind.SWEMWBS, "metric"): True,
        (MeasureKind.UCLA3, "total"): False,
        (MeasureKind.ONS_LONELINESS, "lonely"): False,
        (MeasureKind.COLLABORATE, "mean"): True,
        (MeasureKind.COLLABORATE, "top_score"): True,
    }
    assert expected == HIGHER_IS_BETTER
    for kind in MeasureKind:
        for name in score_names(kind):
            assert (kind, name) in HIGHER_IS_BETTER


def test_change_anxiety_down_is_better() -> None:
    before = score(MeasureKind.ONS4, ons4(5, 5, 5, 8))
    after = score(MeasureKind.ONS4, ons4(5, 6, 4, 3))
    changes = {c.name: c for c in change(before, after)}
    assert list(changes) == list(ONS4_KEYS)
    ax = changes["anxiety"]
    assert (ax.baseline, ax.latest, ax.difference) == (8, 3, -5)
    assert ax.direction == "better"
    assert "better" in ax.arrow
    assert changes["worthwhile"].direction == "better"
    assert changes["happiness"].direction == "worse"
    assert "worse" in changes["happiness"].arrow
    assert changes["life_satisfaction"].direction == "same"
    assert changes["life_satisfaction"].arrow == "= same"


def test_change_anxiety_up_is_worse() -> None:
    before = score(MeasureKind.ONS4, ons4(5, 5, 5, 2))
    after = score(MeasureKind.ONS4, ons4(5, 5, 5, 6))
    ax = {c.name: c for c in change(before, after)}["anxiety"]
    assert ax.difference == 4
    assert ax.direction == "worse"
    assert ax.arrow == "▼ worse"


def test_change_swemwbs_up_is_better_and_uses_metric_only() -> None:
    before = score(MeasureKind.SWEMWBS, swemwbs_answers_for_raw(20))
    after = score(MeasureKind.SWEMWBS, swemwbs_answers_for_raw(26))
    changes = change(before, after)
    assert [c.name for c in changes] == ["metric"]
    (c,) = changes
    assert (c.baseline, c.latest) == (18.59, 23.21)
    assert c.difference == 4.62  # rounded to 2 dp, no float noise
    assert c.direction == "better"
    assert c.arrow == "▲ better"

    down = change(after, before)[0]
    assert down.difference == -4.62
    assert down.direction == "worse"
    assert down.arrow == "▼ worse"


def test_change_same() -> None:
    s = score(MeasureKind.SWEMWBS, swemwbs_answers_for_raw(24))
    (c,) = change(s, s)
    assert c.difference == 0
    assert c.direction == "same"
    assert c.arrow == "= same"


def test_change_loneliness_down_is_better() -> None:
    before = score(MeasureKind.UCLA3, dict.fromkeys(UCLA3_KEYS, 3))
    after = score(MeasureKind.UCLA3, dict.fromkeys(UCLA3_KEYS, 2))
    (c,) = change(before, after)
    assert (c.name, c.difference, c.direction) == ("total", -3, "better")
    b = score(MeasureKind.ONS_LONELINESS, {"lonely": 2})
    a = score(MeasureKind.ONS_LONELINESS, {"lonely": 5})
    (c,) = change(b, a)
    assert (c.name, c.difference, c.direction) == ("lonely", 3, "worse")


def test_change_skips_unscored() -> None:
    full = score(MeasureKind.SWEMWBS, swemwbs_answers_for_raw(20))
    partial = score(MeasureKind.SWEMWBS, {"optimistic": 3})
    assert change(full, partial) == []
    assert change(partial, full) == []
    # ONS4: only items present in both are compared.
    a = score(MeasureKind.ONS4, {"anxiety": 6, "happiness": 4})
    b = score(MeasureKind.ONS4, ons4(5, 5, 5, 2))
    assert [c.name for c in change(a, b)] == ["happiness", "anxiety"]


def test_change_different_kinds_raises() -> None:
    a = score(MeasureKind.UCLA3, dict.fromkeys(UCLA3_KEYS, 2))
    b = score(MeasureKind.ONS_LONELINESS, {"lonely": 2})
    with pytest.raises(MeasureError):
        change(a, b)


def test_comparable_names() -> None:
    assert comparable_names(MeasureKind.SWEMWBS) == ("metric",)
    assert comparable_names(MeasureKind.UCLA3) == ("total",)
    assert set(comparable_names(MeasureKind.ONS4)) == set(ONS4_KEYS)


# ---------------------------------------------------------------------------
# Serialisation
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "answers"),
    [
        (MeasureKind.ONS4, ons4(6, 7, 5, 3)),
        (MeasureKind.ONS4, {"anxiety": 2}),
        (MeasureKind.SWEMWBS, swemwbs_answers_for_raw(26)),
        (MeasureKind.SWEMWBS, {"useful": 4}),
        (MeasureKind.UCLA3, dict.fromkeys(UCLA3_KEYS, 2)),
        (MeasureKind.ONS_LONELINESS, {"lonely": 5}),
    ],
)
def test_score_round_trips_through_json(kind: MeasureKind, answers: dict[str, int]) -> None:
    s = score(kind, answers)
    dumped = s.model_dump(mode="json")
    assert dumped["kind"] == kind.value
    again = Score.model_validate(dumped)
    assert again == s
    assert again.kind is kind
    assert Score.model_validate_json(s.model_dump_json()) == s


def test_change_round_trips_through_json() -> None:
    before = score(MeasureKind.SWEMWBS, swemwbs_answers_for_raw(20))
    after = score(MeasureKind.SWEMWBS, swemwbs_answers_for_raw(26))
    (c,) = change(before, after)
    assert Change.model_validate(c.model_dump(mode="json")) == c


# ---------------------------------------------------------------------------
# CollaboRATE (Elwyn et al. 2013)
# ---------------------------------------------------------------------------


def test_collaborate_answers_are_the_authors_anchors_0_to_9() -> None:
    d = definition(MeasureKind.COLLABORATE)
    assert (
        d.copyright
        == measures.COLLABORATE_ATTRIBUTION
        == ("CollaboRATE: Elwyn G, Barr PJ et al. 2013; CC BY-NC-ND 3.0")
    )
    for item in d.items:
        assert [a.value for a in item.answers] == list(range(10))
        assert item.answers[0].label == "0 No effort was made"
        assert item.answers[-1].label == "9 Every effort was made"
        assert [a.label for a in item.answers[1:-1]] == [str(n) for n in range(1, 9)]
    assert total_range(MeasureKind.COLLABORATE) == (0, 9)
    assert comparable_names(MeasureKind.COLLABORATE) == ("mean",)
    assert score_names(MeasureKind.COLLABORATE) == ("mean", "top_score")


def test_collaborate_top_score_is_all_three_9_and_the_mean_beside_it() -> None:
    top = score("collaborate", {"understand": 9, "listen": 9, "include": 9})
    assert top.values == {"mean": 9.0, "top_score": 1.0}
    assert top.bands == {"mean": "top score"}
    assert top.summary == "CollaboRATE mean 9 of 9, top score (all three 9)"
    near = score("collaborate", {"understand": 9, "listen": 9, "include": 8})
    assert near.values == {"mean": 8.67, "top_score": 0.0}
    assert near.bands == {} and near.summary == "CollaboRATE mean 8.67 of 9, not the top score"
    assert score("collaborate", {"understand": 0, "listen": 0, "include": 0}).values["mean"] == 0


def test_collaborate_needs_all_three_and_refuses_10() -> None:
    part = score("collaborate", {"understand": 9, "listen": 9})
    assert not part.complete and part.values == {} and part.missing == ["include"]
    with pytest.raises(MeasureError, match=r"listen: 10 is out of range \(0-9\)") as caught:
        validate_answers("collaborate", {"understand": 9, "listen": 10})
    assert measures.item_of_error("collaborate", caught.value) == (
        2,
        definition("collaborate").item("listen"),
        "10 is out of range (0-9)",
    )


def test_answers_in_order_need_one_for_each_item() -> None:
    assert measures.answers_in_order("ucla3", ["1", " 2", ""]) == {
        "companionship": "1",
        "left_out": "2",
        "isolated": "",
    }
    with pytest.raises(MeasureError, match="ONS4 has 4 items and 1 answer was given"):
        measures.answers_in_order("ons4", ["5"])
    with pytest.raises(MeasureError, match=r"unknown measure: 'x' \(give one of ons4, "):
        measures.answers_in_order("x", ["5"])


class GoldenJson(SingleFileSnapshotExtension):
    _file_extension = "json"


def test_every_word_and_score_of_every_measure_is_as_it_was(snapshot: SnapshotAssertion) -> None:
    # The items and answers are licensed text (SWEMWBS, CollaboRATE CC BY-NC-ND): used
    # exactly as published. The golden file was written from the measures as they stood in
    # Python before their wording moved to measures.toml; it must never change unless a
    # measure's publisher changes it.
    every = {
        kind.value: {
            "title": d.title,
            "short_title": d.short_title,
            "intro": d.intro,
            "copyright": d.copyright,
            "items": [
                {
                    "key": i.key,
                    "wording": i.wording,
                    "answers": [[a.value, a.label] for a in i.answers],
                }
                for i in d.items
            ],
            "scores": [
                [
                    name,
                    measures.score_label(kind, name),
                    HIGHER_IS_BETTER[(kind, name)],
                    name in comparable_names(kind),
                ]
                for name in score_names(kind)
            ],
            "total_range": list(total_range(kind)),
        }
        for kind, d in DEFINITIONS.items()
    }
    text = json.dumps(every, ensure_ascii=False, indent=1) + "\n"
    assert text.encode("utf-8") == snapshot.use_extension(GoldenJson)


@pytest.mark.parametrize("value", ["２", "1２", "٢", "７"])
def test_only_the_digits_0_to_9_are_an_answer(value: str) -> None:
    """Full-width and Arabic-Indic digits look like numbers but are not typed answers."""
    with pytest.raises(MeasureError) as err:
        validate_answers(MeasureKind.ONS4, {"anxiety": value})
    assert err.value.item == "anxiety"
    assert str(err.value) == (
        f"anxiety: not a whole number ({value!r}): type it with the digits 0-9 (0-10)"
    )


@pytest.mark.parametrize(
    "value",
    ["9" * 5000, "-" + "1" * 7, 10**5000, "0" * 7],
    ids=["5000-digits", "minus-7-digits", "int-5001-digits", "7-zeros"],
)
def test_an_answer_of_too_many_digits_is_named_with_its_range(value: object) -> None:
    with pytest.raises(MeasureError) as err:
        validate_answers(MeasureKind.UCLA3, {"left_out": value})
    assert err.value.item == "left_out"
    assert str(err.value) == ("left_out: a number of more than 6 digits is not an answer (1-3)")
    assert measures.item_of_error(MeasureKind.UCLA3, err.value) is not None
