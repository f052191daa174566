"""The lock screen: covers everything (modals included) and shows nothing of the caseload.

Pushed by the app after ``idle_lock_minutes`` without input, or on Ctrl+L (binding id
``lock``). It is an opaque full screen with no header, so neither names nor caseload
counts show; the screens beneath (and any half-filled form) stay exactly as they were.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Input

from linkworker.tui.screens.passphrase import PassphrasePrompt

PAUSE_AFTER_FAILURES = 5
PAUSE_SECONDS = 30.0


class LockScreen(PassphrasePrompt, guide="lock"):
    """Type the passphrase to unlock; ``unlock`` returns an error to show, or None."""

    AUTO_FOCUS = "#unlock-passphrase"
    FIELD = "unlock-passphrase"
    ERROR = "unlock-error"
    BOX = "lock-box"

    def __init__(self, unlock: Callable[[str], str | None], what: str = "passphrase") -> None:
        super().__init__(unlock)
        self.what = what

    def words(self) -> tuple[str, str, str, str]:
        return (
            "linkworker is locked",
            f"Your caseload is hidden. Type your {self.what} and press Enter to carry on; "
            "everything you had open is kept as it was.",
            self.what,
            "Ctrl+Q quits (anything not yet saved is lost).",
        )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        typed = self.typed()
        if not typed:
            return
        error = self.check(typed)
        if error is None:
            return  # the app removes this screen
        self.failures += 1
        message = error
        if self.failures % PAUSE_AFTER_FAILURES == 0:
            # Slows guessing at the keyboard without locking the owner out for long.
            self.field().disabled = True
            message = f"{error}; {self.failures} wrong tries, wait {int(PAUSE_SECONDS)} seconds"
            self.set_timer(PAUSE_SECONDS, self._resume)
        self.show_error(message)

    def _resume(self) -> None:
        field = self.field()
        field.disabled = False
        field.focus()
        self.show_error("")
