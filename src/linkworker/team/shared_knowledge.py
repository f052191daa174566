"""Sharing what you know about activities with colleagues, and merging what they share.

What travels is the dated part of the private annotations (directory/annotations.py):
each activity's notes (dated by when they last changed, from the audit trail), the day
it was verified by the worker, and what the worker knows of it that feeds lack
(directory/knowledge.py: welcome person, how demanding, ..., each dated and signed). It
is sealed (kind "annotations") to one or more kept keys. Merging matches activities by
feed id; per activity and field the newer dated value wins (a tie keeps yours), and the
changes are shown, theirs beside yours, before one transaction applies them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlite_utils import Database

from linkworker.clock import Clock
from linkworker.directory import knowledge
from linkworker.directory.rows import ActivityRow, activity_rows
from linkworker.formats.sealed import Opened, SealError
from linkworker.store import audit
from linkworker.team.keys import TeamKey, open_sealed, opened_document, record_received, seal_for
from linkworker.validation import ValidationError, check_plain_text

KIND = "annotations"
FORMAT = "linkworker-shared-knowledge"
VERSION = 1
NOTES, VERIFIED = "notes", "verified_on"
#: Each field's words in the table of changes; knowledge attributes are "knowledge.KEY".
LABELS = {
    NOTES: "Notes",
    VERIFIED: "Verified by me",
    **{f"knowledge.{k}": label for k, label in knowledge.ATTRIBUTES},
}


@dataclass(frozen=True)
class Dated:
    """One field's value, the day it was recorded and (for knowledge) by whom."""

    value: str
    on: str
    by: str = ""

    def words(self) -> str:
        by = f" by {self.by}" if self.by else ""
        return f"{self.value} ({self.on}{by})"


def _notes_date(db: Database, row: ActivityRow) -> str:
    found = db.execute(
        "SELECT max(at) FROM audit WHERE table_name = 'activities' AND record_id = ? "
        "AND field = 'notes'",
        [row["id"]],
    ).fetchone()[0]
    return str(found or row["created_at"])[:10]


def dated_fields(db: Database, row: ActivityRow) -> dict[str, Dated]:
    """What this worker knows of one activity that can be shared, field by field."""
    found: dict[str, Dated] = {}
    if row["notes"]:
        found[NOTES] = Dated(str(row["notes"]), _notes_date(db, row))
    if row["verified_on"]:
        found[VERIFIED] = Dated(str(row["verified_on"]), str(row["verified_on"]))
    for key, known in knowledge.knowledge_of(row["worker_knowledge"]).items():
        found[f"knowledge.{key}"] = Dated(known.value, known.recorded_on, known.recorded_by)
    return found


def shared_document(db: Database, clock: Clock) -> dict[str, Any]:
    """Every activity this worker knows something of, keyed by feed id, fields dated."""
    shared = []
    for row in activity_rows(db, "SELECT * FROM activities ORDER BY source_id"):
        fields = dated_fields(db, row)
        if fields:
            shared.append(
                {
                    "source_id": row["source_id"],
                    "name": row["name"],
                    "fields": {
                        k: {"value": d.value, "on": d.on, "by": d.by} for k, d in fields.items()
                    },
                }
            )
    return {
        "format": FORMAT,
        "version": VERSION,
        "shared_on": clock.today().isoformat(),
        "activities": shared,
    }


def share_knowledge(
    db: Database, readers: list[str], clock: Clock
) -> tuple[bytes, list[TeamKey], int]:
    """The sealed file for ``readers`` (kept names), and how many activities it covers."""
    document = shared_document(db, clock)
    if not document["activities"]:
        raise ValueError("you have recorded nothing about any activity yet: nothing to share")
    payload = json.dumps(document, ensure_ascii=False, sort_keys=True).encode("utf-8")
    sealed, keys = seal_for(db, KIND, payload, readers, clock)
    return sealed, keys, len(document["activities"])


@dataclass(frozen=True)
class Change:
    """One field of one activity where theirs and yours differ, and which wins."""

    activity_id: int
    activity: str
    field: str
    theirs: Dated
    yours: Dated | None

    @property
    def theirs_win(self) -> bool:
        return self.yours is None or self.theirs.on > self.yours.on

    @property
    def label(self) -> str:
        return LABELS[self.field]


@dataclass
class MergePlan:
    """What merging a colleague's file would change, before anything is applied."""

    opened: Opened
    changes: list[Change] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # their activities this directory lacks

    @property
    def winning(self) -> list[Change]:
        return [c for c in self.changes if c.theirs_win]


