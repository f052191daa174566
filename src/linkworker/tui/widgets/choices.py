"""Tick boxes, radio buttons and tick lists whose state shows as a character, not by colour
alone: ``[X]`` / ``[ ]`` and ``(•)`` / ``( )``, readable in monochrome and by a screen reader."""

from __future__ import annotations

from typing import TypeVar

from rich.segment import Segment
from textual.content import Content
from textual.strip import Strip
from textual.widgets import Checkbox, RadioButton, SelectionList
from textual.widgets._toggle_button import ToggleButton
from textual.widgets.option_list import OptionDoesNotExist

ValueT = TypeVar("ValueT")


def marked(widget: ToggleButton, left: str, mark: str, right: str) -> Content:
    """``left`` + ``mark`` (or a blank when off) + ``right``, in the widget's button style.

    Textual draws the same mark for on and off and tells them apart by colour only.
    """
    button_style = widget.get_visual_style("toggle--button")
    return Content.assemble(left, (mark if widget.value else " ", button_style), right)


class TickBox(Checkbox):
    """A checkbox drawn ``[X]`` when ticked and ``[ ]`` when not."""

    @property
    def _button(self) -> Content:
        return marked(self, "[", "X", "]")


class RadioChoice(RadioButton):
    """A radio button drawn ``(•)`` when chosen and ``( )`` when not."""

    @property
    def _button(self) -> Content:
        return marked(self, "(", "•", ")")


class TickList(SelectionList[ValueT]):
    """A selection list whose rows start ``[X]`` when ticked and ``[ ]`` when not."""

    def render_line(self, y: int) -> Strip:
        line = super().render_line(y)
        segments = list(line)
        if len(segments) < 4 or segments[1].text != ToggleButton.BUTTON_INNER:
            return line
        try:
            selection = self.get_option_at_index(round(self.scroll_offset.y) + y)
        except OptionDoesNotExist:
            return line
        ticked = selection.value in self.selected
        plain = segments[3].style
        segments[:3] = [
            Segment("[", plain),
            Segment("X" if ticked else " ", segments[1].style),
            Segment("]", plain),
        ]
        return Strip(segments, line.cell_length)
