"""Tick boxes and radio buttons whose state shows as a character, not by colour alone."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Checkbox, RadioButton


class TickBox(Checkbox):
    """A checkbox whose state shows as a character (X or blank), not by colour alone."""

    @property
    def _button(self) -> Content:
        # Textual draws the same X for on and off and tells them apart by colour only.
        self.BUTTON_INNER = "X" if self.value else " "
        return super()._button


class RadioChoice(RadioButton):
    """A radio button whose chosen state shows as a character, not by colour alone."""

    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = "●" if self.value else " "
        return super()._button
