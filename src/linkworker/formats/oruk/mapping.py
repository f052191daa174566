"""Mapping HSDS service objects to activity records, reporting every problem: a bad
record is skipped, a bad optional field dropped with a warning."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import ValidationError as PydanticValidationError

from linkworker.formats.oruk.fields import (
    _age,
    _Ctx,
    _first_error,
    _first_text,
    _kind,
    _list,
    _number,
    _obj,
    _schedule,
    _shown,
    _status,
    _text,
)
from linkworker.formats.oruk.legacy import v3_shape
from linkworker.formats.oruk.record import (
    ActivityRecord,
    ParsedFeed,
    RecordProblem,
)
from linkworker.formats.oruk.values import (
    _FREE_RE,
    _clean_phone,
    _free_from_text,
    _iso_date,
    _money,
    _plain_text,
    _postcode_or_none,
)
from linkworker.formats.oruk.vocabulary import (
    _MAPPED_KEYS,
    Scalar,
    _other_kind,
    _uid,
)
from linkworker.formats.oruk.writing import FEED_ID_KEY


def _organisation(svc: Mapping[str, Any], ctx: _Ctx) -> str | None:
    org = _obj(svc.get("organization"), "organization", ctx)
    return _text(org.get("name"), "organization.name", ctx) if org else None


def _schedules(
    svc: Mapping[str, Any],
    sals: list[dict[str, Any]],
    location: Mapping[str, Any] | None,
    ctx: _Ctx,
) -> list[dict[str, str | None]]:
    # The service's own schedules; else those of its first place. HSDS repeats the same
    # schedule at all three levels (see service_full.json), so merging would duplicate it.
    sources: list[tuple[object, str]] = [(svc.get("schedules"), "schedules")]
    if sals:
        sources.append((sals[0].get("schedules"), "service_at_locations.schedules"))
    if location is not None:
        sources.append((location.get("schedules"), "location.schedules"))
    for value, fld in sources:
        found = [_schedule(s, fld, ctx) for s in _list(value, fld, ctx)]
        found = [s for s in found if any(v is not None for v in s.values())]
        if found:
            return found
    return []


def _cost(svc: Mapping[str, Any], ctx: _Ctx) -> tuple[str | None, bool | None]:
    fees = _text(svc.get("fees_description"), "fees_description", ctx)
    summaries: list[str] = []
    amounts: list[float] = []
    for opt in _list(svc.get("cost_options"), "cost_options", ctx):
        amount = _number(opt.get("amount"), "cost_options.amount", ctx)
        if amount is not None and amount < 0:
            ctx.warn("cost_options.amount", f"negative amount {amount:g}; dropped")
            amount = None
        currency = _text(opt.get("currency"), "cost_options.currency", ctx)
        label = _text(opt.get("option"), "cost_options.option", ctx)
        detail = _text(opt.get("amount_description"), "cost_options.amount_description", ctx)
        if amount is not None:
            amounts.append(amount)
        price = None if amount is None else ("Free" if amount == 0 else _money(amount, currency))
        if label and price == "Free" and label.lower() == "free":
            label = None
        if price == "Free" and detail:
            body = f"Free ({detail})"
        else:
            body = " ".join(p for p in (price, detail) if p)
        summary = f"{label}: {body}" if label and body else (label or body)
        if not summary or (fees and _says_already(fees, summary, price)):
            continue
        if summary not in summaries:
            summaries.append(summary)
    cost = _join_sentences([fees, *summaries])
    is_free = all(a == 0 for a in amounts) if amounts else _free_from_text(cost)
    return cost, is_free


def _says_already(fees: str, summary: str, price: str | None) -> bool:
    """True when the fees text already gives what a cost option would add.

    Feeds often repeat their cost options in fees_description; appending them again
    makes the cost line twice as long for nothing. A price the text does not mention
    (a concession rate, say) is still added.
    """
    if summary == "Free" or summary.lower() in fees.lower():
        return True  # a bare "Free" adds nothing to a fees text: is_free carries it
    if price == "Free":
        return bool(_FREE_RE.search(fees))
    if price:
        # "£4" must not match inside "£40" or "£4.50".
        return re.search(re.escape(price) + r"(?!\d|[.,]\d)", fees) is not None
    return False


def _categories(svc: Mapping[str, Any], ctx: _Ctx) -> tuple[list[str], list[str]]:
    labels: list[str] = []
    codes: list[str] = []
    for attr in _list(svc.get("attributes"), "attributes", ctx):
        term = _obj(attr.get("taxonomy_term"), "attributes.taxonomy_term", ctx)
        if term is None:
            continue
        # HSDS v3 calls the label "name"; Open Referral UK v1/v2 feeds call it "term".
        label = _text(term.get("name"), "taxonomy_term.name", ctx) or _text(
            term.get("term"), "taxonomy_term.term", ctx
        )
        code = _text(term.get("code"), "taxonomy_term.code", ctx)
        label = label or code
        if label and label not in labels:
            labels.append(label)
            codes.append(code or label)
    return labels, codes


def _languages(svc: Mapping[str, Any], ctx: _Ctx) -> list[str]:
    value = svc.get("languages")
    if value is None:
        return []
    if not isinstance(value, list):
        ctx.warn("languages", f"expected a list, got {_kind(value)}; dropped")
        return []
    names: list[str] = []
    for item in value:
        name = None
        if isinstance(item, str):  # some feeds list bare names
            name = item.strip() or None
        elif isinstance(item, dict):
            name = _text(item.get("name"), "languages.name", ctx) or _text(
                item.get("code"), "languages.code", ctx
            )
        if name and name not in names:
            names.append(name)
    return names


def _place(
    svc: Mapping[str, Any], ctx: _Ctx
) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any] | None]:
    """Venue fields from the first location, every location kept; accessibility from all."""
    sals = _list(svc.get("service_at_locations"), "service_at_locations", ctx)
    locations = [
        loc
        for sal in sals
        if (loc := _obj(sal.get("location"), "service_at_locations.location", ctx))
    ]
    out: dict[str, Any] = {}
    kept = [_location_entry(loc, ctx) for loc in locations]
    first = locations[0] if locations else None
    if kept:
        entry = kept[0]
        out["venue"] = entry.get("name")
        lines = [entry.get("address_1"), entry.get("address_2")]
        if any(lines):
            out["address"] = ", ".join(str(line) for line in lines if line) or None
        out["town"] = entry.get("city")
        raw_pc = entry.get("postal_code")
        if isinstance(raw_pc, str):
            out["postcode"] = _postcode_or_none(raw_pc)
            uk = str(entry.get("country") or "GB").upper() in ("GB", "UK", "GBR")
            if out["postcode"] is None and uk:
                ctx.warn(
                    "postal_code",
                    f"{_shown(raw_pc)} is not a UK postcode; kept as given with the location",
                )
        out["latitude"], out["longitude"] = entry.get("latitude"), entry.get("longitude")
    access: list[str] = []
    for entry in kept:
        text = entry.get("accessibility")
        for part in str(text).split("; ") if text else []:
            if part not in access:
                access.append(part)
    out["accessibility"] = "; ".join(access) or None
    out["locations"] = kept
    return out, sals, first


def _location_entry(loc: Mapping[str, Any], ctx: _Ctx) -> dict[str, Any]:
    """One location as kept: its id, name, first address (country as given), coordinates
    and accessibility."""
    entry: dict[str, Any] = {
        "id": _feed_id(loc.get(FEED_ID_KEY, loc.get("id"))),
        "name": _text(loc.get("name"), "location.name", ctx),
    }
    addresses = _list(loc.get("addresses"), "location.addresses", ctx)
    if addresses:
        addr = addresses[0]
        for key in ("address_1", "address_2", "city", "state_province", "postal_code", "country"):
            entry[key] = _text(addr.get(key), f"address.{key}", ctx)
        if entry["postal_code"]:  # a UK postcode as Royal Mail writes it; others as given
            entry["postal_code"] = _postcode_or_none(entry["postal_code"]) or entry["postal_code"]
    entry["latitude"], entry["longitude"] = _coordinates(loc, ctx)
    key = "accessibility" if "accessibility" in loc else "accessibilities"
    access: list[str] = []
    for item in _list(loc.get(key), f"location.{key}", ctx):
        text = _text(item.get("description"), "accessibility.description", ctx) or _text(
            item.get("details"), "accessibility.details", ctx
        )
        if text and text not in access:
            access.append(text)
    entry["accessibility"] = "; ".join(access) or None
    return {k: v for k, v in entry.items() if v is not None}


def _feed_id(value: object) -> str | None:
    """A feed's own id of a nested object (text or a number), else None."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def _phone_entries(sources: list[tuple[object, str]], ctx: _Ctx) -> list[dict[str, Any]]:
    """Every phone of the service and its places (by number, first seen kept)."""
    quiet = _Ctx(ctx.index)  # the first phone was read (and warned about) already
    out: list[dict[str, Any]] = []
    numbers: set[str] = set()
    for value, fld in sources:
        for item in _list(value, fld, quiet):
            raw = _text(item.get("number"), fld, quiet)
            number = _clean_phone(raw) if raw else None
            if not number or number in numbers:
                continue
            numbers.add(number)
            entry = {"id": _feed_id(item.get(FEED_ID_KEY, item.get("id"))), "number": number}
            for key in ("extension", "type", "description"):
                extra = item.get(key)
                entry[key] = str(extra) if isinstance(extra, int | str) and extra != "" else None
            out.append({k: v for k, v in entry.items() if v is not None})
    return out


