"""Reading an HSDS tabular data package: CSV tables joined by their ids into service
objects of the JSON shape."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from linkworker.formats.oruk.record import FeedError

_TABLES = (
    "services",
    "organizations",
    "schedules",
    "service_at_location",
    "locations",
    "addresses",
    "phones",
    "cost_options",
    "languages",
    "contacts",
    "attributes",
    "taxonomy_terms",
    "accessibility",
)


# The names other packages give the same tables: the Open Referral UK profile names each
# resource in the singular ("address", "schedule", with "address.csv", "schedule.csv").
_ALIASES = {
    "service": "services",
    "organization": "organizations",
    "schedule": "schedules",
    "service_at_locations": "service_at_location",
    "location": "locations",
    "address": "addresses",
    "phone": "phones",
    "cost_option": "cost_options",
    "language": "languages",
    "contact": "contacts",
    "attribute": "attributes",
    "taxonomy_term": "taxonomy_terms",
    "accessibilities": "accessibility",
    "accessibility_for_disabilities": "accessibility",
}


def _table_paths(folder: Path, package: Path) -> dict[str, Path]:
    """Each table's file: the standard name, or the path the package declares for it."""
    paths = {name: folder / f"{name}.csv" for name in _TABLES}
    for alias, name in _ALIASES.items():
        if not paths[name].is_file() and (folder / f"{alias}.csv").is_file():
            paths[name] = folder / f"{alias}.csv"
    try:
        meta = json.loads(package.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        # The HSDS examples ship datapackage.json as the bare text of a symlink target:
        # the CSVs beside it, by their standard names, are the package all the same.
        return paths
    resources = meta.get("resources") if isinstance(meta, dict) else None
    for res in resources if isinstance(resources, list) else []:
        if not isinstance(res, dict) or not isinstance(res.get("path"), str):
            continue
        candidate = folder / res["path"]
        for declared in (res.get("name"), candidate.stem):
            if not isinstance(declared, str):
                continue
            name = _ALIASES.get(declared, declared)
            if name in paths and candidate.is_file():
                paths[name] = candidate
                break
    return paths


def _read_table(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            return [
                {
                    k: v
                    for k, v in row.items()
                    if isinstance(k, str) and isinstance(v, str) and v != ""
                }
                for row in csv.DictReader(fh)
            ]
    except OSError as exc:
        raise FeedError(f"{path.name}: cannot be read ({exc.strerror or exc})") from exc
    except (UnicodeDecodeError, csv.Error) as exc:
        raise FeedError(f"{path.name}: not a readable CSV table ({exc})") from exc


def _group(rows: list[dict[str, str]], key: str) -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        if key in row:
            out[row[key]].append(row)
    return out


def _services_from_tables(folder: Path, package: Path) -> list[object]:
    """Join the CSV tables by their ids into service objects in the JSON shape."""
    paths = _table_paths(folder, package)
    if not paths["services"].is_file():
        raise FeedError(
            f"{package.name}: the data package has no services.csv in {folder.name or folder}"
        )
    t = {name: _read_table(path) for name, path in paths.items()}
    orgs = {r["id"]: r for r in t["organizations"] if "id" in r}
    terms = {r["id"]: r for r in t["taxonomy_terms"] if "id" in r}
    locations = {r["id"]: r for r in t["locations"] if "id" in r}
    addresses = _group(t["addresses"], "location_id")
    access = _group(t["accessibility"], "location_id")
    sched_by_service = _group(t["schedules"], "service_id")
    sched_by_sal = _group(t["schedules"], "service_at_location_id")
    sched_by_location = _group(t["schedules"], "location_id")
    sals = _group(t["service_at_location"], "service_id")
    phones = _group(t["phones"], "service_id")
    contact_phones = _group(t["phones"], "contact_id")
    contacts = {
        sid: [{**c, "phones": contact_phones.get(c.get("id", ""), [])} for c in rows]
        for sid, rows in _group(t["contacts"], "service_id").items()
    }
    costs = _group(t["cost_options"], "service_id")
    languages = _group(t["languages"], "service_id")
    attributes = _group(t["attributes"], "link_id")

    services: list[object] = []
    for row in t["services"]:
        svc: dict[str, Any] = dict(row)
        sid = row.get("id", "")
        org = orgs.get(row.get("organization_id", ""))
        if org is not None:
            svc["organization"] = dict(org)
        places = []
        for sal in sals.get(sid, []) if sid else []:
            place: dict[str, Any] = dict(sal)
            place["schedules"] = sched_by_sal.get(sal.get("id", ""), [])
            loc_id = sal.get("location_id", "")
            if loc_id in locations:
                place["location"] = {
                    **locations[loc_id],
                    "addresses": addresses.get(loc_id, []),
                    "accessibility": access.get(loc_id, []),
                    "schedules": sched_by_location.get(loc_id, []),
                }
            places.append(place)
        if sid:
            svc |= {
                "phones": phones.get(sid, []),
                "schedules": sched_by_service.get(sid, []),
                "service_at_locations": places,
                "contacts": contacts.get(sid, []),
                "cost_options": costs.get(sid, []),
                "languages": languages.get(sid, []),
                "attributes": [
                    {**a, "taxonomy_term": terms[a["taxonomy_term_id"]]}
                    for a in attributes.get(sid, [])
                    if a.get("taxonomy_term_id") in terms
                ],
            }
        services.append(svc)
    return services
