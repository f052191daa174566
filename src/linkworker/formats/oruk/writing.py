"""Writing the directory out as one HSDS v3 list page of services."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from linkworker.formats.oruk.record import ActivityRecord
from linkworker.formats.oruk.vocabulary import (
    _NOTE_COLUMNS,
    SCHEDULE_KEYS,
    TAXONOMY,
    _uid,
)
from linkworker.validation import escape_controls_in_json


def _export_service(
    row: Mapping[str, object] | ActivityRecord, include_notes: bool
) -> dict[str, Any]:
    """One activity as an HSDS v3 service (the same id gives the same derived ids)."""
    rec = row if isinstance(row, ActivityRecord) else ActivityRecord.from_row(row)
    extras: Mapping[str, object] = {} if isinstance(row, ActivityRecord) else row
    sid = rec.source_id
    svc: dict[str, Any] = {"id": sid, "name": rec.name}
    if rec.description:
        svc["description"] = rec.description
    svc["status"] = "inactive" if extras.get("retired") else rec.status
    scalars = {
        "url": rec.url,
        "email": rec.email,
        "eligibility_description": rec.eligibility,
        "minimum_age": rec.min_age,
        "maximum_age": rec.max_age,
        "fees_description": rec.cost,
        "assured_date": rec.assured_date,
        "alert": rec.alert,
    }
    svc |= {k: v for k, v in scalars.items() if v is not None}
    if rec.organisation:
        svc["organization"] = {
            "id": _uid("organization", rec.organisation),
            "name": rec.organisation,
        }
    if rec.phone:
        svc["phones"] = [{"id": _uid(sid, "phone", 0), "number": rec.phone}]
    if rec.schedules:
        svc["schedules"] = _schedules(rec)
    location = _location(rec)
    if len(location) > 2:
        svc["service_at_locations"] = [
            {"id": _uid(sid, "service_at_location", 0), "location": location}
        ]
    if rec.is_free:
        svc["cost_options"] = [
            {"id": _uid(sid, "cost_option", 0), "option": "Free", "amount": 0, "currency": "GBP"}
        ]
    if rec.languages:
        svc["languages"] = [
            {"id": _uid(sid, "language", n), "name": name} for n, name in enumerate(rec.languages)
        ]
    if rec.contact_name:
        svc["contacts"] = [{"id": _uid(sid, "contact", 0), "name": rec.contact_name}]
    if rec.categories:
        svc["attributes"] = _attributes(rec)
    for key, scalar in rec.extra.items():
        svc.setdefault(key, scalar)
    if include_notes:
        svc["x_linkworker"] = _notes(extras)
    return svc


def _schedules(rec: ActivityRecord) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for n, s in enumerate(rec.schedules):
        schedule: dict[str, Any] = {"id": _uid(rec.source_id, "schedule", n)}
        for key in SCHEDULE_KEYS:
            value = s.get(key)
            if value is not None:
                schedule[key] = f"{value}:00" if key in ("opens_at", "closes_at") else value
        out.append(schedule)
    return out


def _location(rec: ActivityRecord) -> dict[str, Any]:
    """The one physical location (just its id and type when the record has no place)."""
    sid = rec.source_id
    address = {"address_1": rec.address, "city": rec.town, "postal_code": rec.postcode}
    location: dict[str, Any] = {"id": _uid(sid, "location", 0), "location_type": "physical"}
    if rec.venue:
        location["name"] = rec.venue
    if rec.latitude is not None and rec.longitude is not None:
        location["latitude"], location["longitude"] = rec.latitude, rec.longitude
    if any(address.values()):
        location["addresses"] = [
            {
                "id": _uid(sid, "address", 0),
                **{k: v for k, v in address.items() if v is not None},
                "country": "GB",
                "address_type": "physical",
            }
        ]
    if rec.accessibility:
        location["accessibility"] = [
            {"id": _uid(sid, "accessibility", 0), "description": rec.accessibility}
        ]
    return location


def _attributes(rec: ActivityRecord) -> list[dict[str, Any]]:
    """The categories as taxonomy terms of linkworker's own taxonomy."""
    out: list[dict[str, Any]] = []
    for label, code in zip(rec.categories, rec.category_codes, strict=True):
        term_id = _uid(TAXONOMY, code)
        out.append(
            {
                "id": _uid(rec.source_id, "attribute", code),
                "link_id": rec.source_id,
                "link_type": "service",
                "link_entity": "service",
                "taxonomy_term_id": term_id,
                "taxonomy_term": {
                    "id": term_id,
                    "code": code,
                    "name": label,
                    "term": label,
                    "description": label,
                    "taxonomy": TAXONOMY,
                },
            }
        )
    return out


def _notes(extras: Mapping[str, object]) -> dict[str, object]:
    """The link worker's private columns of a row (favourite as true/false)."""
    notes: dict[str, object] = {}
    for key in _NOTE_COLUMNS:
        if key in extras:
            note = extras[key]
            notes[key] = bool(note) if key == "favourite" and note is not None else note
    return notes


def export_page(
    activities: Iterable[Mapping[str, object] | ActivityRecord], include_notes: bool = False
) -> dict[str, Any]:
    """One HSDS v3 list page of services from activity rows (or records).

    Rows are as the activities table holds them (JSON text columns) or already decoded.
    A retired activity is exported as "inactive". The private notes, favourite and
    verified_on go out (under "x_linkworker") only when include_notes is true.
    """
    contents = [_export_service(row, include_notes) for row in activities]
    return {
        "total_items": len(contents),
        "total_pages": 1,
        "page_number": 1,
        "size": len(contents),
        "first_page": True,
        "last_page": True,
        "empty": not contents,
        "contents": contents,
    }


def page_json(page: dict[str, Any]) -> str:
    """A list page as the JSON text written to a file (indented, UTF-8 kept readable)."""
    return escape_controls_in_json(json.dumps(page, indent=2, ensure_ascii=False)) + "\n"