def _contact_entries(contacts: list[dict[str, Any]], ctx: _Ctx) -> list[dict[str, Any]]:
    quiet = _Ctx(ctx.index)
    out: list[dict[str, Any]] = []
    for contact in contacts:
        entry = {"id": _feed_id(contact.get(FEED_ID_KEY, contact.get("id")))}
        for key in ("name", "title", "department", "email"):
            entry[key] = _text(contact.get(key), f"contacts.{key}", quiet)
        raw = _first_text(
            _list(contact.get("phones"), "contacts.phones", quiet), "number", "phone", quiet
        )
        entry["phone"] = _clean_phone(raw) if raw else None
        out.append({k: v for k, v in entry.items() if v is not None})
    return out


def _cost_entries(svc: Mapping[str, Any], ctx: _Ctx) -> list[dict[str, Any]]:
    quiet = _Ctx(ctx.index)  # _cost read these already and warned about what was wrong
    out: list[dict[str, Any]] = []
    for opt in _list(svc.get("cost_options"), "cost_options", quiet):
        amount = _number(opt.get("amount"), "amount", quiet)
        entry: dict[str, Any] = {
            "id": _feed_id(opt.get(FEED_ID_KEY, opt.get("id"))),
            "amount": amount if amount is not None and amount >= 0 else None,
        }
        for key in ("option", "currency", "amount_description"):
            entry[key] = _text(opt.get(key), key, quiet)
        for key in ("valid_from", "valid_to"):
            raw = _text(opt.get(key), key, quiet)
            entry[key] = _iso_date(raw) if raw else None
        out.append({k: v for k, v in entry.items() if v is not None})
    return out


