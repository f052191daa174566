"""What else a suggestion weighs beyond needs, age and area: the person's own words about
what matters, the languages they speak, and whether an activity is running this season."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlite_utils import Database

from linkworker.directory.matching import fold
from linkworker.directory.rows import ActivityRow, decode_list, json_value
from linkworker.directory.wording import long_date

_WORD = re.compile(r"[^\W\d_]+")
#: Everyday words that say nothing about an activity ("she would like to get out more").
_COMMON = frozenset(
    {
        "able",
        "about",
        "after",
        "again",
        "agreed",
        "alone",
        "also",
        "although",
        "always",
        "anyone",
        "anything",
        "around",
        "back",
        "because",
        "been",
        "before",
        "being",
        "better",
        "both",
        "came",
        "cannot",
        "come",
        "comes",
        "completely",
        "could",
        "daughter",
        "days",
        "died",
        "discussed",
        "does",
        "doing",
        "done",
        "each",
        "either",
        "else",
        "enough",
        "even",
        "every",
        "everyone",
        "everything",
        "feel",
        "feeling",
        "feels",
        "find",
        "finding",
        "first",
        "found",
        "from",
        "gave",
        "getting",
        "give",
        "given",
        "goes",
        "going",
        "half",
        "have",
        "having",
        "help",
        "hers",
        "herself",
        "himself",
        "home",
        "house",
        "husband",
        "into",
        "just",
        "keen",
        "keep",
        "keeping",
        "kept",
        "last",
        "least",
        "less",
        "life",
        "like",
        "little",
        "lives",
        "look",
        "looked",
        "looking",
        "losing",
        "lots",
        "made",
        "make",
        "making",
        "many",
        "maybe",
        "might",
        "mine",
        "month",
        "months",
        "more",
        "most",
        "much",
        "myself",
        "need",
        "needed",
        "needs",
        "neither",
        "never",
        "next",
        "night",
        "nothing",
        "okay",
        "once",
        "only",
        "options",
        "other",
        "ours",
        "ourselves",
        "over",
        "part",
        "people",
        "quite",
        "raised",
        "rather",
        "really",
        "referral",
        "said",
        "same",
        "says",
        "seem",
        "seems",
        "since",
        "some",
        "someone",
        "something",
        "sort",
        "sorting",
        "spoke",
        "spoken",
        "still",
        "such",
        "sure",
        "take",
        "taken",
        "takes",
        "talk",
        "talked",
        "talking",
        "than",
        "that",
        "their",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "thing",
        "things",
        "this",
        "those",
        "though",
        "through",
        "time",
        "today",
        "together",
        "told",
        "took",
        "tried",
        "trying",
        "twice",
        "used",
        "using",
        "very",
        "want",
        "wants",
        "week",
        "weeks",
        "well",
        "went",
        "what",
        "when",
        "where",
        "whether",
        "which",
        "while",
        "whilst",
        "whole",
        "wife",
        "will",
        "with",
        "within",
        "without",
        "worse",
        "would",
        "year",
        "years",
        "your",
        "yours",
    }
)
_SUFFIXES = ("ing", "ers", "er", "es", "ed", "s")
#: The language most activities are run in: saying an activity speaks it tells nobody much.
_USUAL_LANGUAGE = "english"


def stem(word: str) -> str:
    """A word cut to the part an activity's words would start with: walking -> walk."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    if len(word) > 4 and word[-1] == word[-2]:
        word = word[:-1]  # swimm(ing) -> swim
    return word


def latest_conversation(db: Database, person_id: int) -> dict[str, Any] | None:
    """The person's latest "what matters" conversation that is not struck out."""
    rows = db.query(
        "SELECT * FROM conversations WHERE person_id = ? AND entered_in_error_at IS NULL "
        "ORDER BY held_on DESC, id DESC LIMIT 1",
        [person_id],
    )
    return next(iter(rows), None)


def what_matters_words(db: Database, person_id: int) -> list[str]:
    """The telling words of what matters to the person: the latest conversation's "what
    matters" and need notes, and their open goals' wording, each once, in order."""
    texts: list[str] = []
    conversation = latest_conversation(db, person_id)
    if conversation:
        row = (conversation["what_matters"], conversation["needs"])
        texts.append(row[0] or "")
        notes = json_value(row[1], {})
        if isinstance(notes, dict):
            texts += [str(n) for n in notes.values() if n]
    texts += [
        str(r[0])
        for r in db.execute(
            "SELECT description FROM goals WHERE person_id = ? AND status = 'open' "
            "AND entered_in_error_at IS NULL ORDER BY set_on, id",
            [person_id],
        ).fetchall()
    ]
    words = [w.lower() for text in texts for w in _WORD.findall(text)]
    return list(dict.fromkeys(w for w in words if len(w) >= 4 and w not in _COMMON))


def person_languages(db: Database, person_id: int) -> list[str]:
    """The languages the directory knows that the person's communication needs (or the
    note on their barriers) name, other than English: 'Welsh speaker, no interpreter'."""
    said = db.execute(
        "SELECT coalesce(p.communication_needs, '') || ' ' || coalesce(("
        "SELECT c.barriers_note FROM conversations c WHERE c.person_id = p.id "
        "AND c.entered_in_error_at IS NULL ORDER BY c.held_on DESC, c.id DESC LIMIT 1), '') "
        "FROM people p WHERE p.id = ?",
        [person_id],
    ).fetchone()
    words = set(fold(said[0]).split()) if said else set()
    words = {w.strip(".,;:()") for w in words}
    known = db.execute(
        "SELECT DISTINCT l.value FROM activities a, json_each(a.languages) l "
        "WHERE a.retired = 0 ORDER BY l.value"
    ).fetchall()
    return [
        str(name)
        for (name,) in known
        if fold(str(name)) != _USUAL_LANGUAGE and fold(str(name)) in words
    ]


def matched_words(words: list[str], row: ActivityRow) -> list[str]:
    """Which of the person's words an activity's name, description or categories answer
    (as the start of one of its words: 'walking' matches 'Health Walks')."""
    text = " ".join(
        [str(row["name"] or ""), str(row["description"] or ""), *decode_list(row["categories"])]
    )
    starts = set(fold(text).split())
    found = [w for w in words if any(s.startswith(stem(fold(w))) for s in starts)]
    return found[:3]


def spoken(languages: list[str], row: ActivityRow) -> list[str]:
    """The person's languages the activity says it is run in."""
    offered = {fold(x) for x in decode_list(row["languages"])}
    return [name for name in languages if fold(name) in offered]


@dataclass(frozen=True)
class Season:
    """Whether an activity runs now: over (not suggested), starting later, or running."""

    over: bool = False
    starts_on: date | None = None

    def words(self) -> str:
        return f"starts on {long_date(self.starts_on.isoformat())}" if self.starts_on else ""


def _day(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def season(row: ActivityRow, today: date) -> Season:
    """The activity's season from its schedules' valid_from/valid_to (or dtstart/until).

    Over when every session has ended; starting later when none that is still to run has
    begun by today. An activity with no dated sessions runs all year.
    """
    sessions = [s for s in json_value(row.get("schedules"), []) if isinstance(s, dict)]
    running: list[date | None] = []
    for s in sessions:
        end = _day(s.get("valid_to")) or _day(s.get("until"))
        if end is not None and end < today:
            continue
        running.append(_day(s.get("valid_from")) or _day(s.get("dtstart")))
    if sessions and not running:
        return Season(over=True)
    if running and all(start is not None and start > today for start in running):
        return Season(starts_on=min(s for s in running if s is not None))
    return Season()
