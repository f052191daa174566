"""The activity record (one row of the ``activities`` table, kept canonical) and what
reading a feed gives back: the records, and each problem met on the way."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from linkworker.display import literal
from linkworker.formats.oruk.values import (
    _SCHEDULE_VALUE_KIND,
    _clean_phone,
    _days_of,
    _iso_date,
    _schedule_text,
    _schedule_value,
)
from linkworker.formats.oruk.vocabulary import (
    _JSON_COLUMNS,
    _MAPPED_KEYS,
    COLUMNS,
    SCHEDULE_KEYS,
    WEEKDAYS,
    Scalar,
    Status,
    _uid,
)
from linkworker.validation import normalise_postcode

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _visible(value: object) -> object:
    """Text (also inside lists and objects) with control characters made visible."""
    if isinstance(value, str):
        if not _CONTROL.search(value):
            return value
        return literal(value.replace("\r\n", "\n"), single_line=False)
    if isinstance(value, list):
        return [_visible(item) for item in value]
    if isinstance(value, dict):
        return {key: _visible(item) for key, item in value.items()}
    return value


class FeedError(Exception):
    """The input is not an Open Referral feed at all; the message is one line naming the file."""


@dataclass
class RecordProblem:
    """One problem with one record: skipped, or imported with a field dropped (a warning)."""

    index: int  # 1-based position in the feed (across all files of a folder)
    source_id: str | None
    name: str | None
    field: str
    reason: str
    skipped: bool

    def __str__(self) -> str:
        who = self.name or self.source_id or "(no name)"
        what = "skipped" if self.skipped else "warning"
        return f"record {self.index} ({who}): {what}: {self.field}: {self.reason}"


@dataclass
class ParsedFeed:
    """The activities read from a feed, and the problems met on the way."""

    activities: list[ActivityRecord]
    problems: list[RecordProblem]
    source: str
    #: Ids of records that give no status (a summary page): a re-import keeps the status held.
    without_status: set[str] = field(default_factory=set)

    @property
    def skipped(self) -> list[RecordProblem]:
        """Problems that kept a record out of the import."""
        return [p for p in self.problems if p.skipped]

    @property
    def warnings(self) -> list[RecordProblem]:
        """Problems that dropped a field of an imported record."""
        return [p for p in self.problems if not p.skipped]


_OPTIONAL_TEXT = (
    "organisation",
    "description",
    "venue",
    "address",
    "town",
    "cost",
    "eligibility",
    "accessibility",
    "phone",
    "email",
    "url",
    "contact_name",
    "alert",
    "organisation_id",
)


class ActivityRecord(BaseModel):
    """One activity, in the shape of the ``activities`` table.

    The model keeps itself canonical, which is what makes export -> import exact:
    text is stripped (empty -> None), ``days`` and ``schedule_text`` are always derived
    from ``schedules``, ``category_codes`` runs parallel to ``categories``, latitude and
    longitude come as a pair, and a free (or paid) activity with no cost text gets
    "Free" (or "Charge applies").
    """

    model_config = ConfigDict(extra="forbid")

    source_id: str
    name: str
    organisation: str | None = None
    description: str | None = None
    status: Status = "active"
    categories: list[str] = Field(default_factory=list)
    category_codes: list[str] = Field(default_factory=list)
    venue: str | None = None
    address: str | None = None
    town: str | None = None
    postcode: str | None = None
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    schedules: list[dict[str, str | None]] = Field(default_factory=list)
    days: list[str] = Field(default_factory=list)
    schedule_text: str = ""
    cost: str | None = None
    is_free: bool | None = None
    eligibility: str | None = None
    min_age: int | None = Field(default=None, ge=0)
    max_age: int | None = Field(default=None, ge=0)
    languages: list[str] = Field(default_factory=list)
    accessibility: str | None = None
    phone: str | None = None
    email: str | None = None
    url: str | None = None
    contact_name: str | None = None
    assured_date: str | None = None
    alert: str | None = None
    extra: dict[str, Scalar] = Field(default_factory=dict)
    # Everything the feed gives beyond the first place, phone and contact, with its ids.
    locations: list[dict[str, Scalar | None]] = Field(default_factory=list)
    phones: list[dict[str, Scalar | None]] = Field(default_factory=list)
    contacts: list[dict[str, Scalar | None]] = Field(default_factory=list)
    cost_options: list[dict[str, Scalar | None]] = Field(default_factory=list)
    organisation_id: str | None = None

    @field_validator("*", mode="after")
    @classmethod
    def _controls_visible(cls, value: object) -> object:
        # Every reader (JSON, data package, stored rows) builds this record, so no escape
        # code from a feed is ever stored raw to reach a terminal: each shows as its symbol.
        return _visible(value)

    @field_validator("source_id", "name", mode="before")
    @classmethod
    def _required_text(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip()
            if not value:
                raise ValueError("must not be empty")
        return value

    @field_validator(*_OPTIONAL_TEXT, mode="before")
    @classmethod
    def _optional_text(cls, value: object) -> object:
        if isinstance(value, str):
            return value.strip() or None
        return value

    @field_validator("phone", mode="after")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        return _clean_phone(value) if value else None

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, value: object) -> object:
        if value is None or value == "":
            return "active"
        if isinstance(value, str):
            return value.strip().lower().replace("_", " ")
        return value

    @field_validator("postcode", mode="before")
    @classmethod
    def _postcode(cls, value: object) -> object:
        if isinstance(value, str):
            if not value.strip():
                return None
            return normalise_postcode(value)  # ValidationError is a ValueError
        return value

    @field_validator("assured_date", mode="before")
    @classmethod
    def _assured_date(cls, value: object) -> object:
        if isinstance(value, datetime):
            return value.date().isoformat()
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, str):
            if not value.strip():
                return None
            iso = _iso_date(value)
            if iso is None:
                raise ValueError(f"'{value.strip()}' is not an ISO date (YYYY-MM-DD)")
            return iso
        return value

    @field_validator("schedule_text", mode="before")
    @classmethod
    def _schedule_text_none(cls, value: object) -> object:
        return "" if value is None else value

    @field_validator("languages", "days", mode="after")
    @classmethod
    def _text_list(cls, value: list[str]) -> list[str]:
        return [v.strip() for v in value if v.strip()]

    @field_validator("schedules", mode="after")
    @classmethod
    def _schedules(cls, value: list[dict[str, str | None]]) -> list[dict[str, str | None]]:
        out: list[dict[str, str | None]] = []
        for raw in value:
            s = _canonical_schedule(raw)
            if any(v is not None for v in s.values()) and s not in out:
                out.append(s)
        return out

    @field_validator("locations", "phones", "contacts", "cost_options", mode="after")
    @classmethod
    def _entries(cls, value: list[dict[str, Scalar | None]]) -> list[dict[str, Scalar | None]]:
        out: list[dict[str, Scalar | None]] = []
        for raw in value:
            entry: dict[str, Scalar | None] = {}
            for key, item in raw.items():
                if isinstance(item, str):
                    item = item.strip() or None
                elif isinstance(item, float) and not math.isfinite(item):
                    item = None
                if item is not None:
                    entry[key] = item
            if any(k != "id" for k in entry) and entry not in out:
                out.append(entry)
        return out

    @field_validator("extra", mode="after")
    @classmethod
    def _extra(cls, value: dict[str, Scalar]) -> dict[str, Scalar]:
        out: dict[str, Scalar] = {}
        for key, item in value.items():
            if key in _MAPPED_KEYS:
                continue  # export must never let extra overwrite a mapped field
            if isinstance(item, str):
                item = item.strip()
                if not item:
                    continue
            elif isinstance(item, float) and not math.isfinite(item):
                continue
            out[key] = item
        return out

    @model_validator(mode="after")
    def _canonical(self) -> ActivityRecord:
        # Categories: de-duplicated by label, order kept; a missing code is the label.
        labels: list[str] = []
        codes: list[str] = []
        for i, raw in enumerate(self.categories):
            label = raw.strip()
            if not label or label in labels:
                continue
            code = self.category_codes[i].strip() if i < len(self.category_codes) else ""
            labels.append(label)
            codes.append(code or label)
        self.categories, self.category_codes = labels, codes
        self.languages = list(dict.fromkeys(self.languages))
        # A coordinate on its own places nothing.
        if self.latitude is None or self.longitude is None:
            self.latitude = self.longitude = None
        # Hand-made records may carry days or a schedule text with no schedule: keep them
        # as a schedule so they survive export.
        if not self.schedules and (self.days or self.schedule_text):
            byday = ",".join(d for d in WEEKDAYS if d in {c.upper() for c in self.days})
            synth = {k: None for k in SCHEDULE_KEYS} | {
                "freq": "WEEKLY" if byday else None,
                "byday": byday or None,
                "description": self.schedule_text.strip() or None,
            }
            self.schedules = [synth] if any(synth.values()) else []
        self.days = _days_of(self.schedules)
        self.schedule_text = _schedule_text(self.schedules)
        if self.cost is None and self.is_free is not None:
            self.cost = "Free" if self.is_free else "Charge applies"
        self._kept_from_flat()
        return self

    def _kept_from_flat(self) -> None:
        """A record with a place, phone, contact or "free" but no kept list of them (made by
        hand, or an older row) gets the one entry its fields describe, with the id export
        derives for it, so export -> import gives back the same record."""
        sid = self.source_id
        place: dict[str, Scalar | None] = {
            "name": self.venue,
            "address_1": self.address,
            "city": self.town,
            "postal_code": self.postcode,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "accessibility": self.accessibility,
        }
        if not self.locations and any(v is not None for v in place.values()):
            entry = {k: v for k, v in place.items() if v is not None}
            self.locations = [{"id": _uid(sid, "location", 0), **entry}]
        if not self.phones and self.phone and self.phone not in self._contact_phones():
            self.phones = [{"id": _uid(sid, "phone", 0), "number": self.phone}]
        if not self.contacts and self.contact_name:
            self.contacts = [{"id": _uid(sid, "contact", 0), "name": self.contact_name}]
        if not self.cost_options and self.is_free:
            free: dict[str, Scalar | None] = {"id": _uid(sid, "cost_option", 0), "option": "Free"}
            self.cost_options = [free | {"amount": 0.0, "currency": "GBP"}]
        self._ids_and_country()

    def _ids_and_country(self) -> None:
        """Entries the feed gave no id get the id export derives for them, and an address
        without a country is a UK one (Open Referral UK), so export -> import is exact."""
        sid = self.source_id
        lists = {
            "location": self.locations,
            "phone": self.phones,
            "contact": self.contacts,
            "cost_option": self.cost_options,
        }
        for kind, entries in lists.items():
            for n, entry in enumerate(entries):
                if not entry.get("id"):
                    entry["id"] = _uid(sid, kind, n)
        address_keys = ("address_1", "address_2", "city", "state_province", "postal_code")
        for entry in self.locations:
            if not entry.get("country") and any(entry.get(k) for k in address_keys):
                entry["country"] = "GB"
        if self.organisation and not self.organisation_id:
            self.organisation_id = _uid("organization", self.organisation)

    def _contact_phones(self) -> set[object]:
        return {c.get("phone") for c in self.contacts}

    def to_row(self) -> dict[str, object]:
        """The ``activities`` columns: lists and dicts as JSON text, is_free as 0/1/None."""
        row: dict[str, object] = {}
        for column in COLUMNS:
            value = getattr(self, column)
            if column in _JSON_COLUMNS:
                row[column] = json.dumps(value, ensure_ascii=False, sort_keys=True)
            elif column == "is_free":
                row[column] = None if value is None else int(value)
            else:
                row[column] = value
        return row

    @classmethod
    def from_row(cls, row: Mapping[str, object]) -> ActivityRecord:
        """Read a row of the activities table (JSON text columns decoded; others ignored)."""
        data: dict[str, object] = {}
        for column in COLUMNS:
            if column not in row:
                continue
            value = row[column]
            if column in _JSON_COLUMNS and isinstance(value, str):
                try:
                    value = json.loads(value) if value.strip() else None
                except ValueError as exc:
                    raise ValueError(f"column {column} is not valid JSON: {exc}") from exc
                except RecursionError:
                    raise ValueError(f"column {column} holds JSON nested too deeply") from None
            if column in _JSON_COLUMNS and value is None:
                continue
            if column == "is_free" and value is not None:
                value = bool(value)
            data[column] = value
        return cls.model_validate(data)


def _canonical_schedule(raw: Mapping[str, object]) -> dict[str, str | None]:
    """A schedule with exactly SCHEDULE_KEYS, normalised; ValueError for bad values."""
    out: dict[str, str | None] = {}
    for key in SCHEDULE_KEYS:
        value = raw.get(key)
        if value is not None and not isinstance(value, str):
            raise ValueError(f"schedule {key} must be text")
        text = value.strip() if value else ""
        out[key], bad = _schedule_value(key, text) if text else (None, [])
        if bad and key == "byday":
            raise ValueError(f"schedule byday has unknown days: {', '.join(bad)}")
        if bad:
            raise ValueError(f"schedule {key} '{text}' is not {_SCHEDULE_VALUE_KIND[key]}")
    return out