def _coordinates(location: Mapping[str, Any], ctx: _Ctx) -> tuple[float | None, float | None]:
    # A coordinate on its own, or out of range, places nothing: keep both or neither.
    lat = _number(location.get("latitude"), "latitude", ctx)
    lon = _number(location.get("longitude"), "longitude", ctx)
    if lat is None and lon is None:
        return None, None
    if lat is None or lon is None:
        ctx.warn(
            "latitude" if lat is None else "longitude",
            "missing, so the other coordinate is dropped too",
        )
        return None, None
    if not -90 <= lat <= 90:
        ctx.warn("latitude", f"{lat:g} is out of range (-90 to 90); latitude and longitude dropped")
        return None, None
    if not -180 <= lon <= 180:
        ctx.warn(
            "longitude", f"{lon:g} is out of range (-180 to 180); latitude and longitude dropped"
        )
        return None, None
    return lat, lon


def _join_sentences(parts: Iterable[str | None]) -> str | None:
    # "...prices." + "Under 18s: £35" reads better without a "; " after a full stop.
    out = ""
    for part in parts:
        if not part:
            continue
        if out:
            out += " " if out[-1] in ".!?;" else "; "
        out += part
    return out or None


def _extra(svc: Mapping[str, Any]) -> dict[str, Scalar]:
    # Top-level scalars only: nested objects we do not map are dropped, to keep rows small.
    out: dict[str, Scalar] = {}
    for key, value in svc.items():
        if key in _MAPPED_KEYS or key == FEED_ID_KEY or not isinstance(key, str):
            continue
        if isinstance(value, str):
            if value.strip():
                out[key] = value.strip()
        elif isinstance(value, bool | int) or (isinstance(value, float) and math.isfinite(value)):
            out[key] = value
    return out


