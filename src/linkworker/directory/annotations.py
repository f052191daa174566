"""The link worker's own knowledge of the directory, as a private annotations file.

Notes, favourites, "verified by me", the worker's own retirements, hand edits of
imported activities and what the worker knows of them (directory/knowledge.py) belong to
the worker, never to the council's feed: they are written to a file of their own (never
inside the public feed) and read back by feed id, so a new laptop or a fresh store gets
them again after the feed is imported.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from linkworker.clock import Clock
from linkworker.directory import knowledge
from linkworker.directory.rows import DirectoryError, activity_rows, decode_list
from linkworker.formats import oruk
from linkworker.store import audit
from linkworker.validation import ValidationError, check_plain_text, escape_controls_in_json

FORMAT = "linkworker-directory-annotations"
VERSION = 1


def _annotation(row: dict[str, Any]) -> dict[str, Any] | None:
    """One activity's annotations, or None when the worker has added nothing to it."""
    edited = [c for c in decode_list(row.get("hand_edited")) if c in oruk.COLUMNS]
    entry: dict[str, Any] = {"source_id": row["source_id"], "name": row["name"]}
    if row.get("notes"):
        entry["notes"] = row["notes"]
    if row.get("favourite"):
        entry["favourite"] = True
    if row.get("verified_on"):
        entry["verified_on"] = row["verified_on"]
    if row.get("retired") and not row.get("retired_by_feed"):
        entry["retired_by_me"] = True
    if edited and row.get("origin") == "import":
        entry["hand_edits"] = {c: row[c] for c in edited}
    if known := knowledge.knowledge_document(row.get("worker_knowledge")):
        entry["knowledge"] = known
    return entry if len(entry) > 2 else None


def annotations_document(db: Database) -> dict[str, Any]:
    """Every annotation the worker has made, keyed by the activities' feed ids."""
    rows = activity_rows(db, "SELECT * FROM activities ORDER BY source_id")
    found = [a for row in rows if (a := _annotation(dict(row))) is not None]
    return {"format": FORMAT, "version": VERSION, "annotations": found}


def annotations_json(document: dict[str, Any]) -> str:
    """The annotations file's text (indented, UTF-8 kept readable, controls escaped)."""
    return escape_controls_in_json(json.dumps(document, indent=2, ensure_ascii=False)) + "\n"


@dataclass
class AnnotationsReport:
    """What reading an annotations file did."""

    applied: int = 0
    unknown: list[str] = field(default_factory=list)  # feed ids this directory lacks

    def summary(self) -> str:
        missing = (
            f"; {len(self.unknown)} for activities this directory does not hold (import "
            "their feed first, then read the file again)"
            if self.unknown
            else ""
        )
        return f"annotations read back onto {self.applied} activities{missing}"


def _entries(document: object) -> list[dict[str, Any]]:
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise DirectoryError(f'not a linkworker annotations file (no "format": "{FORMAT}")')
    entries = document.get("annotations")
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise DirectoryError("'annotations' must be a list of objects")
    return entries


def _changes(entry: dict[str, Any], row: dict[str, Any], n: int) -> dict[str, object]:
    """The columns one annotation sets; DirectoryError naming the entry when it is bad."""
    where = f"annotation {n} ({entry.get('source_id')})"
    changes: dict[str, object] = {}
    try:
        if "notes" in entry:
            notes = entry["notes"]
            if notes is not None and not isinstance(notes, str):
                raise DirectoryError(f"{where}: notes must be text")
            changes["notes"] = check_plain_text(notes, multiline=True) if notes else None
        if "favourite" in entry:
            changes["favourite"] = int(bool(entry["favourite"]))
        if entry.get("verified_on"):
            verified = str(entry["verified_on"])[:10]
            if oruk.ActivityRecord(source_id="x", name="x", assured_date=verified).assured_date:
                changes["verified_on"] = max(verified, str(row.get("verified_on") or ""))
        if "knowledge" in entry:
            read = knowledge.read_entries(entry["knowledge"], where)
            changes["worker_knowledge"] = knowledge.merged_knowledge(
                row.get("worker_knowledge"), read
            )
        if entry.get("retired_by_me"):
            changes |= {"retired": 1, "retired_by_feed": 0}
        edits = entry.get("hand_edits") or {}
        if not isinstance(edits, dict) or not set(edits) <= set(oruk.COLUMNS) - {"source_id"}:
            raise DirectoryError(f"{where}: hand_edits must name activity fields")
        if edits and row["origin"] == "import":
            record = oruk.ActivityRecord.from_row({**row, **edits}).to_row()
            changes |= {c: record[c] for c in edits}
            known = set(decode_list(row.get("hand_edited")))
            changes["hand_edited"] = json.dumps(sorted(known | set(edits)))
    except (ValidationError, ValueError) as exc:
        if isinstance(exc, DirectoryError):
            raise
        raise DirectoryError(f"{where}: {exc}") from exc
    return {k: v for k, v in changes.items() if row.get(k) != v}


def apply_annotations(db: Database, document: object, clock: Clock) -> AnnotationsReport:
    """Read an annotations file back, matching activities by feed id, in one transaction
    (a bad entry refuses the whole file, naming it; nothing is half-applied)."""
    report = AnnotationsReport()
    entries = _entries(document)
    with db.atomic():
        for n, entry in enumerate(entries, start=1):
            rows = activity_rows(
                db, "SELECT * FROM activities WHERE source_id = ?", [str(entry.get("source_id"))]
            )
            if not rows:
                report.unknown.append(str(entry.get("source_id")))
                continue
            row = dict(rows[0])
            changes = _changes(entry, row, n)
            if changes:
                audit.update(db, "activities", rows[0]["id"], changes, person_id=None, clock=clock)
            report.applied += 1
    return report
