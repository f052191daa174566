"""The message back to the GP and referrer, shown over the person's record.

:class:`GPMessagePreview` comes first: it says that the person can read the message in the
NHS App, shows what will go, and lets the worker leave out any line or section (flags, their
notes and notes on contacts are left out until ticked) or choose the codes only. It takes the
whole message (``reports.gp_message``) and returns the chosen one, or None: any caller (copy
to the clipboard, write a file) opens it first. Then :class:`GPMessageScreen` shows what was
copied; ``c`` (or the Copy button) copies it again and Esc closes. The text is
``gp_message_text`` (formats): plain text ready to paste into EMIS Web or SystmOne.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.widgets import Checkbox, SelectionList, Static
from textual.widgets.selection_list import Selection

from linkworker.formats.gp_message import gp_message_text
from linkworker.reports.content import GPMessage
from linkworker.reports.gp_parts import NHS_APP_NOTICE, choose, parts
from linkworker.tui import keymap
from linkworker.tui.dialogs import Dialog, MessageDialog, button
from linkworker.tui.widgets.choices import TickBox, TickList
from linkworker.tui.widgets.text import multiline, plain


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


class GPMessagePreview(Dialog[GPMessage | None], guide="gp_preview"):
    """What will go to the GP, which the person can read: tick what goes, see it, use it.

    Returns the chosen message (Ctrl+S or "Use this message") or None (Esc, Cancel).
    """

    # A form's keys (Ctrl+S uses the message, Esc cancels), though it is not a FormDialog.
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("form")

    def __init__(self, message: GPMessage, *, verb: str = "Copy") -> None:
        super().__init__()
        self.message = message
        self.parts = parts(message)
        self.verb = verb

    def subtitle(self) -> str:
        return f"{self.message.given_name} {self.message.family_name}"

    def compose_body(self) -> ComposeResult:
        yield Static(f"⚠ {NHS_APP_NOTICE}", id="gp-preview-notice")
        if self.parts:
            yield TickBox("Codes only (who it is about and the SNOMED CT codes)", id="codes-only")
            yield TickList[str](
                *(
                    Selection(self._prompt(p.section_title, p.text), p.key, p.default)
                    for p in self.parts
                ),
                id="gp-parts",
            )
        with VerticalScroll(id="gp-preview-scroll"):
            # What goes by default; the ticks are not mounted yet to ask.
            first = choose(self.message, {p.key for p in self.parts if not p.default})
            yield Static(multiline(gp_message_text(first)), id="gp-preview-body")

    @staticmethod
    def _prompt(section: str, text: str) -> Text:
        # A person's words: never markup, control characters shown, one line.
        words = plain(text)
        words.truncate(60, overflow="ellipsis")
        return Text.assemble((f"{section}: ", "bold"), words)

    def compose_buttons(self) -> ComposeResult:
        yield button(f"{self.verb} this message (Ctrl+S)", "save", default=True)
        yield button("Cancel", "cancel")

    def on_mount(self) -> None:
        target = "#gp-parts" if self.parts else "#save"
        self.query_one(target).focus()

    def chosen(self) -> GPMessage:
        """The message as the ticks say now."""
        if not self.parts:
            return choose(self.message, ())
        codes_only = self.query_one("#codes-only", Checkbox).value
        ticked = set(self.query_one("#gp-parts", SelectionList).selected)
        left_out = {p.key for p in self.parts if p.key not in ticked}
        return choose(self.message, left_out, codes_only=codes_only)

    @on(SelectionList.SelectedChanged)
    @on(Checkbox.Changed)
    def _refresh(self) -> None:
        if self.parts:
            codes_only = self.query_one("#codes-only", Checkbox).value
            self.query_one("#gp-parts", SelectionList).disabled = codes_only
        body = self.query_one("#gp-preview-body", Static)
        body.update(multiline(gp_message_text(self.chosen())))

    def action_save(self) -> None:
        """Use the message as shown."""
        self.dismiss(self.chosen())

    def button_pressed(self, button_id: str) -> None:
        if button_id == "save":
            self.action_save()
        else:
            super().button_pressed(button_id)
