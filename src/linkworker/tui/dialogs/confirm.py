"""A yes/no question. For anything that cannot be undone, focus starts on the safe answer."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Button

from linkworker.tui.dialogs.base import WordsDialog, button


class ConfirmDialog(WordsDialog[bool]):
    """Ask before doing something; dismisses True to go ahead, False otherwise.

    ``safe_default`` (the default) puts focus on the No button, so Enter alone never
    confirms; only a question whose Yes is harmless and easily undone (book another
    follow-up?) passes ``safe_default=False``. ``danger`` draws Yes as destructive.
    Esc is always No.
    """

    BODY_ID = "confirm-body"

    def __init__(
        self,
        title: str,
        body: str | Text,
        yes: str,
        no: str = "Not now",
        *,
        safe_default: bool = True,
        danger: bool = False,
    ) -> None:
        super().__init__(title, body)
        self.yes_label = yes
        self.no_label = no
        self.safe_default = safe_default
        self.danger = danger

    def compose_buttons(self) -> ComposeResult:
        yield button(self.yes_label, "yes", default=not self.safe_default, danger=self.danger)
        yield button(f"{self.no_label} (Esc)", "no", default=self.safe_default)

    def on_mount(self) -> None:
        self.query_one("#no" if self.safe_default else "#yes", Button).focus()

    def action_cancel(self) -> None:
        self.dismiss(False)

    def button_pressed(self, button_id: str) -> None:
        self.dismiss(button_id == "yes")
