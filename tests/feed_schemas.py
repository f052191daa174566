"""Checking an exported feed against the HSDS v3 and Open Referral UK schemas (jsonschema).

The schemas are the published ones in ``../shared/data``: each schema set's ``openapi.json``
gives the list page (its ``Page`` envelope, ``contents`` items are ``compiled/service_list.json``)
and ``compiled/service.json`` is the full service. Formats are checked too: ``uuid``,
``date``, ``date-time`` and ``email`` by jsonschema itself, and ``uri`` here (jsonschema leaves
it unchecked without an extra package): an absolute URL of printable ASCII, so an unencoded
``é`` or a space is a violation, as any strict consumer of the feed would find it.
"""

from __future__ import annotations

import json
import string
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
SCHEMA_SETS = {
    "hsds-v3": SHARED_DATA / "hsds-v3-examples" / "schema",
    "oruk-uk": SHARED_DATA / "oruk-uk-profile" / "schema",
}
_URI_CHARACTERS = frozenset(string.ascii_letters + string.digits + "-._~:/?#[]@!$&'()*+,;=%")

formats = FormatChecker()


@formats.checks("uri", raises=ValueError)
def _is_uri(value: object) -> bool:
    """An absolute URI (RFC 3986): a scheme, and only the characters a URI may hold."""
    if not isinstance(value, str):
        return True
    if not set(value) <= _URI_CHARACTERS:
        return False
    parts = urlsplit(value)
    return bool(parts.scheme) and bool(parts.netloc or parts.path)


def _load(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


@cache
def _validators(schema_set: str) -> tuple[Draft202012Validator, Draft202012Validator]:
    """(the list page validator, the full service validator) of one schema set."""
    folder = SCHEMA_SETS[schema_set]
    openapi = _load(folder / "openapi.json")
    page = dict(openapi["components"]["schemas"]["Page"])
    page["required"] = list(page["properties"])
    page["properties"] = {
        **page["properties"],
        "contents": {"type": "array", "items": _load(folder / "compiled" / "service_list.json")},
    }
    page["required"].append("contents")
    service = _load(folder / "compiled" / "service.json")
    return (
        Draft202012Validator(page, format_checker=formats),
        Draft202012Validator(service, format_checker=formats),
    )


def violations(page: dict[str, Any], schema_set: str) -> Iterator[str]:
    """Every violation of a list page (envelope and each listed service) and of each of its
    services as a full record, one line each naming where it is."""
    page_validator, service_validator = _validators(schema_set)
    for error in page_validator.iter_errors(page):
        yield _line(f"{schema_set} page", error)
    for n, service in enumerate(page.get("contents", [])):
        for error in service_validator.iter_errors(service):
            yield _line(f"{schema_set} service {n} ({service.get('id')})", error)


def all_violations(page: dict[str, Any]) -> list[str]:
    """The violations against both schema sets."""
    return [line for schema_set in SCHEMA_SETS for line in violations(page, schema_set)]


def _line(where: str, error: ValidationError) -> str:
    path = "/".join(str(p) for p in error.absolute_path)
    return f"{where}: /{path}: {error.message[:200]}"
