"""Outcome measures on a person's record: storing them, their history and the change.

:mod:`linkworker.measures` stays pure (wording, validation, scoring); this module keeps what
was taken. Each ``measures`` row holds the item answers (``null`` for an item not answered),
the date, the stage (baseline or follow-up), the computed :class:`~linkworker.measures.Score`
as JSON and a ``complete`` flag, so a subject access export can show exactly what was asked,
answered and scored. An incomplete SWEMWBS or UCLA-3 is stored as incomplete and is not
scored; out-of-range answers are refused before anything is written.

The change shown to the link worker compares the latest baseline with the latest follow-up
taken on or after it, in the measure's own direction (anxiety and loneliness: lower is
better).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlite_utils import Database

from linkworker import measures as m
from linkworker.clock import Clock
from linkworker.display import literal, short_date, table_date
from linkworker.store import audit
from linkworker.validation import ValidationError, check_year, format_date, parse_date

__all__ = [
    "MeasureRecord",
    "MeasureSummary",
    "OutcomeChange",
    "ScoreRow",
    "SeriesPoint",
    "bar",
    "better_words",
    "format_value",
    "latest_change",
    "measure_history",
    "outcome_summary",
    "outcomes_text",
    "record_measure",
    "score_series",
    "suggested_stage",
]


@dataclass(frozen=True)
class MeasureRecord:
    """One measure as taken: its answers, the date, the stage and the scores."""

    id: int
    person_id: int
    kind: m.MeasureKind
    stage: m.Stage
    taken_on: date
    answers: dict[str, int | None]
    score: m.Score

    @property
    def complete(self) -> bool:
        return self.score.complete

    @property
    def stage_label(self) -> str:
        return "baseline" if self.stage is m.Stage.BASELINE else "follow-up"


def _record(row: dict[str, Any]) -> MeasureRecord:
    kind = m.MeasureKind(row["kind"])
    raw = json.loads(row["answers"] or "{}")
    keys = m.definition(kind).item_keys
    answers: dict[str, int | None] = {
        k: (int(raw[k]) if raw.get(k) is not None else None) for k in keys
    }
    try:
        score = m.Score.model_validate_json(row["scores"])
    except ValueError:
        # A row written by another tool: score it again from its answers.
        score = m.score(kind, answers)
    return MeasureRecord(
        id=int(row["id"]),
        person_id=int(row["person_id"]),
        kind=kind,
        stage=m.Stage(row["stage"]),
        taken_on=date.fromisoformat(row["taken_on"][:10]),
        answers=answers,
        score=score,
    )


# --- Writing -------------------------------------------------------------------------------


def _taken_on(value: date | str) -> date:
    try:
        return check_year(parse_date(value))
    except ValidationError as exc:
        raise m.MeasureError(f"taken on: {exc}", "taken_on") from None


#: The day each closing decision ends an episode (older rows may have only the status date).
_EPISODE_END_SQL = (
    "CASE status WHEN 'discharged' THEN COALESCE(discharged_on, status_changed_on) "
    "WHEN 'declined' THEN COALESCE(declined_on, status_changed_on) "
    "WHEN 'not_reached' THEN COALESCE(not_reached_on, status_changed_on) END"
)


def _episode_on(db: Database, person_id: int, day: date, referral_id: int | None) -> int:
    """The referral whose episode holds ``day`` (the latest received, or ``referral_id``).

    An episode runs from the day its referral was received to the day it was closed
    (discharged, declined or not reached), both included; an open referral has no end.
    MeasureError on ``taken_on`` when no episode holds the day: a measure belongs to one.
    """
    rows = [
        (
            int(r[0]),
            date.fromisoformat(str(r[1])[:10]),
            date.fromisoformat(str(r[2])[:10]) if r[2] else None,
        )
        for r in db.execute(
            f"SELECT id, received_on, {_EPISODE_END_SQL} FROM referrals WHERE person_id = ? "
            "ORDER BY received_on DESC, id DESC",
            [person_id],
        ).fetchall()
    ]
    holding = [rid for rid, start, end in rows if start <= day and (end is None or day <= end)]
    if referral_id is not None and referral_id in holding:
        return referral_id
    if referral_id is None and holding:
        return holding[0]
    when = format_date(day)
    if referral_id is not None:
        which = f"referral {referral_id} of person {person_id} was not open on {when}"
        raise m.MeasureError(f"taken on: {which}", "taken_on")
    if not rows:
        raise m.MeasureError(
            f"taken on: person {person_id} has no referral: record their referral first",
            "taken_on",
        )
    ended = [end for _rid, start, end in rows if end is not None and end < day]
    if ended:
        why = f"(the last closed on {format_date(max(ended))}): record a measure taken by then"
        why += ", or reopen the referral"
    else:
        first = min(start for _rid, start, _end in rows)
        why = f"(the first was received on {format_date(first)}): record a measure taken since"
    raise m.MeasureError(
        f"taken on: person {person_id} has no referral open on {when} {why}", "taken_on"
    )


def record_measure(
    db: Database,
    person_id: int,
    kind: m.MeasureKind | str,
    stage: m.Stage | str,
    taken_on: date | str,
    answers: Mapping[str, object],
    clock: Clock,
    referral_id: int | None = None,
) -> int:
    """Validate, score and store one measure; returns the new row's id.

    Raises :class:`~linkworker.measures.MeasureError` naming the item for an answer that is out
    of range or not a whole number (nothing is saved), and for a date in the future, before
    1900 or before the person's birth, a date no referral of theirs was open on (a measure
    belongs to an episode: from the day the referral was received to the day it closed), a
    set with no answers at all, or a follow-up with no baseline before it. Items left
    unanswered are stored as ``null``; a SWEMWBS or UCLA-3 missing an item is stored as
    incomplete, unscored. The measure is kept with the referral whose episode holds its day
    (``referral_id``, when given, must be one).
    """
    definition = m.definition(kind)
    try:
        stage = m.Stage(stage)
    except ValueError:
        raise m.MeasureError(f"stage: {stage!r} is not baseline or follow_up", "stage") from None
    day = _taken_on(taken_on)
    if day > clock.today():
        raise m.MeasureError(f"taken on: {format_date(day)} is in the future", "taken_on")
    checked = m.validate_answers(definition.kind, answers)
    if all(v is None for v in checked.values()):
        raise m.MeasureError(f"{definition.short_title}: no answers given; nothing to save")
    scored = m.score(definition.kind, checked)
    with db.atomic():
        person = db.execute("SELECT date_of_birth FROM people WHERE id = ?", [person_id]).fetchone()
        if person is None:
            raise LookupError(f"no person with id {person_id}")
        born = date.fromisoformat(str(person[0])[:10]) if person[0] else None
        if born is not None and day < born:
            raise m.MeasureError(
                f"taken on: {format_date(day)} is before their date of birth ({format_date(born)})",
                "taken_on",
            )
        referral_id = _episode_on(db, person_id, day, referral_id)
        if stage is m.Stage.FOLLOW_UP:
            baseline = db.execute(
                "SELECT 1 FROM measures WHERE person_id = ? AND kind = ? AND stage = 'baseline' "
                "AND taken_on <= ? AND entered_in_error_at IS NULL",
                [person_id, definition.kind.value, day.isoformat()],
            ).fetchone()
            if baseline is None:
                raise m.MeasureError(
                    f"stage: there is no baseline {definition.short_title} on or before "
                    f"{format_date(day)}; record the baseline first",
                    "stage",
                )
        return audit.insert(
            db,
            "measures",
            {
                "person_id": person_id,
                "referral_id": referral_id,
                "kind": definition.kind,
                "stage": stage,
                "taken_on": day,
                "answers": checked,
                "scores": scored.model_dump(mode="json"),
                "complete": scored.complete,
            },
            person_id=person_id,
            clock=clock,
        )


# --- Reading -------------------------------------------------------------------------------


def measure_history(
    db: Database, person_id: int, kind: m.MeasureKind | str | None = None
) -> list[MeasureRecord]:
    """Every measure taken with the person (of one kind, if given), oldest first.

    A measure struck out as entered in error is not among them: it counts towards no change.
    """
    sql = "SELECT * FROM measures WHERE person_id = ? AND entered_in_error_at IS NULL"
    params: list[object] = [person_id]
    if kind is not None:
        sql += " AND kind = ?"
        params.append(m.definition(kind).kind.value)
    sql += " ORDER BY taken_on, id"
    return [_record(r) for r in db.query(sql, params)]


def suggested_stage(db: Database, person_id: int, kind: m.MeasureKind | str) -> m.Stage:
    """Baseline if this measure has never been taken with the person, otherwise follow-up."""
    found = db.execute(
        "SELECT 1 FROM measures WHERE person_id = ? AND kind = ? AND stage = 'baseline' "
        "AND entered_in_error_at IS NULL",
        [person_id, m.definition(kind).kind.value],
    ).fetchone()
    return m.Stage.FOLLOW_UP if found else m.Stage.BASELINE


def _baseline_and_latest(
    history: list[MeasureRecord],
) -> tuple[MeasureRecord | None, MeasureRecord | None]:
    baselines = [r for r in history if r.stage is m.Stage.BASELINE]
    if not baselines:
        return None, None
    baseline = baselines[-1]
    follow_ups = [
        r for r in history if r.stage is m.Stage.FOLLOW_UP and r.taken_on >= baseline.taken_on
    ]
    return baseline, (follow_ups[-1] if follow_ups else None)


@dataclass(frozen=True)
class OutcomeChange:
    """The latest baseline against the latest follow-up after it, score by score."""

    kind: m.MeasureKind
    baseline: MeasureRecord
    latest: MeasureRecord
    changes: list[m.Change]


def latest_change(db: Database, person_id: int, kind: m.MeasureKind | str) -> OutcomeChange | None:
    """Change from the latest baseline to the latest follow-up (None without both).

    Scores that one of the two could not give (an incomplete SWEMWBS) are left out of
    ``changes``; the records say why.
    """
    history = measure_history(db, person_id, kind)
    baseline, latest = _baseline_and_latest(history)
    if baseline is None or latest is None:
        return None
    return OutcomeChange(
        kind=baseline.kind,
        baseline=baseline,
        latest=latest,
        changes=m.change(baseline.score, latest.score),
    )


@dataclass(frozen=True)
class SeriesPoint:
    """One scored value on a date, for charts."""

    taken_on: date
    stage: m.Stage
    value: float


def score_series(
    db: Database, person_id: int, kind: m.MeasureKind | str
) -> dict[str, list[SeriesPoint]]:
    """Each comparable score over time, oldest first; unscored records are skipped."""
    names = m.comparable_names(kind)
    series: dict[str, list[SeriesPoint]] = {n: [] for n in names}
    for record in measure_history(db, person_id, kind):
        for name in names:
            if name in record.score.values:
                series[name].append(
                    SeriesPoint(record.taken_on, record.stage, record.score.values[name])
                )
    return series


# --- Words and pictures ---------------------------------------------------------------------


def better_words(kind: m.MeasureKind | str, name: str) -> str:
    """Which way is better for a score, in words: 'higher is better' or 'lower is better'."""
    higher = m.HIGHER_IS_BETTER[(m.definition(kind).kind, name)]
    return "higher is better" if higher else "lower is better"


def format_value(kind: m.MeasureKind | str, name: str, value: float | None) -> str:
    """A score as shown: SWEMWBS metric to two places, counts as whole numbers."""
    if value is None:
        return "-"
    k = m.definition(kind).kind
    if k is m.MeasureKind.SWEMWBS and name == "metric":
        return f"{value:.2f}"
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"


def _band(record: MeasureRecord, name: str) -> str:
    return record.score.bands.get(name, "")


_EIGHTHS = " ▏▎▍▌▋▊▉"


def bar(value: float, low: float, high: float, width: int = 10) -> str:
    """A horizontal bar of ``width`` cells showing where value sits between low and high.

    Eighth blocks give the fraction, light shade shows the rest of the scale, so two bars of
    the same measure can be compared by eye and the scale is never hidden.
    """
    if high <= low or width <= 0:
        return ""
    share = min(1.0, max(0.0, (value - low) / (high - low)))
    eighths = round(share * width * 8)
    full, part = divmod(eighths, 8)
    text = "█" * full
    if part and full < width:
        text += _EIGHTHS[part]
    return text + "░" * (width - len(text))


@dataclass(frozen=True)
class ScoreRow:
    """One score of a measure with its baseline, latest follow-up and change."""

    name: str
    label: str
    better: str  # "higher is better" / "lower is better"
    baseline: float | None
    baseline_band: str
    latest: float | None
    latest_band: str
    change: m.Change | None


@dataclass(frozen=True)
class MeasureSummary:
    """Everything the outcomes view shows about one measure."""

    kind: m.MeasureKind
    title: str
    history: list[MeasureRecord]
    baseline: MeasureRecord | None
    latest: MeasureRecord | None
    rows: list[ScoreRow]
    series: dict[str, list[SeriesPoint]]
    scale: tuple[int, int]
    copyright: str | None

    def when_taken(self, baseline_word: str = "baseline") -> list[str]:
        """When the baseline and the latest follow-up were taken, those that exist.

        The printout starts its line with the word, so it passes "Baseline".
        """
        when = []
        if self.baseline:
            when.append(f"{baseline_word} {short_date(self.baseline.taken_on)}")
        if self.latest:
            when.append(f"latest follow-up {short_date(self.latest.taken_on)}")
        return when

    @property
    def note(self) -> str:
        """Why a change cannot be shown, or ''."""
        if self.baseline is None:
            return "No baseline yet."
        if self.latest is None:
            return "No follow-up yet: the change shows after the first follow-up."
        gaps = [
            f"the {r.stage_label} on {format_date(r.taken_on)} is incomplete and not scored"
            for r in (self.baseline, self.latest)
            if not r.complete and not r.score.values
        ]
        return ("No change can be shown: " + "; ".join(gaps) + ".") if gaps else ""


def outcome_summary(db: Database, person_id: int) -> list[MeasureSummary]:
    """For each measure the person has taken: history, baseline, latest, change per score."""
    out: list[MeasureSummary] = []
    everything = measure_history(db, person_id)
    for kind in m.MeasureKind:
        history = [r for r in everything if r.kind is kind]
        if not history:
            continue
        baseline, latest = _baseline_and_latest(history)
        changes = {}
        if baseline is not None and latest is not None:
            changes = {c.name: c for c in m.change(baseline.score, latest.score)}
        rows = []
        for name in m.comparable_names(kind):
            rows.append(
                ScoreRow(
                    name=name,
                    label=m.score_label(kind, name),
                    better=better_words(kind, name),
                    baseline=baseline.score.values.get(name) if baseline else None,
                    baseline_band=_band(baseline, name) if baseline else "",
                    latest=latest.score.values.get(name) if latest else None,
                    latest_band=_band(latest, name) if latest else "",
                    change=changes.get(name),
                )
            )
        definition = m.definition(kind)
        low, high = m.total_range(kind)
        out.append(
            MeasureSummary(
                kind=kind,
                title=definition.title,
                history=history,
                baseline=baseline,
                latest=latest,
                rows=rows,
                series=score_series(db, person_id, kind),
                scale=(low, high),
                copyright=definition.copyright,
            )
        )
    return out


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def change_words(row: ScoreRow, kind: m.MeasureKind) -> str:
    """'+3.23 ▲ better', '-4 ▲ better', '0 = same' or '' when there is no change to show."""
    if row.change is None:
        return ""
    diff = row.change.difference
    sign = "+" if diff > 0 else ""
    return f"{sign}{format_value(kind, row.name, diff)} {row.change.arrow}"


def outcomes_text(db: Database, person_id: int, today: date) -> str:
    """The outcomes view as plain text (for a file or a print), with the SWEMWBS copyright line
    wherever SWEMWBS is shown."""
    person = db.execute(
        "SELECT given_name, family_name FROM people WHERE id = ?", [person_id]
    ).fetchone()
    if person is None:
        raise LookupError(f"no person with id {person_id}")
    lines = [
        f"Wellbeing measures: {literal(person[0])} {literal(person[1])}",
        f"Printed {format_date(today)}",
        "",
    ]
    summaries = outcome_summary(db, person_id)
    if not summaries:
        lines.append("No measures recorded yet.")
    for s in summaries:
        lines += [s.title, "-" * len(s.title)]
        when = s.when_taken("Baseline")
        if when:
            lines.append(", ".join(when))
        for row in s.rows:
            base = format_value(s.kind, row.name, row.baseline)
            base += f" {row.baseline_band}" if row.baseline_band else ""
            last = format_value(s.kind, row.name, row.latest)
            last += f" {row.latest_band}" if row.latest_band else ""
            change = change_words(row, s.kind) or "-"
            lines.append(f"{_cap(row.label)} ({row.better})")
            lines.append(f"    baseline {base}  ·  latest {last}  ·  change {change}")
        if s.note:
            lines.append(s.note)
        lines.append("Over time:")
        for row in s.rows:
            indent = "    "
            if len(s.rows) > 1:
                lines.append(f"  {_cap(row.label)}")
            for record in s.history:
                value = record.score.values.get(row.name)
                head = f"{indent}{table_date(record.taken_on):<10}{record.stage_label:<10}"
                if value is None:
                    missing = "not answered" if len(s.rows) > 1 else record.score.summary
                    lines.append(head + missing)
                else:
                    shown = format_value(s.kind, row.name, value)
                    lines.append(head + f"{bar(value, *s.scale, width=20)} {shown}")
        if s.copyright:
            lines.append(s.copyright)
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
