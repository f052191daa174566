"""Floors: what Textual alone needs to paint what a linkworker screen paints.

Every ratio of `make bench` divides a linkworker figure by a floor timed in the same run:
the same widgets (header, tables, lists, inputs, text, footer) with the same rows, filled
from memory by a bare Textual app, so the ratio is linkworker's own work (queries, imports,
building rows) over what the terminal library itself needs. :func:`snapshot` copies what a
real screen shows; :class:`MirrorScreen` shows the copy; :class:`Frames` notes the time of
every frame an app displays, so both sides are timed the same way: from the action to the
first frame that shows the screen with its rows.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Footer, Header, Input, Label, OptionList, Select, Static

# Widgets whose insides are theirs (a Select's overlay is an OptionList, a Footer's keys...).
_WHOLE = (Header, Footer, Select, DataTable, OptionList, Input)


@dataclass
class Part:
    """One widget of a screen, as shown: its kind and what it holds."""

    kind: str  # header, footer, static, table, list, input, select
    content: Any = None
    columns: list[tuple[str, int | None]] = field(default_factory=list)
    rows: list[Any] = field(default_factory=list)
    focused: bool = False  # it had the focus


def _inside_whole(widget: Widget) -> bool:
    return any(isinstance(a, _WHOLE) for a in widget.ancestors if isinstance(a, Widget))


def snapshot(screen: Screen[Any]) -> list[Part]:
    """The widgets of ``screen`` and what they show now, in the order they are laid out."""
    parts: list[Part] = []
    for widget in screen.walk_children(with_self=False):
        if not isinstance(widget, Widget) or _inside_whole(widget):
            continue
        if isinstance(widget, Header):
            parts.append(Part("header"))
        elif isinstance(widget, Footer):
            # The keys it shows: a footer is a row of widgets, one a key.
            shown = [
                (binding.key, binding.description)
                for _, binding, _, _ in screen.active_bindings.values()
                if binding.show
            ]
            parts.append(Part("footer", rows=shown))
        elif isinstance(widget, DataTable):
            columns = [
                (str(c.label), None if c.auto_width else c.width) for c in widget.ordered_columns
            ]
            rows = [tuple(widget.get_row_at(i)) for i in range(widget.row_count)]
            parts.append(Part("table", columns=columns, rows=rows, focused=widget.has_focus))
        elif isinstance(widget, OptionList):
            prompts = [widget.get_option_at_index(i).prompt for i in range(widget.option_count)]
            parts.append(Part("list", rows=prompts))
        elif isinstance(widget, Input):
            parts.append(Part("input", content=widget.placeholder))
        elif isinstance(widget, Select):
            parts.append(Part("select", rows=list(getattr(widget, "_options", []))))
        elif type(widget) in (Static, Label):
            parts.append(Part("static", content=widget.content))
    return parts


def _first_rows(screen: Screen[Any]) -> DataTable[Any] | OptionList | None:
    for widget in screen.walk_children(with_self=False):
        if isinstance(widget, Widget) and _inside_whole(widget):
            continue
        if isinstance(widget, (DataTable, OptionList)):
            return widget
    return None


def shown_rows(screen: Screen[Any]) -> int:
    """Rows in the screen's first table (or list): 0 until it is filled."""
    rows = _first_rows(screen)
    if isinstance(rows, DataTable):
        return rows.row_count
    return rows.option_count if rows is not None else 0


def shown_content(screen: Screen[Any]) -> list[Any]:
    """What the screen's first table (rows) or list (prompts) shows now."""
    rows = _first_rows(screen)
    if isinstance(rows, DataTable):
        return [tuple(rows.get_row_at(i)) for i in range(rows.row_count)]
    if rows is None:
        return []
    return [rows.get_option_at_index(i).prompt for i in range(rows.option_count)]


