"""The vocabulary of Open Referral UK as linkworker maps it: statuses, weekdays, schedule
fields, the columns of the activities table, and stable derived ids."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any, Literal

STATUSES: tuple[str, ...] = ("active", "inactive", "defunct", "temporarily closed")

Status = Literal["active", "inactive", "defunct", "temporarily closed"]

Scalar = bool | int | float | str

WEEKDAYS: tuple[str, ...] = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")

_DAY_NAMES = {
    "MO": "Mon",
    "TU": "Tue",
    "WE": "Wed",
    "TH": "Thu",
    "FR": "Fri",
    "SA": "Sat",
    "SU": "Sun",
}

SCHEDULE_KEYS: tuple[str, ...] = (
    "freq",
    "interval",
    "byday",
    "bymonthday",
    "count",
    "until",
    "dtstart",
    "opens_at",
    "closes_at",
    "valid_from",
    "valid_to",
    "description",
)

TAXONOMY = "linkworker-activities"

# The columns of the activities table that this module owns, in table order.
COLUMNS: tuple[str, ...] = (
    "source_id",
    "name",
    "organisation",
    "description",
    "status",
    "categories",
    "category_codes",
    "venue",
    "address",
    "town",
    "postcode",
    "latitude",
    "longitude",
    "schedules",
    "days",
    "schedule_text",
    "cost",
    "is_free",
    "eligibility",
    "min_age",
    "max_age",
    "languages",
    "accessibility",
    "phone",
    "email",
    "url",
    "contact_name",
    "assured_date",
    "alert",
    "extra",
    "locations",
    "phones",
    "contacts",
    "cost_options",
    "organisation_id",
)

# The columns stored as JSON text: the lists a feed gives whole, the schedules and extras.
_JSON_COLUMNS = frozenset(("categories", "category_codes", "schedules", "days", "languages"))
_JSON_COLUMNS |= {"extra", "locations", "phones", "contacts", "cost_options"}

# The keys kept of each entry of the lists a feed gives whole (the feed's id among them).
LOCATION_KEYS: tuple[str, ...] = (
    "id",
    "name",
    "address_1",
    "address_2",
    "city",
    "state_province",
    "postal_code",
    "country",
    "latitude",
    "longitude",
    "accessibility",
)
PHONE_KEYS: tuple[str, ...] = ("id", "number", "extension", "type", "description")
CONTACT_KEYS: tuple[str, ...] = ("id", "name", "title", "department", "email", "phone")
COST_OPTION_KEYS: tuple[str, ...] = (
    "id",
    "option",
    "amount",
    "currency",
    "amount_description",
    "valid_from",
    "valid_to",
)

# Private columns a row may carry; exported only when asked (include_notes).
_NOTE_COLUMNS: tuple[str, ...] = ("notes", "favourite", "verified_on")

# Top-level service fields mapped to a column (so not copied into ``extra``), plus the
# nested structures export writes and the tabular link columns we rebuild.
_MAPPED_KEYS = frozenset(
    {
        "id",
        "name",
        "description",
        "status",
        "url",
        "email",
        "eligibility_description",
        "minimum_age",
        "maximum_age",
        "fees_description",
        "assured_date",
        "alert",
        "organization",
        "organization_id",
        "program_id",
        "phones",
        "schedules",
        "service_at_locations",
        "cost_options",
        "languages",
        "contacts",
        "attributes",
        "x_linkworker",
    }
)

# A fixed namespace so derived ids are the same on every machine and every run.
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://linkworker.example/oruk")


def _uid(*parts: object) -> str:
    return str(uuid.uuid5(_NAMESPACE, "\x1f".join(str(p) for p in parts)))


# --- Telling a service from the other HSDS objects ---------------------------------------

# Keys only a service has (so an object with one of them is a service, whatever else).
_SERVICE_KEYS = frozenset(
    {
        "status",
        "service_at_locations",
        "organization",
        "organization_id",
        "program_id",
        "eligibility_description",
        "fees_description",
        "minimum_age",
        "maximum_age",
        "assured_date",
        "cost_options",
        "alert",
        "program",
        "interpretation_services",
        "application_process",
        "wait_time",
        "accreditations",
        "licenses",
        "required_documents",
        "service_areas",
        "attributes",
    }
)

_ORGANIZATION_KEYS = frozenset(
    {
        "services",
        "website",
        "tax_status",
        "tax_id",
        "year_incorporated",
        "legal_status",
        "logo",
        "parent_organization_id",
        "organization_identifiers",
        "programs",
    }
)

_LOCATION_KEYS = frozenset(
    {"location_type", "addresses", "transportation", "accessibility", "external_identifier"}
)

_TERM_KEYS = frozenset({"taxonomy_detail", "term_uri", "taxonomy_id", "parent_id", "code"})


def _other_kind(obj: Mapping[str, Any]) -> str | None:
    """The HSDS object type when ``obj`` is clearly not a service, else None."""
    keys = set(obj)
    if keys & _SERVICE_KEYS:
        return None
    if isinstance(obj.get("service"), dict):
        return "service_at_location"
    if keys & _ORGANIZATION_KEYS:
        return "organization"
    if keys & _LOCATION_KEYS:
        return "location"
    if keys & _TERM_KEYS:
        return "taxonomy term"
    if "version" in keys:
        return "taxonomy"
    return None
