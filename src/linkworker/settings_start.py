"""The settings Today's first paint reads, with their defaults, and no pydantic behind them.

:class:`linkworker.settings.Settings` validates every setting with pydantic and takes these
defaults from here, so each is written once. An app started without settings paints Today
with :class:`StartSettings` and validates the full settings right after the first paint.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
