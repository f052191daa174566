"""A message the user must read (a store that cannot be opened, a finished export...)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from linkworker.tui.widgets.text import multiline


class MessageScreen(ModalScreen[None]):
    """Title, body, one button. With quit_on_close, closing it ends the app."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter", "close", "Close", id="message.close"),
    ]

    def __init__(self, title: str, body: str, *, quit_on_close: bool = False) -> None:
        super().__init__()
        self.title_text = title
        self.body = body
        self.quit_on_close = quit_on_close

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-title")
            yield Static(multiline(self.body), id="message-body")
            with Horizontal(classes="buttons"):
                yield Button(
                    "Quit" if self.quit_on_close else "Close", id="close", variant="primary"
                )

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_close()

    def action_close(self) -> None:
        if self.quit_on_close:
            self.app.exit(return_code=1)
        else:
            self.dismiss(None)
