"""Lenient reading of one field of a feed record: a value of the wrong kind is dropped
with a warning on the record's context, never an exception."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from pydantic import ValidationError as PydanticValidationError

from linkworker.display import literal
from linkworker.formats.oruk.values import (
    _SCHEDULE_VALUE_KIND,
    _schedule_value,
)
from linkworker.formats.oruk.vocabulary import (
    SCHEDULE_KEYS,
    STATUSES,
    Status,
)

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass
class _Ctx:
    """Where we are in the feed, and the warnings gathered for the current record."""

    index: int
    source_id: str | None = None
    name: str | None = None
    warnings: list[tuple[str, str]] = field(default_factory=list)

    def warn(self, fld: str, reason: str) -> None:
        self.warnings.append((fld, reason))


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _shown(value: object) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _text(value: object, fld: str, ctx: _Ctx) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        text = value.replace("\r\n", "\n").strip()
        if _CONTROL.search(text):
            # An escape code in a feed must never reach a terminal: keep the record, with
            # each control character replaced by its visible symbol (ESC -> ␛).
            ctx.warn(fld, "control characters shown as symbols")
            text = literal(text, single_line=False)
        return text or None
    ctx.warn(fld, f"expected text, got {_kind(value)}; dropped")
    return None


def _number(value: object, fld: str, ctx: _Ctx) -> float | None:
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str):
        if not value.strip():
            return None
        try:
            number = float(value.strip())
        except ValueError:
            ctx.warn(fld, f"expected a number, got {_shown(value)}; dropped")
            return None
    else:
        ctx.warn(fld, f"expected a number, got {_kind(value)}; dropped")
        return None
    if not math.isfinite(number):
        ctx.warn(fld, f"expected a number, got {_shown(value)}; dropped")
        return None
    return number


def _age(value: object, fld: str, ctx: _Ctx) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number: float | None = None
    if (isinstance(value, int | float) and not isinstance(value, bool)) or (
        isinstance(value, str) and re.fullmatch(r"\s*\d+(?:\.0+)?\s*", value)
    ):
        number = float(value)
    if number is None or not number.is_integer():
        ctx.warn(fld, f"expected a whole number of years, got {_shown(value)}; dropped")
        return None
    if not 0 <= number <= 150:
        ctx.warn(fld, f"{number:.0f} is not a plausible age; dropped")
        return None
    return int(number)


def _list(value: object, fld: str, ctx: _Ctx) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list):
        ctx.warn(fld, f"expected a list, got {_kind(value)}; dropped")
        return []
    objects = [item for item in value if isinstance(item, dict)]
    if len(objects) != len(value):
        ctx.warn(fld, f"ignored {len(value) - len(objects)} entries that are not objects")
    return objects


def _obj(value: object, fld: str, ctx: _Ctx) -> dict[str, Any] | None:
    if value is None:
        return None
    if isinstance(value, dict):
        return value
    ctx.warn(fld, f"expected an object, got {_kind(value)}; dropped")
    return None


def _status(value: object, ctx: _Ctx) -> Status:
    if value is None:
        return "active"
    if not isinstance(value, str):
        ctx.warn("status", f"expected text, got {_kind(value)}; imported as active")
        return "active"
    norm = value.strip().lower().replace("_", " ")
    if not norm:
        return "active"
    if norm in STATUSES:
        return cast(Status, norm)
    ctx.warn("status", f"unknown status {_shown(value.strip())}; imported as active")
    return "active"


def _schedule(raw: Mapping[str, Any], fld: str, ctx: _Ctx) -> dict[str, str | None]:
    """Lenient reading of one schedule: bad values are dropped with a warning."""
    out: dict[str, str | None] = {}
    for key in SCHEDULE_KEYS:
        value = raw.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)  # interval, count and bymonthday are numbers in JSON
        elif isinstance(value, list) and all(isinstance(v, int | str) for v in value):
            value = ",".join(str(v) for v in value)  # byday or bymonthday as a list
        text = _text(value, f"{fld}.{key}", ctx)
        out[key], bad = _schedule_value(key, text) if text else (None, [])
        if bad and key == "byday":
            ctx.warn(f"{fld}.byday", f"unknown days {', '.join(map(repr, bad))}; ignored")
        elif bad:
            kind = _SCHEDULE_VALUE_KIND[key]
            ctx.warn(f"{fld}.{key}", f"{_shown(text)} is not {kind}; dropped")
    return out


def _first_text(items: Iterable[Mapping[str, Any]], key: str, fld: str, ctx: _Ctx) -> str | None:
    for item in items:
        text = _text(item.get(key), fld, ctx)
        if text:
            return text
    return None


def _first_error(exc: PydanticValidationError) -> tuple[str, str]:
    err = exc.errors()[0]
    fld = ".".join(str(p) for p in err.get("loc", ())) or "record"
    return fld, str(err.get("msg", "is not valid")).removeprefix("Value error, ")