def _their_fields(entry: dict[str, Any], n: int) -> dict[str, Dated]:
    where = f"activity {n} ({entry.get('source_id')})"
    fields = entry.get("fields")
    if not isinstance(fields, dict):
        raise SealError(f"the shared file's {where} has no fields")
    found: dict[str, Dated] = {}
    for name, value in fields.items():
        if name not in LABELS or not isinstance(value, dict):
            raise SealError(f"the shared file's {where} holds an unknown field ({name})")
        try:
            text: str | None = check_plain_text(
                str(value.get("value") or ""), multiline=name == NOTES
            )
            if name.startswith("knowledge."):
                text = knowledge.check_value(name.split(".", 1)[1], text)
            elif name == VERIFIED and text:  # a date, as the directory holds it
                text = date.fromisoformat(text[:10]).isoformat()
            by = check_plain_text(str(value.get("by") or ""), multiline=False) or ""
        except (ValidationError, ValueError) as exc:
            raise SealError(f"the shared file's {where}: {exc}") from None
        on = str(value.get("on") or "")[:10]
        if text:
            found[str(name)] = Dated(text, on, by.strip())
    return found


def _entries(opened: Opened) -> list[dict[str, Any]]:
    document = opened_document(opened, FORMAT, VERSION, "shared directory knowledge")
    entries = document.get("activities")
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise SealError("the shared file's activities are not a list")
    return entries


def plan_merge(db: Database, blob: bytes, clock: Clock) -> MergePlan:
    """Open a colleague's shared file and work out, field by field, what would change."""
    opened = open_sealed(db, blob, KIND, clock)
    plan = MergePlan(opened)
    for n, entry in enumerate(_entries(opened), start=1):
        theirs = _their_fields(entry, n)
        rows = activity_rows(
            db, "SELECT * FROM activities WHERE source_id = ?", [str(entry.get("source_id"))]
        )
        if not rows:
            plan.unknown.append(str(entry.get("source_id")))
            continue
        yours = dated_fields(db, rows[0])
        for name, dated in theirs.items():
            mine = yours.get(name)
            if mine is None or mine.value != dated.value:
                plan.changes.append(Change(rows[0]["id"], rows[0]["name"], name, dated, mine))
    return plan


def apply_merge(db: Database, plan: MergePlan, clock: Clock) -> int:
    """Apply the changes where theirs is newer, in one transaction; how many fields changed."""
    by_activity: dict[int, list[Change]] = {}
    for change in plan.winning:
        by_activity.setdefault(change.activity_id, []).append(change)
    with db.atomic():
        record_received(db, plan.opened, clock)
        for activity_id, changes in by_activity.items():
            row = activity_rows(db, "SELECT * FROM activities WHERE id = ?", [activity_id])[0]
            held = knowledge.knowledge_of(row["worker_knowledge"])
            values: dict[str, object] = {}
            for change in changes:
                if change.field == NOTES:
                    values["notes"] = change.theirs.value
                elif change.field == VERIFIED:
                    values["verified_on"] = change.theirs.value
                else:
                    key = change.field.split(".", 1)[1]
                    theirs = change.theirs
                    held[key] = knowledge.Known(theirs.value, theirs.on, theirs.by)
                    values["worker_knowledge"] = knowledge.encoded(held)
            audit.update(db, "activities", activity_id, values, person_id=None, clock=clock)
    return len(plan.winning)


def _cell(value: str, width: int) -> str:
    text = " ".join(value.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def change_table(plan: MergePlan, width: int = 28) -> list[tuple[str, str, str, str, str]]:
    """The changes as shown before a merge: activity, field, theirs, yours, which wins (a
    heading row first; long values cut to ``width``, though the whole of each is applied).
    The cells are the file's and the store's words: show them literally."""
    rows = [("activity", "field", "theirs", "yours", "wins")]
    for c in plan.changes:
        rows.append(
            (
                _cell(c.activity, width),
                c.label,
                _cell(c.theirs.words(), width),
                _cell(c.yours.words(), width) if c.yours else "(none)",
                "theirs" if c.theirs_win else "yours",
            )
        )
    return rows


def table_lines(rows: list[tuple[str, str, str, str, str]]) -> list[str]:
    """The table's rows as lines of text, columns padded to line up."""
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    return [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows
    ]
