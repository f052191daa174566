"""Hand edits: adding an activity, editing one, and retiring or restoring it.

An import changes only the fields its feed carries and never one the link worker edited by
hand (``hand_edited``); the link worker's own columns (notes, favourite, verification,
retirement) are never touched by one.
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from sqlite_utils import Database

from linkworker.clock import Clock
from linkworker.directory.matching import fold
from linkworker.directory.rows import (
    ActivityRow,
    DirectoryError,
    decode_list,
    get_activity,
    json_value,
)
from linkworker.directory.search import categories_in_use
from linkworker.display import literal
from linkworker.formats import oruk
from linkworker.models import ActivityDetails
from linkworker.store import audit


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "category"


def _category_codes(db: Database, labels: list[str]) -> list[str]:
    known = {lab.casefold(): code for lab, code, _ in categories_in_use(db)}
    return [known.get(lab.casefold(), _slug(lab)) for lab in labels]


def schedule_fields(row: ActivityRow) -> dict[str, Any]:
    """The form's view of a stored schedule: days, one opening and closing time, words."""
    schedules = json_value(row.get("schedules") or "[]", [])
    schedules = [s for s in schedules if isinstance(s, dict)]
    opens = {s.get("opens_at") for s in schedules}
    closes = {s.get("closes_at") for s in schedules}
    # Several sessions' own words cannot be one note; the form leaves it empty then.
    note = schedules[0].get("description") if len(schedules) == 1 else None
    return {
        "days": decode_list(row.get("days")),
        "opens_at": opens.pop() if len(opens) == 1 else None,
        "closes_at": closes.pop() if len(closes) == 1 else None,
        "schedule_note": note,
    }


def details_of(row: ActivityRow) -> dict[str, Any]:
    """An activity row as the values of :class:`ActivityDetails` (to fill the edit form)."""
    values: dict[str, Any] = {
        name: row.get(name)
        for name in ActivityDetails.model_fields
        if name not in ("categories", "languages", "is_free")
    }
    values["categories"] = decode_list(row.get("categories"))
    values["languages"] = decode_list(row.get("languages"))
    values["is_free"] = None if row.get("is_free") is None else bool(row["is_free"])
    values.update(schedule_fields(row))
    return values


def _schedule_of(details: ActivityDetails) -> list[dict[str, str | None]]:
    if not (details.days or details.schedule_note):
        return []
    return [
        {
            "freq": "WEEKLY" if details.days else None,
            "byday": ",".join(details.days) or None,
            "opens_at": details.opens_at,
            "closes_at": details.closes_at,
            "valid_from": None,
            "valid_to": None,
            "description": details.schedule_note,
        }
    ]


def _record(db: Database, details: ActivityDetails, base: dict[str, Any]) -> oruk.ActivityRecord:
    """An ActivityRecord from the form's details over a base (source id, kept fields)."""
    values = details.model_dump(
        exclude={"days", "opens_at", "closes_at", "schedule_note"}, mode="python"
    )
    values["category_codes"] = _category_codes(db, details.categories)
    try:
        return oruk.ActivityRecord.model_validate({**base, **values})
    except Exception as exc:  # the form validated already; this names anything left
        raise DirectoryError(f"the activity cannot be stored: {exc}") from exc


def add_activity(db: Database, details: ActivityDetails, clock: Clock) -> int:
    """Add an activity by hand (origin 'hand', verified today); returns its id."""
    today = clock.today().isoformat()
    record = _record(
        db,
        details,
        {
            "source_id": f"linkworker-{uuid.uuid4()}",
            "schedules": _schedule_of(details),
            "assured_date": today,
        },
    )
    row = record.to_row()
    row.update(origin="hand", verified_on=today)
    with db.atomic():
        return audit.insert(db, "activities", row, person_id=None, clock=clock)


def update_activity(
    db: Database, activity_id: int, details: ActivityDetails, clock: Clock
) -> dict[str, tuple[object, object]]:
    """Edit an activity by hand; returns the fields that changed (old, new).

    Schedules the form cannot show (several sessions from a feed) are kept unless the
    link worker changed the days, times or words. Editing counts as verifying it today.
    The fields changed on an imported activity are remembered in ``hand_edited``, so no
    later import replaces them; notes, favourite, verification and retirement are never
    touched by an import.
    """
    row = get_activity(db, activity_id)
    current = oruk.ActivityRecord.from_row(row)
    wanted = {
        "days": details.days,
        "opens_at": details.opens_at,
        "closes_at": details.closes_at,
        "schedule_note": details.schedule_note,
    }
    schedules = current.schedules if wanted == schedule_fields(row) else _schedule_of(details)
    today = clock.today().isoformat()
    base = current.model_dump() | {"schedules": schedules, "days": [], "schedule_text": ""}
    if row["origin"] == "hand":
        base["assured_date"] = today
    record = _record(db, details, base)
    changes: dict[str, object] = {k: v for k, v in record.to_row().items() if k != "source_id"}
    changes["verified_on"] = today
    if row["origin"] == "import":
        # What the worker changed by hand stays theirs: later imports leave it alone.
        edited = {k for k, v in changes.items() if k in oruk.COLUMNS and row.get(k) != v}
        known = set(decode_list(row.get("hand_edited")))
        if edited - known:
            changes["hand_edited"] = json.dumps(sorted(known | edited))
    with db.atomic():
        return audit.update(db, "activities", activity_id, changes, person_id=None, clock=clock)


def _set_retired(db: Database, activity_id: int, retired: bool, clock: Clock) -> None:
    row = get_activity(db, activity_id)
    if bool(row["retired"]) == retired:
        state = "already retired" if retired else "not retired"
        raise DirectoryError(f"{literal(row['name'])} is {state}")
    with db.atomic():
        audit.update(
            db, "activities", activity_id, {"retired": int(retired)}, person_id=None, clock=clock
        )


def retire_activity(db: Database, activity_id: int, clock: Clock) -> None:
    """Take an activity out of search; people's histories keep it."""
    _set_retired(db, activity_id, True, clock)


def restore_activity(db: Database, activity_id: int, clock: Clock) -> None:
    """Bring a retired activity back into search."""
    _set_retired(db, activity_id, False, clock)
