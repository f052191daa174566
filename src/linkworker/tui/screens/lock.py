"""The lock screen: covers everything (modals included) and shows nothing of the caseload.

Pushed by the app after ``idle_lock_minutes`` without input, or on Ctrl+L (binding id
``lock``). It is an opaque full screen with no header, so neither names nor caseload
counts show; the screens beneath (and any half-filled form) stay exactly as they were.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, Static

from linkworker.tui.guides import Guided
from linkworker.tui.screens.passphrase import passphrase_prompt

PAUSE_AFTER_FAILURES = 5
PAUSE_SECONDS = 30.0


class LockScreen(Guided, Screen[None], guide="lock"):
    """Type the passphrase to unlock; ``unlock`` returns an error to show, or None."""

    AUTO_FOCUS = "#unlock-passphrase"

    def __init__(self, unlock: Callable[[str], str | None], what: str = "passphrase") -> None:
        super().__init__()
        self.unlock = unlock
        self.what = what
        self.failures = 0

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog lock-box"):
            yield from passphrase_prompt(
                "linkworker is locked",
                f"Your caseload is hidden. Type your {self.what} and press Enter to carry on; "
                "everything you had open is kept as it was.",
                field_id="unlock-passphrase",
                error_id="unlock-error",
                placeholder=self.what,
                hint="Ctrl+Q quits (anything not yet saved is lost).",
            )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        field = self.query_one("#unlock-passphrase", Input)
        typed, field.value = field.value, ""
        if not typed:
            return
        error = self.unlock(typed)
        if error is None:
            return  # the app removes this screen
        self.failures += 1
        message = error
        if self.failures % PAUSE_AFTER_FAILURES == 0:
            # Slows guessing at the keyboard without locking the owner out for long.
            field.disabled = True
            message = f"{error}; {self.failures} wrong tries, wait {int(PAUSE_SECONDS)} seconds"
            self.set_timer(PAUSE_SECONDS, self._resume)
        self.query_one("#unlock-error", Static).update(message)

    def _resume(self) -> None:
        field = self.query_one("#unlock-passphrase", Input)
        field.disabled = False
        field.focus()
        self.query_one("#unlock-error", Static).update("")
