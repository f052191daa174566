"""The settings Today's first paint reads, with their defaults, and no pydantic behind them.

:class:`linkworker.settings.Settings` validates every setting with pydantic and takes these
defaults from here, so each is written once. An app started without settings paints Today
with :class:`StartSettings` (the defaults, or settings.toml's values read raw by
:func:`read_start_settings`) and validates the full settings right after the first paint.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from linkworker.settings import Settings

DEFAULT_THEME = "textual-dark"


@dataclass(frozen=True)
class StartSettings:
    """The defaults of the settings the first paint of Today reads (the theme, colour and
    animation choices, the agenda's bucket rules, the lone-visit margin)."""

    theme: str = DEFAULT_THEME
    monochrome: bool = False
    animations: bool = True
    keymap: dict[str, str] = field(default_factory=dict)
    first_contact_working_days: int = 5
    gone_quiet_days: int = 21
    connection_check_days: int = 14
    outcome_interval_weeks: int = 0
    bank_holidays: str = "england-and-wales"
    visit_margin_minutes: int = 30


#: What the agenda, Today's banner and the app's look read: the validated settings, or the
#: defaults while they are not validated yet.
SettingsNow: TypeAlias = "StartSettings | Settings"


def _plain(text: object) -> bool:
    return isinstance(text, str) and text.isprintable() and len(text) <= 120


def _fits(value: object, default: object) -> bool:
    """Whether ``value`` has the type of ``default`` (a whole number for a number, True or
    False for a switch, a table of words for the key map)."""
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, int):
        return type(value) is int and value >= 0
    if isinstance(default, str):
        return _plain(value)
    return isinstance(value, dict) and all(_plain(k) and _plain(v) for k, v in value.items())


def read_start_settings(path: Path | None) -> StartSettings:
    """The first paint's settings as settings.toml gives them, read without pydantic.

    A value of the wrong type (or a file that cannot be read) gives the default here; the
    full settings are validated right after the paint, which names what was wrong, and Today
    is read again if they differ from what it was painted with.
    """
    if path is None:
        return StartSettings()
    import tomllib  # only when there is a file to read (~1.5 ms)

    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return StartSettings()
    defaults = StartSettings()
    given = {
        f.name: raw[f.name]
        for f in fields(StartSettings)
        if f.name in raw and _fits(raw[f.name], getattr(defaults, f.name))
    }
    return StartSettings(**given)


def differs(start: StartSettings, settings: SettingsNow) -> bool:
    """Whether the validated settings differ from those a first paint was made with."""
    return any(getattr(start, f.name) != getattr(settings, f.name) for f in fields(start))
