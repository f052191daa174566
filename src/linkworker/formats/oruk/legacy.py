"""Open Referral UK v1 and v2 services (as councils still serve them: Placecube's
ServiceDirectoryService/v2, FutureGov Outpost's /api/v1) in the HSDS v3 shape the mapping
reads. A key the service already has in v3 form wins; nothing else is changed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from linkworker.formats.oruk.vocabulary import WEEKDAYS

_DAY_WORDS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_WORDS = {word: code for code, word in zip(WEEKDAYS, _DAY_WORDS, strict=True)}

_SCHEDULE_COPIED = (
    "id",
    "opens_at",
    "closes_at",
    "valid_from",
    "valid_to",
    "dtstart",
    "until",
    "count",
    "freq",
    "interval",
    "byday",
    "bymonthday",
    "description",
)


def _objects(value: object) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _weekday(value: object) -> str | None:
    """ORUK v1/v2 ``weekday``: 1 (Monday) to 7, or a day's name; its BYDAY code."""
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 7:
        return WEEKDAYS[value - 1]
    if isinstance(value, str):
        text = value.strip().lower()
        if text.isdigit() and 1 <= int(text) <= 7:
            return WEEKDAYS[int(text) - 1]
        return next((code for word, code in _WEEKDAY_WORDS.items() if text[:3] == word[:3]), None)
    return None


def _schedule(regular: Mapping[str, Any]) -> dict[str, Any]:
    out = {k: regular[k] for k in _SCHEDULE_COPIED if regular.get(k) not in (None, "")}
    day = _weekday(regular.get("weekday"))
    if day and "byday" not in out:
        out["byday"] = day
    if "byday" in out and "freq" not in out:
        out["freq"] = "WEEKLY"
    return out


def _holidays(value: object) -> str | None:
    """Holiday closures in words, kept with the activity's other feed fields."""
    parts: list[str] = []
    for h in _objects(value):
        start, end = h.get("start_date"), h.get("end_date")
        span = f"{start} to {end}" if start and end and start != end else str(start or end or "")
        if not span:
            continue
        closed = h.get("closed") in (True, "true", "1", 1)
        hours = "" if closed else f" {h.get('opens_at') or ''}-{h.get('closes_at') or ''}"
        parts.append(f"{'closed' if closed else 'open'} {span}{hours.rstrip('-')}".strip())
    return "; ".join(parts) or None


def _location(loc: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(loc)
    if "addresses" not in out and isinstance(loc.get("physical_addresses"), list):
        out["addresses"] = loc["physical_addresses"]
    if "accessibility" not in out:
        for key in ("accessibility_for_disabilities", "accessibilities"):
            items = _objects(loc.get(key))
            if items:
                out["accessibility"] = [
                    {
                        "id": a.get("id"),
                        "description": a.get("accessibility")
                        or a.get("description")
                        or a.get("name")
                        or a.get("details"),
                    }
                    for a in items
                ]
                out.pop("accessibilities", None)
                break
    return out


def _eligibility(svc: dict[str, Any], items: list[dict[str, Any]]) -> None:
    words = [str(e["eligibility"]).strip() for e in items if isinstance(e.get("eligibility"), str)]
    if words and "eligibility_description" not in svc:
        svc["eligibility_description"] = "; ".join(w for w in words if w) or None
    for key in ("minimum_age", "maximum_age"):
        if key not in svc:
            ages = [e[key] for e in items if e.get(key) not in (None, "")]
            if ages:
                svc[key] = ages[0]


def _taxonomy_attributes(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for item in items:
        term = item.get("taxonomy")
        if isinstance(term, dict):
            code = term.get("code") or term.get("id")
            out.append({"taxonomy_term": {**term, "code": None if code is None else str(code)}})
    return out


def v3_shape(service: Mapping[str, Any]) -> dict[str, Any]:
    """A v1/v2 service in the v3 shape (a v3 service comes back as it was)."""
    svc = dict(service)
    if "schedules" not in svc and "regular_schedules" in svc:
        svc["schedules"] = [_schedule(s) for s in _objects(svc.pop("regular_schedules"))]
    if "holiday_schedules" in svc:
        closures = _holidays(svc.pop("holiday_schedules"))
        if closures:
            svc.setdefault("holiday_closures", closures)
    if "service_at_locations" not in svc and isinstance(svc.get("locations"), list):
        svc["service_at_locations"] = [{"location": loc} for loc in _objects(svc.pop("locations"))]
    if isinstance(svc.get("service_at_locations"), list):
        svc["service_at_locations"] = [
            {**sal, "location": _location(sal["location"])}
            if isinstance(sal, dict) and isinstance(sal.get("location"), dict)
            else sal
            for sal in svc["service_at_locations"]
        ]
    if "eligibilitys" in svc:
        _eligibility(svc, _objects(svc.pop("eligibilitys")))
    if isinstance(svc.get("languages"), list):
        svc["languages"] = [
            {**lang, "name": lang["language"]}
            if isinstance(lang, dict) and "name" not in lang and lang.get("language")
            else lang
            for lang in svc["languages"]
        ]
    if "attributes" not in svc and "service_taxonomys" in svc:
        svc["attributes"] = _taxonomy_attributes(_objects(svc.pop("service_taxonomys")))
    if "fees_description" not in svc and isinstance(svc.get("fees"), str):
        svc["fees_description"] = svc.pop("fees")
    return svc
