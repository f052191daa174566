"""The message back to the GP and referrer, shown over the person's record.

The person screen copies the message to the clipboard as it opens this (one key does both);
here ``c`` (or the Copy button) copies it again and Esc closes. The text is
``gp_message_text`` (formats): plain text ready to paste into EMIS Web or SystmOne, built by
the core.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from linkworker.tui.dialogs import MessageDialog, button
from linkworker.tui.widgets.text import multiline


class GPMessageScreen(MessageDialog, guide="gp_message"):
    """Shows the message; copies it to the clipboard on request."""

    def __init__(self, text: str, *, shares_detail: bool = True) -> None:
        super().__init__(self.TITLE, text)
        self.text = text
        self.shares_detail = shares_detail

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="gp-message-scroll"):
            yield Static(multiline(self.text), id="gp-message-body")
        yield Static(
            "Copied to the clipboard: paste it into the GP record. "
            + ("" if self.shares_detail else "No consent to share: codes only. ")
            + "c copies again, Esc closes.",
            classes="dialog-hint",
            id="gp-message-hint",
        )

    def extra_buttons(self) -> ComposeResult:
        yield button("Copy (c)", "copy")

    def on_mount(self) -> None:
        # The message is long: start in it, so the arrow keys scroll it.
        self.query_one("#gp-message-scroll", VerticalScroll).focus()

    def action_copy(self) -> None:
        """Put the message on the clipboard (again)."""
        self.app.copy_to_clipboard(self.text)
        self.notify("Copied the message to the clipboard")

    def button_pressed(self, button_id: str) -> None:
        if button_id == "copy":
            self.action_copy()
        else:
            super().button_pressed(button_id)
