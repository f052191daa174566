"""Passphrase screens: set one (first run, encrypting, the lock passphrase), type one, change it.

They are full screens, not dialogs: at start nothing of the caseload is behind them. Each
is thin: the strength rule lives in security.py, opening the store in screens/opening.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Input, Static

from linkworker.store import security
from linkworker.tui.guides import Guided


class PassphrasePrompt(Guided, Screen[None]):
    """A screen that asks only for a passphrase: a box with a title, what to do, the hidden
    field, its (blank) error line and a hint.

    ``check`` tries what was typed and returns an error to show, or None when it opened
    the store; wrong tries are counted in ``failures``. Shared by the start-up passphrase
    screen and the lock screen.
    """

    #: The ids of the field and of its error line, and the box's class.
    FIELD: ClassVar[str] = "passphrase"
    ERROR: ClassVar[str] = "passphrase-error"
    BOX: ClassVar[str] = "passphrase-box"
    #: The box's title, what to do, the field's placeholder and the hint.
    words: Callable[[], tuple[str, str, str, str]]

    def __init__(self, check: Callable[[str], str | None]) -> None:
        super().__init__()
        self.check = check
        self.failures = 0

    def compose(self) -> ComposeResult:
        title, intro, placeholder, hint = self.words()
        with Vertical(classes=f"dialog {self.BOX}"):
            yield Static(title, classes="dialog-title")
            yield Static(intro)
            yield Input(password=True, id=self.FIELD, placeholder=placeholder)
            yield Static("", id=self.ERROR, classes="error-line")
            yield Static(hint, classes="hint")

    def field(self) -> Input:
        """The hidden passphrase field."""
        return self.query_one(f"#{self.FIELD}", Input)

    def typed(self) -> str:
        """What was typed, taken out of the field (it never stays on the screen)."""
        field = self.field()
        typed, field.value = field.value, ""
        return typed

    def show_error(self, message: str) -> None:
        """Put ``message`` on the error line ("" clears it)."""
        self.query_one(f"#{self.ERROR}", Static).update(message)


class EnterPassphraseScreen(PassphrasePrompt, guide="enter_passphrase"):
    """Asks for the store's passphrase before anything else is shown; retries on a wrong one.

    ``check`` tries the passphrase and returns an error to show, or None once the store is
    open (the screen then closes).
    """

    AUTO_FOCUS = "#passphrase"

    def __init__(self, store_name: str, check: Callable[[str], str | None]) -> None:
        super().__init__(check)
        self.store_name = store_name

    def words(self) -> tuple[str, str, str, str]:
        return (
            "linkworker: your caseload is encrypted",
            f"Type the passphrase for {self.store_name} and press Enter.",
            "passphrase",
            "Ctrl+Q quits.",
        )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        typed = self.typed()
        if not typed:
            self.show_error("passphrase: type it, then press Enter")
            return
        error = self.check(typed)
        if error is None:
            self.dismiss(None)
            return
        self.failures += 1
        self.show_error(error)


class SetPassphraseScreen(Guided, Screen[str | None], guide="passphrase"):
    """A new passphrase typed twice, checked for strength, with the lost-passphrase warning.

    With ``current`` (a function that checks the present passphrase) it is the change
    passphrase screen. Dismisses with the new passphrase, or None when cancelled.
    """

    AUTO_FOCUS = "Input"

    def __init__(
        self,
        title: str,
        intro: str,
        *,
        current: Callable[[str], bool] | None = None,
        cancellable: bool = True,
        warning: str = security.LOST_PASSPHRASE_WARNING,
        action_label: str = "Set passphrase",
    ) -> None:
        super().__init__()
        self.title_text = title
        self.intro = intro
        self.current = current
        self.cancellable = cancellable
        self.warning = warning
        self.action_label = action_label

    def compose(self) -> ComposeResult:
        # Compact fields and buttons: the whole form fits an 80x24 terminal.
        with VerticalScroll(classes="dialog passphrase-box set-passphrase"):
            yield Static(self.title_text, classes="dialog-title")
            yield Static(self.intro)
            yield Static(security.PASSPHRASE_RULE, classes="hint")
            if self.warning:
                yield Static(f"⚠ {self.warning}", classes="warning-line")
            if self.current is not None:
                yield Input(
                    password=True,
                    id="current-passphrase",
                    placeholder="current passphrase",
                    compact=True,
                )
            yield Input(
                password=True, id="new-passphrase", placeholder="new passphrase", compact=True
            )
            yield Input(
                password=True, id="again-passphrase", placeholder="the same again", compact=True
            )
            yield Static("", id="passphrase-error", classes="error-line")
            with Horizontal(classes="buttons"):
                if self.cancellable:
                    yield Button("Cancel", id="cancel", compact=True)
                yield Button(self.action_label, id="set", variant="primary", compact=True)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "again-passphrase":
            self.submit()
        else:
            self.focus_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "set":
            self.submit()
        else:
            self.action_cancel()

    def submit(self) -> None:
        """Check what was typed; close with the new passphrase when it is acceptable."""
        error = self.query_one("#passphrase-error", Static)
        if self.current is not None:
            present = self.query_one("#current-passphrase", Input)
            if not self.current(present.value):
                present.value = ""
                present.focus()
                error.update("current passphrase: wrong; nothing was changed")
                return
        new = self.query_one("#new-passphrase", Input)
        again = self.query_one("#again-passphrase", Input)
        problem = security.new_passphrase_problem(new.value, again.value)
        if problem:
            new.value = again.value = ""
            new.focus()
            error.update(problem)
            return
        self.dismiss(new.value)

    def action_cancel(self) -> None:
        if self.cancellable:
            self.dismiss(None)
