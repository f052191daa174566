"""A question about the store with a few answers (open read-only? encrypt it now?)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Static

from linkworker.tui.guides import Guided
from linkworker.tui.widgets.text import multiline


class StoreChoiceScreen(Guided, Screen[str], guide="store_choice"):
    """Title, explanation and one button per answer; dismisses with the answer's id.

    A full screen (not a dialog): it is asked before the caseload is shown.
    """

    AUTO_FOCUS = "Button"

    def __init__(self, title: str, body: str, answers: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.body = body
        self.answers = answers

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog choice-box"):
            yield Static(self.title_text, classes="dialog-title")
            yield Static(multiline(self.body), id="choice-body")
            with Horizontal(classes="buttons"):
                for answer, label in self.answers:
                    yield Button(label, id=f"choice-{answer}")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss((event.button.id or "").removeprefix("choice-"))

    def action_choose_last(self) -> None:
        self.dismiss(self.answers[-1][0])
