"""Writing the directory out as one HSDS v3 list page of services.

What is written validates against the HSDS v3 compiled schemas and the Open Referral UK
profile (tests/feed_schemas.py checks every export): ids are UUIDs, an organisation has a
description, an address has every part the schemas require (an unknown part is written
empty, which reads back as unknown), and URLs are percent-encoded.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

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
    sid = service_id(rec.source_id)
    svc: dict[str, Any] = {"id": sid, "name": rec.name}
    if sid != rec.source_id:
        svc[FEED_ID_KEY] = rec.source_id  # read back as the activity's own id
    if rec.description:
        svc["description"] = rec.description
    svc["status"] = "inactive" if extras.get("retired") else rec.status
    scalars = {
        "url": None if rec.url is None else encoded_url(rec.url),
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
            **_own_ids(rec.organisation_id, _uid("organization", rec.organisation)),
            "name": rec.organisation,
            # Required by both schemas; the directory holds no more about an organisation.
            "description": rec.organisation,
        }
    phones = _phones(rec)
    if phones:
        svc["phones"] = phones
    if rec.schedules:
        svc["schedules"] = _schedules(rec)
    places = _places(rec)
    if places:
        svc["service_at_locations"] = places
    costs = _cost_options(rec)
    if costs:
        svc["cost_options"] = costs
    if rec.languages:
        svc["languages"] = [
            {"id": _uid(sid, "language", n), "name": name} for n, name in enumerate(rec.languages)
        ]
    contacts = _contacts(rec)
    if contacts:
        svc["contacts"] = contacts
    if rec.categories:
        svc["attributes"] = _attributes(rec)
    for key, scalar in rec.extra.items():
        svc.setdefault(key, scalar)
    if include_notes:
        svc["x_linkworker"] = _notes(extras)
    return svc


#: Where a service whose own id is not a UUID keeps it (the "id" is then derived from it).
FEED_ID_KEY = "x_linkworker_source_id"


def service_id(source_id: str) -> str:
    """The id a service is exported under: the feed's own when it is a UUID (as HSDS v3
    requires), else a UUID derived from it (the same on every export)."""
    try:
        uuid.UUID(source_id)
    except ValueError:
        return _uid("service", source_id)
    if len(source_id) == 36 and all(source_id[n] == "-" for n in (8, 13, 18, 23)):
        return source_id
    return _uid("service", source_id)


#: What a URL may hold unencoded (RFC 3986 reserved and unreserved characters, and "%").
_URL_SAFE = "-._~:/?#[]@!$&'()*+,;=%"


def encoded_url(url: str) -> str:
    """A URL with its non-ASCII characters and spaces percent-encoded (an IDN host in
    punycode); escapes already in it are kept as they are."""
    parts = urlsplit(url.strip())
    host = parts.hostname or ""
    try:
        ascii_host = host.encode("idna").decode("ascii") if host else host
    except UnicodeError:
        ascii_host = quote(host, safe="")
    netloc = parts.netloc.replace(host, ascii_host, 1) if host else parts.netloc
    return urlunsplit(
        (
            parts.scheme,
            quote(netloc, safe=_URL_SAFE),
            quote(parts.path, safe=_URL_SAFE),
            quote(parts.query, safe=_URL_SAFE),
            quote(parts.fragment, safe=_URL_SAFE),
        )
    )


def _schedules(rec: ActivityRecord) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    sid = service_id(rec.source_id)
    for n, s in enumerate(rec.schedules):
        schedule: dict[str, Any] = {"id": _uid(sid, "schedule", n)}
        for key in SCHEDULE_KEYS:
            value = s.get(key)
            if value is None:
                continue
            if key in ("opens_at", "closes_at"):
                schedule[key] = f"{value}:00"
            elif key in ("interval", "count"):
                schedule[key] = int(value)  # whole numbers in HSDS v3
            else:
                schedule[key] = value
        out.append(schedule)
    return out


def _places(rec: ActivityRecord) -> list[dict[str, Any]]:
    """Every location as a service_at_location: the first from the activity's own fields
    (a hand edit shows there), the rest as the feed gave them."""
    sid = service_id(rec.source_id)
    first = _location(rec)
    places = [first] if len(first) > 2 else []
    places += [_kept_location(rec, n, loc) for n, loc in enumerate(rec.locations[1:], start=1)]
    return [
        {"id": _uid(sid, "service_at_location", n), "location": location}
        for n, location in enumerate(places)
    ]


def _location(rec: ActivityRecord) -> dict[str, Any]:
    """The first physical location (just its id and type when the record has no place)."""
    sid = service_id(rec.source_id)
    kept = rec.locations[0] if rec.locations else {}
    address: dict[str, object] = {
        "address_1": rec.address,
        "city": rec.town,
        "postal_code": rec.postcode,
    }
    lines = [kept.get("address_1"), kept.get("address_2")]
    if rec.address and rec.address == ", ".join(str(x) for x in lines if x):
        address["address_1"], address["address_2"] = lines  # as the feed split them
    if kept.get("postal_code") and rec.postcode is None:
        address["postal_code"] = kept["postal_code"]  # not a UK postcode: as the feed gave it
    address["state_province"] = kept.get("state_province")
    location: dict[str, Any] = {
        **_own_ids(kept.get("id"), _uid(sid, "location", 0)),
        "location_type": "physical",
    }
    if rec.venue:
        location["name"] = rec.venue
    if rec.latitude is not None and rec.longitude is not None:
        location["latitude"], location["longitude"] = rec.latitude, rec.longitude
    if any(v is not None for k, v in address.items() if k != "state_province"):
        location["addresses"] = [_address(sid, 0, address, kept.get("country"))]
    if rec.accessibility:
        location["accessibility"] = [
            {"id": _uid(sid, "accessibility", 0), "description": rec.accessibility}
        ]
    return location


#: The parts of an address both schemas require; one the directory lacks is written empty,
#: which an import reads back as unknown.
_REQUIRED_ADDRESS_PARTS = ("address_1", "city", "state_province", "postal_code")


def _address(sid: str, n: int, fields: Mapping[str, object], country: object) -> dict[str, Any]:
    """One address with every required part (the country as the feed gave it, else GB)."""
    return {
        "id": _uid(sid, "address", n),
        **{k: "" for k in _REQUIRED_ADDRESS_PARTS},
        **{k: v for k, v in fields.items() if v is not None},
        "country": country or "GB",
        "address_type": "physical",
    }


def _own_ids(kept: object, derived: str) -> dict[str, str]:
    """The id of a location, phone, contact, cost option or organisation: the feed's own when
    it is a UUID (as HSDS v3 requires), else ``derived`` with the feed's own beside it under
    FEED_ID_KEY (read back as its id, so a round trip keeps it)."""
    if not isinstance(kept, str) or not kept:
        return {"id": derived}
    if service_id(kept) == kept:
        return {"id": kept}
    return {"id": derived, FEED_ID_KEY: kept}


def _kept_location(rec: ActivityRecord, n: int, kept: Mapping[str, object]) -> dict[str, Any]:
    """A further location of the feed, as it was read (with the feed's own id)."""
    sid = service_id(rec.source_id)
    location: dict[str, Any] = {
        **_own_ids(kept.get("id"), _uid(sid, "location", n)),
        "location_type": "physical",
    }
    if kept.get("name"):
        location["name"] = kept["name"]
    if kept.get("latitude") is not None and kept.get("longitude") is not None:
        location["latitude"], location["longitude"] = kept["latitude"], kept["longitude"]
    keys = ("address_1", "address_2", "city", "state_province", "postal_code")
    address = {k: kept.get(k) for k in keys}
    if any(v is not None for v in address.values()):
        location["addresses"] = [_address(sid, n, address, kept.get("country"))]
    if kept.get("accessibility"):
        location["accessibility"] = [
            {"id": _uid(sid, "accessibility", n), "description": kept["accessibility"]}
        ]
    return location


def _phones(rec: ActivityRecord) -> list[dict[str, Any]]:
    """Every phone kept, the activity's own phone first (a hand edit replaces the first)."""
    sid = service_id(rec.source_id)
    kept = [dict(p) for p in rec.phones]
    if rec.phone and not any(p.get("number") == rec.phone for p in kept):
        contact_numbers = {c.get("phone") for c in rec.contacts}
        if rec.phone not in contact_numbers:
            kept = [{"number": rec.phone}, *kept[1:]] if kept else [{"number": rec.phone}]
    return [{**p, **_own_ids(p.get("id"), _uid(sid, "phone", n))} for n, p in enumerate(kept)]


def _contacts(rec: ActivityRecord) -> list[dict[str, Any]]:
    """Every contact kept (with its phone); the first named as the activity says."""
    sid = service_id(rec.source_id)
    out: list[dict[str, Any]] = []
    for n, kept in enumerate(rec.contacts):
        contact: dict[str, Any] = {k: v for k, v in kept.items() if k != "phone" and v is not None}
        contact |= _own_ids(kept.get("id"), _uid(sid, "contact", n))
        if kept.get("phone"):
            contact["phones"] = [{"id": _uid(sid, "contact_phone", n), "number": kept["phone"]}]
        out.append(contact)
    if rec.contact_name and (not out or _contact_words(rec.contacts[0]) != rec.contact_name):
        first = {"id": _uid(sid, "contact", 0), "name": rec.contact_name}
        out = [first, *out[1:]]
    return out


def _contact_words(kept: Mapping[str, object]) -> str | None:
    person, title = kept.get("name"), kept.get("title")
    if person and title:
        return f"{person} ({title})"
    return str(person or title) if person or title else None


def _cost_options(rec: ActivityRecord) -> list[dict[str, Any]]:
    """Every cost option kept; a free activity without any gets one saying so."""
    sid = service_id(rec.source_id)
    if rec.cost_options:
        return [
            {**c, **_own_ids(c.get("id"), _uid(sid, "cost_option", n))}
            for n, c in enumerate(rec.cost_options)
        ]
    if rec.is_free:
        return [
            {"id": _uid(sid, "cost_option", 0), "option": "Free", "amount": 0, "currency": "GBP"}
        ]
    return []


def _attributes(rec: ActivityRecord) -> list[dict[str, Any]]:
    """The categories as taxonomy terms of linkworker's own taxonomy."""
    out: list[dict[str, Any]] = []
    sid = service_id(rec.source_id)
    for label, code in zip(rec.categories, rec.category_codes, strict=True):
        term_id = _uid(TAXONOMY, code)
        out.append(
            {
                "id": _uid(sid, "attribute", code),
                "link_id": sid,
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
