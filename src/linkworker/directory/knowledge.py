"""What the link worker knows of an activity that feeds lack: a named welcome person, how
demanding it is, whether it copes with complex needs, whether its safeguarding policy was
seen and its accessibility checked in person.

Each is private, dated and signed (when it was recorded and by whom, Settings.worker_name),
kept in the activities' ``worker_knowledge`` column (m012): never in the public feed, never
touched by an import, carried by the private annotations file, in the audit trail.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from linkworker.clock import Clock
from linkworker.directory.rows import DirectoryError, get_activity, json_value
from linkworker.display import short_date
from linkworker.store import audit
from linkworker.validation import ValidationError, check_plain_text

#: How demanding an activity is, in the words a link worker uses, least first.
DEMAND_LEVELS = ("gentle", "some effort", "demanding")
#: The yes/no attributes' answers.
ANSWERS = ("yes", "no")

#: Every attribute: (key, label on the activity screen).
ATTRIBUTES: tuple[tuple[str, str], ...] = (
    ("welcome_person", "Welcome person"),
    ("demand", "How demanding"),
    ("complex_needs", "Copes with complex needs"),
    ("safeguarding_seen", "Safeguarding policy seen"),
    ("access_checked", "Accessibility checked in person"),
)
LABELS = dict(ATTRIBUTES)
_CHOICES: dict[str, tuple[str, ...]] = {
    "demand": DEMAND_LEVELS,
    "complex_needs": ANSWERS,
    "safeguarding_seen": ANSWERS,
    "access_checked": ANSWERS,
}


@dataclass(frozen=True)
class Known:
    """One attribute: its value, the date it was recorded and who recorded it."""

    value: str
    recorded_on: str  # ISO date
    recorded_by: str = ""  # Settings.worker_name then; empty when it was not set

    def recorded(self) -> str:
        """When and by whom: "2 Dec 2026 by Asha Patel"."""
        by = f" by {self.recorded_by}" if self.recorded_by else ""
        return f"{short_date(self.recorded_on)}{by}"

    def words(self) -> str:
        """What is known, when and by whom: "Sue (recorded 2 Dec 2026 by Asha Patel)"."""
        return f"{self.value} (recorded {self.recorded()})"


def check_value(key: str, value: object) -> str | None:
    """An attribute's value made tidy, None when cleared; CaseloadError-style DirectoryError
    naming the attribute when it is not one of its words or holds control characters."""
    if key not in LABELS:
        raise DirectoryError(f"'{key}' is not something the directory records about activities")
    if value is None:
        return None
    if not isinstance(value, str):
        raise DirectoryError(f"{LABELS[key]}: must be text")
    try:
        text = (check_plain_text(value, multiline=False) or "").strip()
    except ValidationError as exc:
        raise DirectoryError(f"{LABELS[key]}: {exc}") from exc
    if not text:
        return None
    if key in _CHOICES:
        text = text.casefold()
        if text not in _CHOICES[key]:
            raise DirectoryError(f"{LABELS[key]}: one of {', '.join(_CHOICES[key])}")
    elif len(text) > 100:
        raise DirectoryError(f"{LABELS[key]}: at most 100 characters")
    return text


def knowledge_of(stored: str | None) -> dict[str, Known]:
    """The attributes held in a ``worker_knowledge`` column, in the order of ATTRIBUTES."""
    decoded = json_value(stored, {})
    found: dict[str, Known] = {}
    if not isinstance(decoded, dict):
        return found
    for key, _ in ATTRIBUTES:
        entry = decoded.get(key)
        if isinstance(entry, dict) and entry.get("value"):
            found[key] = Known(
                str(entry["value"]), str(entry.get("on") or ""), str(entry.get("by") or "")
            )
    return found


def read_entries(document: object, where: str) -> dict[str, Known]:
    """Attributes as an annotations file holds them, checked (DirectoryError naming
    ``where`` and the attribute when one is bad)."""
    if not isinstance(document, dict):
        raise DirectoryError(f"{where}: knowledge must be an object")
    found: dict[str, Known] = {}
    for key, entry in document.items():
        if not isinstance(entry, dict):
            raise DirectoryError(f"{where}: {key} must be an object with value, on and by")
        try:
            value = check_value(str(key), entry.get("value"))
            on = str(entry.get("on") or "")[:10]
            by = check_plain_text(str(entry.get("by") or ""), multiline=False) or ""
        except (DirectoryError, ValidationError) as exc:
            raise DirectoryError(f"{where}: {exc}") from exc
        if value is not None:
            found[str(key)] = Known(value, on, by.strip())
    return found


def knowledge_document(stored: str | None) -> dict[str, Any]:
    """The attributes as the annotations file writes them (and the column holds them)."""
    document: dict[str, Any] = json.loads(encoded(knowledge_of(stored)))
    return document


def encoded(known: Mapping[str, Known]) -> str:
    """The ``worker_knowledge`` column's text for these attributes."""
    ordered = {k: known[k] for k, _ in ATTRIBUTES if k in known}
    document = {
        k: {"value": v.value, "on": v.recorded_on, "by": v.recorded_by} for k, v in ordered.items()
    }
    return json.dumps(document, ensure_ascii=False, sort_keys=True)


def record_knowledge(
    db: Database,
    activity_id: int,
    values: Mapping[str, object],
    clock: Clock,
    recorded_by: str,
) -> dict[str, Known]:
    """Record what the worker knows (attribute -> value, None or "" clears it): a changed
    value is dated today and signed ``recorded_by``; an unchanged one keeps its date and
    name. One audited update; returns what is now held."""
    row = get_activity(db, activity_id)
    held = knowledge_of(row["worker_knowledge"])
    checked = {key: check_value(key, value) for key, value in values.items()}
    today = clock.today().isoformat()
    for key, value in checked.items():
        if value is None:
            held.pop(key, None)
        elif key not in held or held[key].value != value:
            held[key] = Known(value, today, recorded_by.strip())
    text = encoded(held)
    if text != (row["worker_knowledge"] or "{}"):
        with db.atomic():
            audit.update(
                db,
                "activities",
                activity_id,
                {"worker_knowledge": text},
                person_id=None,
                clock=clock,
            )
    return knowledge_of(text)


def merged_knowledge(stored: str | None, read: Mapping[str, Known]) -> str:
    """What is held with what a file read back holds: per attribute the newer record."""
    held = knowledge_of(stored)
    for key, known in read.items():
        if key not in held or known.recorded_on >= held[key].recorded_on:
            held[key] = known
    return encoded(held)


def knowledge_lines(stored: str | None) -> list[str]:
    """One line an attribute, as the activity screen shows them."""
    return [f"{LABELS[key]}: {known.words()}" for key, known in knowledge_of(stored).items()]