def _map_service(svc: Mapping[str, Any], ctx: _Ctx) -> dict[str, Any]:
    """All optional fields of one service; bad values are dropped with a warning."""
    place, sals, location = _place(svc, ctx)
    contacts = _list(svc.get("contacts"), "contacts", ctx)
    if not contacts and sals:
        contacts = _list(sals[0].get("contacts"), "service_at_locations.contacts", ctx)
    if not contacts and location is not None:
        contacts = _list(location.get("contacts"), "location.contacts", ctx)
    contact_name = None
    for contact in contacts:
        person = _text(contact.get("name"), "contacts.name", ctx)
        title = _text(contact.get("title"), "contacts.title", ctx)
        if person or title:
            contact_name = f"{person} ({title})" if person and title else (person or title)
            break
    phone_sources = [(svc.get("phones"), "phones")]
    if sals:
        phone_sources.append((sals[0].get("phones"), "service_at_locations.phones"))
    if location is not None:
        phone_sources.append((location.get("phones"), "location.phones"))
    place_phones = [*phone_sources]
    place_phones += [(s.get("phones"), "service_at_locations.phones") for s in sals[1:]]
    phone_sources += [(c.get("phones"), "contacts.phones") for c in contacts]
    phone = None
    for value, fld in phone_sources:
        raw = _first_text(_list(value, fld, ctx), "number", f"{fld}.number", ctx)
        phone = _clean_phone(raw) if raw else None
        if phone:
            break
    email = _text(svc.get("email"), "email", ctx) or _first_text(
        contacts, "email", "contacts.email", ctx
    )
    assured = _text(svc.get("assured_date"), "assured_date", ctx)
    assured_date = _iso_date(assured) if assured else None
    if assured and assured_date is None:
        ctx.warn("assured_date", f"{_shown(assured)} is not an ISO date; dropped")
    min_age = _age(svc.get("minimum_age"), "minimum_age", ctx)
    max_age = _age(svc.get("maximum_age"), "maximum_age", ctx)
    cost, is_free = _cost(svc, ctx)
    categories, codes = _categories(svc, ctx)
    return {
        "description": _html_free(svc.get("description"), "description", ctx),
        "status": _status(svc.get("status"), ctx),
        "categories": categories,
        "category_codes": codes,
        **place,
        "schedules": _schedules(svc, sals, location, ctx),
        "cost": cost,
        "is_free": is_free,
        "eligibility": _html_free(
            svc.get("eligibility_description"), "eligibility_description", ctx
        ),
        "min_age": min_age,
        "max_age": max_age,
        "languages": _languages(svc, ctx),
        "phone": phone,
        "email": email,
        "url": _text(svc.get("url"), "url", ctx),
        "contact_name": contact_name,
        "assured_date": assured_date,
        "alert": _text(svc.get("alert"), "alert", ctx),
        "extra": _extra(svc),
        "phones": _phone_entries(place_phones, ctx),
        "contacts": _contact_entries(contacts, ctx),
        "cost_options": _cost_entries(svc, ctx),
        "organisation_id": _organisation_id(svc),
    }


