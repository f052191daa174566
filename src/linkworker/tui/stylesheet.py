"""The app's stylesheet, each source parsed once per process and theme.

Textual parses every stylesheet the app has (its own .tcss files and every widget's
DEFAULT_CSS, about 300 sources here) again each time the CSS changes: when a screen with CSS
of its own is first shown and when a section is first opened (``Stylesheet.reparse`` starts a
new stylesheet with an empty cache each time). The sources themselves rarely change, so this
stylesheet keeps what each one parsed to, per set of theme variables, for the whole process:
opening a section, and every app a test starts, then tokenises nothing it has seen before.
Started by the `linkworker` command, it also reads what the last start parsed
(:mod:`linkworker.tui.styles_kept`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from textual.app import App, ReturnType
from textual.css.model import RuleSet
from textual.css.stylesheet import Stylesheet
from textual.css.types import CSSLocation

from linkworker.tui import styles_kept

#: Parsed sources are kept for this many sets of theme variables (themes) at once.
THEMES_KEPT = 4

ParseKey = tuple[str, CSSLocation, bool, int, str]


class ParsedOnceStylesheet(Stylesheet):
    """Textual's Stylesheet with one parse cache for the process, keyed by theme variables.

    A parsed source (a list of RuleSets) is only ever read by Textual once made, which is
    what lets Textual's own per-stylesheet cache hand the same lists out again; this cache
    does the same across stylesheets.
    """

    _parsed: ClassVar[dict[styles_kept.Theme, dict[ParseKey, list[RuleSet]]]] = {}
    #: The sources each theme looked up before the start's first frame (styles_kept.py).
    _at_start: ClassVar[dict[styles_kept.Theme, set[ParseKey]]] = {}
    _starting: ClassVar[bool] = True
    _later_read: ClassVar[set[styles_kept.Theme]] = set()  # themes whose rest was read
    _theme: styles_kept.Theme | None = None  # this stylesheet's variables, sorted

    def set_variables(self, variables: dict[str, str]) -> None:
        super().set_variables(variables)
        self._theme = None

    def _parsed_for_theme(self) -> dict[ParseKey, list[RuleSet]]:
        if self._theme is None:
            self._theme = tuple(sorted(self._variables.items()))
        parsed = self._parsed.get(self._theme)
        if parsed is None:
            while len(self._parsed) >= THEMES_KEPT:
                del self._parsed[next(iter(self._parsed))]
            # What the last start parsed, when the command keeps it (styles_kept.py).
            parsed = self._parsed[self._theme] = styles_kept.read(self._theme)
        return parsed

    @classmethod
    def started(cls) -> None:
        """The start's first frame is shown: sources looked up from now on are kept apart
        from the start's (Today calls this)."""
        cls._starting = False

    @classmethod
    def save_kept(cls) -> None:
        """Write back what was parsed anew, when the command keeps it (styles_kept.py)."""
        styles_kept.save(cls._parsed, cls._at_start)

    def _parse_rules(
        self,
        css: str,
        read_from: CSSLocation,
        is_default_rules: bool = False,
        tie_breaker: int = 0,
        scope: str = "",
    ) -> list[RuleSet]:
        parsed = self._parsed_for_theme()
        theme = self._theme
        assert theme is not None  # set by _parsed_for_theme
        key = (css, read_from, is_default_rules, tie_breaker, scope)
        if self._starting:
            self._at_start.setdefault(theme, set()).add(key)
        rules = parsed.get(key)
        if rules is None and theme not in self._later_read:
            # Not among what the last start looked up: the rest kept, read once.
            self._later_read.add(theme)
            for kept, later in styles_kept.read(theme, styles_kept.LATER).items():
                parsed.setdefault(kept, later)
            rules = parsed.get(key)
        if rules is None:
            rules = super()._parse_rules(css, read_from, is_default_rules, tie_breaker, scope)
            parsed[key] = rules
        return rules

    def reparse(self) -> None:
        """Textual's ``reparse``, with the fresh stylesheet of this class (Textual's names
        its own class, whose parse cache starts empty)."""
        fresh = type(self)(variables=self._variables)
        for read_from, source in self.source.items():
            fresh.add_source(
                source.content,
                read_from=read_from,
                is_default_css=source.is_defaults,
                tie_breaker=source.tie_breaker,
                scope=source.scope,
            )
        try:
            fresh.parse()
        except Exception:
            # As Textual does: CSS found invalid is not parsed again before the app ends.
            self._invalid_css.update(fresh._invalid_css)
            raise
        self._rules = fresh.rules
        self._rules_map = None
        self.source = fresh.source
        self._require_parse = False


class ParsedOnceApp(App[ReturnType]):
    """An App whose stylesheet is a :class:`ParsedOnceStylesheet` (linkworker's app, and
    the bare hosts the dialogs are tested in)."""

    def __init__(self, *args: Any, keep_styles_in: Path | None = None, **kwargs: Any) -> None:
        if keep_styles_in is not None:  # what the stylesheets parse to, between starts
            styles_kept.keep_in(keep_styles_in)
        super().__init__(*args, **kwargs)
        # Before the app runs: its sources are added to the stylesheet when it starts.
        self.stylesheet = ParsedOnceStylesheet(variables=self.get_css_variables())
