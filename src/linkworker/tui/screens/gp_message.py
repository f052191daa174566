"""The message back to the GP and referrer, shown over the person's record.

The person screen copies the message to the clipboard as it opens this (one key does both);
here ``c`` copies it again and Esc closes. The text is ``gp_message_text`` (formats): plain
text ready to paste into EMIS Web or SystmOne, built by the core.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Static

from linkworker.tui.screens.base import LinkWorkerModal
from linkworker.tui.widgets.text import multiline


class GPMessageScreen(LinkWorkerModal):
    """Shows the message; copies it to the clipboard on request."""

    HELP = "The message back to the GP and referrer. c copies it to the clipboard again."
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "copy", "Copy", id="gp_message.copy"),
        Binding("escape", "close", "Close", id="gp_message.close"),
    ]

    class MessageCopied(Message):
        """The message was put on the clipboard."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, text: str, *, shares_detail: bool = True) -> None:
        super().__init__()
        self.text = text
        self.shares_detail = shares_detail

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="gp-message-dialog"):
            yield Static("Message back to GP and referrer", classes="dialog-title")
            with VerticalScroll(id="gp-message-scroll"):
                yield Static(multiline(self.text), id="gp-message-body")
            yield Static(
                "Copied to the clipboard: paste it into the GP record. "
                + ("" if self.shares_detail else "No consent to share: codes only. ")
                + "c copies again, Esc closes.",
                classes="hint",
                id="gp-message-hint",
            )
            with Horizontal(classes="buttons"):
                yield Button("Copy", id="copy")
                yield Button("Close", id="close", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#gp-message-scroll", VerticalScroll).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "copy":
            self.action_copy()
        else:
            self.action_close()

    def action_copy(self) -> None:
        """Put the message on the clipboard (again)."""
        self.app.copy_to_clipboard(self.text)
        self.notify("Copied the message to the clipboard")
        self.post_message(self.MessageCopied(self.text))

    def action_close(self) -> None:
        self.dismiss(None)