def _html_free(value: object, fld: str, ctx: _Ctx) -> str | None:
    """A text field with the HTML some feeds put in descriptions made plain text."""
    text = _text(value, fld, ctx)
    return _plain_text(text) or None if text else None


def _organisation_id(svc: Mapping[str, Any]) -> str | None:
    org = svc.get("organization")
    found = _feed_id(org.get(FEED_ID_KEY, org.get("id"))) if isinstance(org, dict) else None
    return found or _feed_id(svc.get("organization_id"))


def parse_services(services: Iterable[object], source: str = "<services>") -> ParsedFeed:
    """Map HSDS service objects to activity records, reporting every problem.

    A non-object, a record without a name, an id of the wrong type or a repeated id is
    skipped; a bad optional field is dropped with a warning; a missing id is derived.
    """
    activities: list[ActivityRecord] = []
    problems: list[RecordProblem] = []
    seen: dict[str, int] = {}
    without_status: set[str] = set()
    for index, item in enumerate(services, start=1):
        ctx = _Ctx(index)

        def skip(fld: str, reason: str, ctx: _Ctx = ctx) -> None:
            problems.append(RecordProblem(ctx.index, ctx.source_id, ctx.name, fld, reason, True))

        if not isinstance(item, dict):
            skip("record", f"not a service object (got {_kind(item)})")
            continue
        item = v3_shape(item)  # ORUK v1 and v2 services read as v3
        other = _other_kind(item)
        # A linkworker export keeps a non-UUID id beside the UUID it derived from it.
        raw_id = item.get(FEED_ID_KEY, item.get("id"))
        if isinstance(raw_id, str):
            ctx.source_id = raw_id.strip() or None
        elif isinstance(raw_id, int) and not isinstance(raw_id, bool):
            ctx.source_id = str(raw_id)
        elif raw_id is not None:
            skip("id", f"expected text, got {_kind(raw_id)}")
            continue
        raw_name = item.get("name")
        if isinstance(raw_name, str) and raw_name.strip():
            ctx.name = raw_name.strip()
        if other:
            skip("record", f"an HSDS {other}, not a service")
            continue
        if raw_name is None:
            skip("name", "missing name")
            continue
        if not isinstance(raw_name, str):
            skip("name", f"expected text, got {_kind(raw_name)}")
            continue
        if ctx.name is None:
            skip("name", "empty name")
            continue
        organisation = _organisation(item, ctx)
        if ctx.source_id is None:
            ctx.source_id = _uid("service", ctx.name, organisation or "")
            ctx.warn("id", f"no id; derived {ctx.source_id} from the name and organisation")
        if ctx.source_id in seen:
            skip("id", f"duplicate id (first seen at record {seen[ctx.source_id]})")
            continue
        try:
            record = ActivityRecord(
                source_id=ctx.source_id,
                name=ctx.name,
                organisation=organisation,
                **_map_service(item, ctx),
            )
        except PydanticValidationError as exc:  # a safety net: the mapping pre-validates
            skip(*_first_error(exc))
            continue
        seen[ctx.source_id] = index
        activities.append(record)
        if item.get("status") in (None, ""):
            without_status.add(ctx.source_id)
        problems.extend(
            RecordProblem(index, ctx.source_id, ctx.name, fld, reason, False)
            for fld, reason in ctx.warnings
        )
    return ParsedFeed(
        activities=activities, problems=problems, source=source, without_status=without_status
    )
