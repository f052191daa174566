"""Turning stored values into words for screens and exports (no Textual, no Rich markup).

Text typed by people or read from feeds is shown literally: :func:`literal` replaces
control characters (terminal escape sequences included) with visible stand-ins, and the
screens wrap the result in ``rich.text.Text`` so that ``[bold]`` is never markup.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from linkworker.norms import CONTACT_NORM
from linkworker.validation import format_date
from linkworker.vocabulary import FLAG_SYMBOLS, Labelled

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def literal(value: object, *, single_line: bool = True) -> str:
    """Text safe to put on a terminal: controls become Unicode control pictures (ESC -> ␛)."""
    if value is None:
        return ""
    text = str(value)
    if single_line:
        text = text.replace("\r\n", " ").replace("\n", " ").replace("\t", " ")
    return _CONTROL.sub(_picture, text)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def escape_markdown(text: str) -> str:
    """Text that Markdown shows as typed: its special characters backslash-escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return f"\\x{code:02x}"


def label(enum: type[Labelled], value: str | None) -> str:
    """The label of a stored enum code ('' for none; the code itself if unknown)."""
    if not value:
        return ""
    try:
        return enum(value).label
    except ValueError:
        return literal(value)


SHORT_FLAGS = {"safeguarding": "⚠ Safeguard", "lone_working": "◆ Lone work", "other": "● Flag"}


def flag_words(flags: list[str], *, short: bool = False) -> str:
    """Flags as symbol + word, so that colour is never the only cue."""
    words = SHORT_FLAGS if short else FLAG_SYMBOLS
    return " ".join(words.get(f, f"● {f}") for f in flags)


def short_date(value: str | date | None) -> str:
    """'23 Nov 2026' for a stored ISO date or date-time ('' for none)."""
    if not value:
        return ""
    if isinstance(value, str):
        value = value[:10]
    return format_date(value)


def full_name(row: Mapping[str, Any]) -> str:
    """'Joan Smith' from a row with given_name and family_name."""
    return f"{row['given_name']} {row['family_name']}"


def initials(given: str | None, family: str | None) -> str:
    """'J.S.' for Joan Smith: enough for a calendar without naming anyone."""
    letters = [
        next((ch.upper() for ch in (part or "") if ch.isalnum()), "") for part in (given, family)
    ]
    return "".join(f"{ch}." for ch in letters if ch) or "?"


def name_with_birth(name: str, born: str | date | None) -> str:
    """'Mary Smith (born 23 Nov 1950)': how two people with one name are told apart."""
    return f"{name} (born {short_date(born)})" if born else name


def table_date(value: str | date | None) -> str:
    """A compact date for table cells: '23 Nov 26'."""
    if not value:
        return ""
    day = date.fromisoformat(value[:10]) if isinstance(value, str) else value
    return day.strftime("%d %b %y").lstrip("0")


def days_ago(days: int | None) -> str:
    """'today', '1 day', '12 days' ('never' for None)."""
    if days is None:
        return "never"
    if days == 0:
        return "today"
    if days < 0:
        return f"in {-days}d"
    return f"{days}d ago" if days < 2 else f"{days} days"


def contacts_against_norm(count: int) -> str:
    """Contacts so far against the contact norm, e.g. '4/6-12', or '13 ▲12' above it."""
    if count > CONTACT_NORM.most:
        return f"{count} ▲{CONTACT_NORM.most}"
    return f"{count}/{CONTACT_NORM.words()}"
