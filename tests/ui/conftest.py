"""Shared fixtures and Pilot helpers for the Textual tests."""

from __future__ import annotations

import pytest
from textual.widgets import Input, TextArea


@pytest.fixture(autouse=True)
def steady_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    """Text fields' cursors do not blink in tests; a focused field always shows its cursor.

    Textual hides the cursor for the second half of every second: a snapshot or a check
    made more than 0.5 s after a field got the focus (as on a busy machine) would catch it
    in the other phase. ``cursor_blink`` is the widgets' own switch for this; its class
    default is turned off because the app creates the fields itself.
    """
    for widget in (Input, TextArea):
        switch = widget.__dict__["cursor_blink"]
        monkeypatch.setattr(switch, "_default", False)
