"""The outcome measures' wording: items as read to the person, answer labels, score names.

Pure (standard library only). The measures are those of REFERENCE.md, "Outcome measures";
anything that shows SWEMWBS items or scores must also show :data:`SWEMWBS_COPYRIGHT`, and
anything that shows CollaboRATE must show :data:`COLLABORATE_ATTRIBUTION` (CC BY-NC-ND 3.0:
its items and answers are used exactly as its authors publish them).
Scoring them is :mod:`linkworker.measures.scoring`.
"""

from __future__ import annotations

from dataclasses import dataclass
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


SWEMWBS_COPYRIGHT = (
    "SWEMWBS © NHS Health Scotland, University of Warwick and University of Edinburgh, "
    "2008, all rights reserved."
)


#: CollaboRATE's licence asks for attribution wherever it is used.
COLLABORATE_ATTRIBUTION = "CollaboRATE: Elwyn G, Barr PJ et al. 2013; CC BY-NC-ND 3.0"


def _zero_to(top: int, low: str, high: str) -> tuple[Answer, ...]:
    """A 0..top scale whose two ends carry words and whose numbers between do not."""
    answers = [Answer(0, f"0 {low}")]
    answers += [Answer(n, str(n)) for n in range(1, top)]
    answers.append(Answer(top, f"{top} {high}"))
    return tuple(answers)


_ONS4_ANSWERS = _zero_to(10, "not at all", "completely")
_ONS4_ANXIETY_ANSWERS = _zero_to(10, "not at all anxious", "completely anxious")
# The authors' anchors, unmodified (CC BY-NC-ND): 0 and 9 are the only labelled answers.
_COLLABORATE_ANSWERS = _zero_to(9, "No effort was made", "Every effort was made")

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


def _items(answers: tuple[Answer, ...], *wordings: tuple[str, str]) -> tuple[Item, ...]:
    """Items that share one set of answers, from (key, wording) pairs."""
    return tuple(Item(key, wording, answers) for key, wording in wordings)


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
        items=_items(
            _ONS4_ANSWERS,
            ("life_satisfaction", "Overall, how satisfied are you with your life nowadays?"),
            (
                "worthwhile",
                "Overall, to what extent do you feel that the things you do in your life "
                "are worthwhile?",
            ),
            ("happiness", "Overall, how happy did you feel yesterday?"),
        )
        + _items(
            _ONS4_ANXIETY_ANSWERS,
            (
                "anxiety",
                'On a scale where 0 is "not at all anxious" and 10 is "completely anxious", '
                "overall, how anxious did you feel yesterday?",
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
        items=_items(
            _SWEMWBS_ANSWERS,
            ("optimistic", "I've been feeling optimistic about the future"),
            ("useful", "I've been feeling useful"),
            ("relaxed", "I've been feeling relaxed"),
            ("dealing_with_problems", "I've been dealing with problems well"),
            ("thinking_clearly", "I've been thinking clearly"),
            ("close_to_others", "I've been feeling close to other people"),
            ("own_mind", "I've been able to make up my own mind about things"),
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
        items=_items(
            _UCLA3_ANSWERS,
            ("companionship", "How often do you feel that you lack companionship?"),
            ("left_out", "How often do you feel left out?"),
            ("isolated", "How often do you feel isolated from others?"),
        ),
        copyright=None,
    ),
    MeasureKind.ONS_LONELINESS: MeasureDefinition(
        kind=MeasureKind.ONS_LONELINESS,
        title="ONS direct loneliness question",
        short_title="ONS loneliness",
        intro="Please choose the answer that is closest to how you feel.",
        items=_items(_ONS_LONELINESS_ANSWERS, ("lonely", "How often do you feel lonely?")),
        copyright=None,
    ),
    MeasureKind.COLLABORATE: MeasureDefinition(
        kind=MeasureKind.COLLABORATE,
        title="CollaboRATE: involvement in the conversation",
        short_title="CollaboRATE",
        # The tool's own instruction to the worker; the three items below are the authors'.
        intro=("About the conversation just held, asked in private: each answer is from 0 to 9."),
        items=_items(
            _COLLABORATE_ANSWERS,
            ("understand", "How much effort was made to help you understand your health issues?"),
            (
                "listen",
                "How much effort was made to listen to the things that matter most to you "
                "about your health issues?",
            ),
            (
                "include",
                "How much effort was made to include what matters most to you in choosing "
                "what to do next?",
            ),
        ),
        copyright=COLLABORATE_ATTRIBUTION,
    ),
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
    MeasureKind.ONS4: (
        _ScoreName("life_satisfaction", "life satisfaction", True),
        _ScoreName("worthwhile", "worthwhile", True),
        _ScoreName("happiness", "happiness", True),
        _ScoreName("anxiety", "anxiety", False),
    ),
    MeasureKind.SWEMWBS: (
        _ScoreName("raw", "SWEMWBS raw score", True, compared=False),
        _ScoreName("metric", "SWEMWBS metric score", True),
    ),
    MeasureKind.UCLA3: (_ScoreName("total", "UCLA3 loneliness total", False),),
    MeasureKind.ONS_LONELINESS: (_ScoreName("lonely", "how often lonely", False),),
    # The authors' two scores: the mean of the three answers (0-9), and the "top score",
    # 1 when all three are 9 (a proportion of conversations once reported).
    MeasureKind.COLLABORATE: (
        _ScoreName("mean", "CollaboRATE mean", True),
        _ScoreName("top_score", "CollaboRATE top score (all three 9)", True, compared=False),
    ),
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