class MirrorScreen(Screen[None]):
    """A bare screen with the widgets of ``parts``, filled from memory when mounted.

    Typing into its input refills its table (or list) with the next of ``alternates`` and
    notes the time in ``marks``: the floor of a keystroke, a repaint of the same size as the
    real result, with no query.
    """

    def __init__(self, parts: list[Part], alternates: list[list[Any]] | None = None) -> None:
        super().__init__()
        self.parts = parts
        self.alternates = alternates or []
        self.marks: list[float] = []
        self._turn = 0
        # The same keys in the footer as the screen it mirrors (they do nothing here).
        for part in parts:
            if part.kind == "footer":
                for index, (key, description) in enumerate(part.rows):
                    # One action each: the footer shows one key an action.
                    self._bindings.bind(key, f"nothing({index})", description)

    def action_nothing(self, index: int) -> None:
        """What the mirrored footer's keys do."""

    def compose(self) -> ComposeResult:
        for part in self.parts:
            if part.kind == "header":
                yield Header()
            elif part.kind == "footer":
                yield Footer()
            elif part.kind == "static":
                yield Static(part.content)
            elif part.kind == "table":
                yield DataTable(cursor_type="row")
            elif part.kind == "list":
                yield OptionList()
            elif part.kind == "input":
                yield Input(placeholder=part.content or "", compact=True)
            elif part.kind == "select":
                yield Select(part.rows, compact=True)

    def on_mount(self) -> None:
        tables = iter(self.query(DataTable))
        lists = iter(self._lists())
        for part in self.parts:
            if part.kind == "table":
                table = next(tables)
                for label, width in part.columns:
                    table.add_column(label, width=width)
                table.add_rows(part.rows)
            elif part.kind == "list":
                next(lists).add_options(part.rows)
        inputs = self.query(Input)
        if not self.alternates and any(p.kind == "table" and p.focused for p in self.parts):
            self.query(DataTable).first().focus()  # where the mirrored screen had it
        elif inputs:
            inputs.first().focus()  # and where a keystroke's floor types

    def _lists(self) -> list[OptionList]:
        # A Select's overlay is an OptionList too: only the screen's own lists count.
        return [w for w in self.query(OptionList) if not _inside_whole(w)]

    def on_input_changed(self, event: Input.Changed) -> None:
        if not self.alternates:
            return
        rows = self.alternates[self._turn % len(self.alternates)]
        self._turn += 1
        tables = self.query(DataTable)
        if tables:
            table = tables.first()
            table.clear()
            table.add_rows(rows)
        else:
            options = self._lists()[0]
            options.clear_options()
            options.add_options(rows)
        self.marks.append(time.perf_counter())


class FloorApp(App[None]):
    """A bare Textual app holding mirror screens (as modes, or pushed)."""

    # The geometry linkworker gives the same widgets (app.tcss): the table or list takes
    # the rest of the screen, so a refill repaints the rows that fit, not a new layout.
    CSS = "DataTable, OptionList { height: 1fr; }"

    def __init__(self, modes: dict[str, Callable[[], Screen[Any]]] | None = None) -> None:
        # Textual reads MODES and DEFAULT_MODE from the instance; it starts in the first mode.
        self.MODES = dict(modes or {})
        if modes:
            self.DEFAULT_MODE = next(iter(modes))
        super().__init__()


class Frames:
    """The time and screen of every frame an app displays (headless apps included)."""

    def __init__(self, app: App[Any]) -> None:
        self.seen: list[tuple[float, Screen[Any], int]] = []
        shown = app._display

        def display(screen: Screen[Any], renderable: Any) -> None:
            # Textual drops a frame asked for inside a batch (switch_mode holds frames back
            # for 50 ms to mask the change): nothing reaches the terminal, so it is not one.
            if renderable is not None and not app._batch_count:
                self.seen.append((time.perf_counter(), screen, shown_rows(screen)))
            shown(screen, renderable)

        app._display = display  # type: ignore[method-assign]

    async def until(self, since: int, wanted: Callable[[Screen[Any]], bool], rows: int) -> float:
        """The time of the first frame after ``since`` of a ``wanted`` screen with ``rows``."""
        deadline = time.perf_counter() + 60
        while time.perf_counter() < deadline:
            for when, screen, shown in self.seen[since:]:
                if wanted(screen) and shown >= rows:
                    return when
            await asyncio.sleep(0.001)
        raise AssertionError("no frame showed the screen with its rows")

    async def until_time(self, after: float) -> float:
        """The time of the first frame displayed after the moment ``after``."""
        deadline = time.perf_counter() + 60
        while time.perf_counter() < deadline:
            for when, _screen, _shown in self.seen:
                if when > after:
                    return when
            await asyncio.sleep(0.001)
        raise AssertionError("no frame was displayed")

    async def time(
        self, action: Callable[[], object], wanted: Callable[[Screen[Any]], bool], rows: int = 1
    ) -> float:
        """Seconds from running ``action`` to the first frame that shows the screen filled."""
        since = len(self.seen)
        start = time.perf_counter()
        action()
        return await self.until(since, wanted, rows) - start
