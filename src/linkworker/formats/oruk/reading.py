"""Reading a feed from files: the shapes of an HSDS JSON document (a service, a list page,
an array, an organization, service_at_locations), folders of them, and :func:`load_feed`."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from linkworker.formats.oruk.data_package import _services_from_tables
from linkworker.formats.oruk.fields import _kind
from linkworker.formats.oruk.mapping import parse_services
from linkworker.formats.oruk.record import (
    FeedError,
    ParsedFeed,
)
from linkworker.formats.oruk.vocabulary import _other_kind

_NOT_A_FEED = (
    "not an Open Referral feed (expected a service, a list page with 'contents', "
    "or an array of services)"
)


def _org_services(org: Mapping[str, Any]) -> list[object]:
    """The services of an organization object, each told which organization it belongs to."""
    ref = {k: org[k] for k in ("id", "name") if k in org}
    out: list[object] = []
    for svc in org.get("services") or []:
        if isinstance(svc, dict) and "organization" not in svc and ref:
            svc = {**svc, "organization": ref}
        out.append(svc)
    return out


def _expand(entries: list[object]) -> list[object]:
    """Services from the entries of a page or array; other HSDS objects pass through as-is
    (parse_services reports them), service_at_locations become services."""
    out: list[object] = []
    by_service: dict[str, dict[str, Any]] = {}
    for entry in entries:
        if not isinstance(entry, dict):
            out.append(entry)
            continue
        kind = _other_kind(entry)
        if kind == "service_at_location":
            sal = {k: v for k, v in entry.items() if k != "service"}
            svc = dict(entry["service"])
            sid = svc.get("id")
            if isinstance(sid, str) and sid in by_service:
                # The same service at another place: one activity, more locations.
                by_service[sid].setdefault("service_at_locations", []).append(sal)
                continue
            if (
                not isinstance(svc.get("service_at_locations"), list)
                or not svc["service_at_locations"]
            ):
                svc["service_at_locations"] = [sal]
            if isinstance(sid, str):
                by_service[sid] = svc
            out.append(svc)
        elif kind == "organization" and isinstance(entry.get("services"), list):
            out.extend(_org_services(entry))
        else:
            out.append(entry)
    return out


def _services_from_json(data: object, label: str) -> list[object]:
    """The service objects in one decoded JSON document; FeedError when it holds none."""
    if isinstance(data, list):
        entries: list[object] = data
    elif isinstance(data, dict) and ("contents" in data or "content" in data):
        # v3 list pages say "contents"; v1/v2 (Spring-style) pages say "content".
        key = "contents" if "contents" in data else "content"
        if not isinstance(data[key], list):
            raise FeedError(f"{label}: '{key}' is {_kind(data[key])}, not a list")
        entries = data[key]
    elif isinstance(data, dict):
        kind = _other_kind(data)
        if kind == "organization":
            if not isinstance(data.get("services"), list):
                raise FeedError(
                    f"{label}: an HSDS organization without services, not a services feed"
                )
            return _org_services(data)
        if kind == "service_at_location":
            return _expand([data])
        if kind is not None:
            raise FeedError(f"{label}: an HSDS {kind}, not a services feed")
        if "name" not in data:
            raise FeedError(f"{label}: {_NOT_A_FEED}")
        return [data]
    else:
        raise FeedError(f"{label}: {_NOT_A_FEED}")
    services = _expand(entries)
    dicts = [e for e in services if isinstance(e, dict)]
    kinds = {_other_kind(e) for e in dicts}
    if dicts and None not in kinds:
        names = ", ".join(sorted(k for k in kinds if k))
        raise FeedError(f"{label}: a list of HSDS {names} objects, not services")
    return services


def _read_json(path: Path) -> object:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise FeedError(f"{path.name}: cannot be read ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        raise FeedError(f"{path.name}: not UTF-8 text, so not a JSON feed") from exc
    if not text.strip():
        raise FeedError(f"{path.name}: the file is empty")
    try:
        return json.loads(text)
    except ValueError as exc:
        raise FeedError(f"{path.name}: not valid JSON ({exc})") from exc
    except RecursionError:  # Python's parser gives up on lists or objects nested too deep
        raise FeedError(f"{path.name}: JSON nested too deeply to be a feed") from None


def load_feed(path: Path) -> ParsedFeed:
    """Read a feed from a JSON file, a folder of JSON pages, or an HSDS tabular data package.

    Raises FeedError when the input is not a feed at all; problems with single records
    are reported in the result instead.
    """
    path = Path(path)
    label = path.name or str(path)
    if path.is_dir():
        package = path / "datapackage.json"
        if package.is_file():
            services = _services_from_tables(path, package)
        else:
            files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".json")
            if not files:
                empty = not any(path.iterdir())
                raise FeedError(
                    f"{label}: {'the folder is empty' if empty else 'no .json files'}"
                    " (expected JSON feed pages or a datapackage.json)"
                )
            services = []
            for file in files:
                services.extend(_services_from_json(_read_json(file), file.name))
    elif path.is_file():
        if path.name.lower() == "datapackage.json" or path.name.lower() == "services.csv":
            services = _services_from_tables(path.parent, path.parent / "datapackage.json")
        else:
            services = _services_from_json(_read_json(path), label)
    elif path.exists():  # a pipe, a device or a socket: never opened, so nothing hangs
        raise FeedError(
            f"{label}: is not an ordinary file (a pipe or a device); give a feed file or folder"
        )
    else:
        raise FeedError(f"{label}: no such file or folder")
    return parse_services(services, str(path))
