"""A message the user must read: a store that cannot be opened, a code for the GP record."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Button

from linkworker.tui.dialogs.base import WordsDialog, button


class MessageDialog(WordsDialog[None]):
    """Title, body, a Close button. With ``quit_on_close``, closing it ends the app.

    Variants add buttons by overriding ``extra_buttons`` and ``button_pressed`` (the code for
    the GP record adds "Copy code").
    """

    BODY_ID = "message-body"

    def __init__(self, title: str, body: str | Text, *, quit_on_close: bool = False) -> None:
        super().__init__(title, body)
        self.quit_on_close = quit_on_close

    def compose_buttons(self) -> ComposeResult:
        yield from self.extra_buttons()
        yield button("Quit" if self.quit_on_close else "Close", "close", default=True)

    def extra_buttons(self) -> ComposeResult:
        """Buttons before Close (none here)."""
        yield from ()

    def on_mount(self) -> None:
        self.query_one("#close", Button).focus()

    def action_cancel(self) -> None:
        self.close()

    def close(self) -> None:
        """Close the message (and the app, when it said it would)."""
        if self.quit_on_close:
            self.app.exit(return_code=1)
        else:
            self.dismiss(None)

    def button_pressed(self, button_id: str) -> None:
        if button_id == "close":
            self.close()
