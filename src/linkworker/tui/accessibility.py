"""A screen anyone can use: a high-contrast theme, monochrome, animations off, and the
terminal cursor kept on the focused row so that screen readers and braille displays follow.

Textual hides the terminal cursor and only moves it for a text input; a screen reader that
tracks the cursor would sit at the top left while the worker moves down the caseload. The app
calls :func:`place_cursor` after focus or the highlighted row changes.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, TypeGuard

from textual.filter import Monochrome, NoColor
from textual.geometry import Offset, Region
from textual.theme import Theme
from textual.widget import Widget
from textual.widgets import DataTable, Input, OptionList

if TYPE_CHECKING:
    from textual.app import App
    from textual.widgets import ListView, TextArea

    from linkworker.settings_start import SettingsNow

HIGH_CONTRAST = "linkworker-high-contrast"
# Names Textual has since renamed: a settings file that says textual-ansi keeps working.
THEME_ALIASES = {"textual-ansi": "ansi-dark"}


def theme_name(setting: str) -> str:
    """The Textual theme a ``theme`` setting means."""
    return THEME_ALIASES.get(setting, setting)


# White on black with yellow for what has focus: the pairs used are at least 15:1, above
# WCAG's 7:1 for AAA text. Borders and the cursor do not rely on a hue to be seen.
HIGH_CONTRAST_THEME = Theme(
    name=HIGH_CONTRAST,
    primary="#FFFF00",
    secondary="#00FFFF",
    accent="#FFFF00",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#1A1A1A",
    boost="#000000",
    warning="#FFFF00",
    error="#FF6E6E",
    success="#5CFF5C",
    dark=True,
    text_alpha=1.0,
    variables={
        "block-cursor-background": "#FFFF00",
        "block-cursor-foreground": "#000000",
        "block-cursor-text-style": "bold",
        "block-cursor-blurred-background": "#FFFFFF",
        "block-cursor-blurred-foreground": "#000000",
        "block-hover-background": "#333333",
        "border": "#FFFF00",
        "border-blurred": "#FFFFFF",
        "footer-key-foreground": "#FFFF00",
        "footer-description-foreground": "#FFFFFF",
        "input-cursor-background": "#FFFF00",
        "input-cursor-foreground": "#000000",
        "input-selection-background": "#FFFF00 40%",
        "scrollbar": "#FFFFFF",
        "scrollbar-background": "#000000",
        "link-color": "#00FFFF",
    },
)


def apply_settings(app: App[Any], settings: SettingsNow) -> None:
    """Register the high-contrast theme and apply monochrome and animations from settings.

    Called once from the app's ``__init__``: Textual reads NO_COLOR there itself, and the
    monochrome setting adds the same filter Textual uses for NO_COLOR.
    """
    app.register_theme(HIGH_CONTRAST_THEME)
    if settings.monochrome and not app.no_color:
        app.no_color = True  # the :nocolor styles (bold, underlined cursor rows) apply too
        app._filters.append(Monochrome())
    if not settings.animations:
        app.animation_level = "none"


def match_colour_filter(app: App[Any]) -> None:
    """Without colour, strip colours on an ANSI theme and grey them on any other.

    Textual 8.2.8 picks its NO_COLOR filter (kept in ``_filters``) once, for the theme the
    app starts with; greying an ANSI theme's "default" colours turns every letter black on
    black. Called whenever the theme changes.
    """
    if not app.no_color:
        return
    wanted = NoColor() if app.native_ansi_color else Monochrome()
    app._filters[:] = [wanted if isinstance(f, (NoColor, Monochrome)) else f for f in app._filters]


def row_offset(widget: Widget) -> Offset | None:
    """Where the focused row of a table or list is on screen (None: not a row widget).

    The cursor goes to the row's first column, inside the widget's border and padding,
    as the worker sees it after scrolling.
    """
    top_left = widget.content_region.offset
    if isinstance(widget, DataTable):
        if widget.row_count == 0:
            return top_left
        region = widget._get_row_region(widget.cursor_coordinate.row)
        y = region.y
    elif isinstance(widget, OptionList):
        highlighted = widget.highlighted
        if highlighted is None:
            return top_left
        y = widget._line_cache.index_to_line.get(highlighted, 0)
    elif _is_list_view(widget):
        child = widget.highlighted_child
        if child is None:
            return top_left
        return child.content_region.offset
    else:
        return None
    visible = y - round(widget.scroll_offset.y)
    visible = max(0, min(visible, widget.content_region.height - 1))
    return Offset(top_left.x, top_left.y + visible)


def _is_list_view(widget: Widget) -> TypeGuard[ListView]:
    """A ListView, looked for only once the module is loaded (Today has none)."""
    list_view = sys.modules.get("textual.widgets._list_view")
    return list_view is not None and isinstance(widget, list_view.ListView)


def _is_text_box(widget: Widget) -> TypeGuard[Input | TextArea]:
    """A one-line or a many-line text box. TextArea is looked for only once it is loaded
    (~7 ms, which Today's first paint does not need): none can exist before."""
    text_area = sys.modules.get("textual.widgets._text_area")
    return isinstance(widget, Input) or (
        text_area is not None and isinstance(widget, text_area.TextArea)
    )


def place_cursor(app: App[Any]) -> None:
    """Move the terminal cursor to the focused row, or to a text box's own cursor.

    A text box places the cursor itself as it gets the focus, but on a screen just opened
    that is before the screen is laid out (the top row): called after the refresh, this
    puts it where the box now is.
    """
    focused = app.focused
    if focused is None or not focused.is_mounted:
        return
    offset = row_offset(focused)
    if offset is None and _is_text_box(focused):
        offset = focused.cursor_screen_offset
    if offset is None or offset == app.cursor_position:
        return
    app.cursor_position = offset
    # Textual moves the cursor as it writes an update, and the row's repaint has gone out
    # already: repaint the one cell under the cursor so the move reaches the terminal now.
    focused.refresh(Region(offset.x - focused.region.x, offset.y - focused.region.y, 1, 1))
