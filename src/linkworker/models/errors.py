"""A pydantic ValidationError in the words a link worker reads: 'field: reason'."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError as PydanticError


def error_lines(exc: Exception) -> list[str]:
    """Turn a pydantic ValidationError into 'field: reason' lines a person can act on."""
    if not isinstance(exc, PydanticError):
        return [str(exc)]
    lines = []
    for err in exc.errors():
        field = ".".join(str(p) for p in err.get("loc", ())) or "value"
        message = _friendly(dict(err))
        lines.append(f"{field.replace('_', ' ')}: {message}")
    return lines


def field_errors(exc: Exception) -> dict[str, str]:
    """Map field name -> first message, for showing errors beside form fields."""
    if not isinstance(exc, PydanticError):
        return {"": str(exc)}
    result: dict[str, str] = {}
    for err in exc.errors():
        loc = err.get("loc", ())
        field = str(loc[0]) if loc else ""
        result.setdefault(field, _friendly(dict(err)))
    return result


def _friendly(err: dict[str, Any]) -> str:
    """Pydantic's message for one error, in the words a link worker reads on a form."""
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    if kind == "missing" or (kind == "string_too_short" and ctx.get("min_length") == 1):
        return "is required"
    if kind == "string_too_long":
        return f"is too long (at most {ctx.get('max_length')} characters)"
    if kind in ("int_parsing", "int_from_float", "int_type"):
        return "must be a whole number"
    if kind == "greater_than_equal":
        return f"must be {ctx.get('ge')} or more"
    if kind == "less_than_equal":
        return f"must be {ctx.get('le')} or less"
    if kind in ("bool_parsing", "bool_type"):
        return "must be yes or no"
    if kind == "enum":
        return f"'{err.get('input')}' is not one of: {ctx.get('expected')}"
    message = str(err.get("msg", "is not valid"))
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    return message
