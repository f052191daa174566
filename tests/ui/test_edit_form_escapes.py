"""Escape codes already in a store never reach the terminal when a record is edited (issue 19)."""

from __future__ import annotations

import re
from pathlib import Path

from textual.widgets import Input, TextArea

from linkworker.clock import Clock
from linkworker.tui.app import LinkWorkerApp
from linkworker.tui.screens.person_edit import PersonEditScreen

import factories
from pilots import open_person, wait_for_screen

RETITLE = "\x1b]2;PWNED\x1b\\"
CLIPBOARD = "\x1b]52;c;cm0gLXJmIH4=\x07"
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _old_store_with_escapes(path: Path, clock: Clock) -> int:
    """A person whose stored name and needs hold escape codes, as an old store might."""
    pid = factories.build_in(path, factories.add_person_with_referral, clock)[0]
    with factories.store_at(path) as db:
        db.execute(
            "UPDATE people SET given_name = ?, communication_needs = ? WHERE id = ?",
            [f"Joan{RETITLE}", f"Large print{CLIPBOARD}\nno phone", pid],
        )
        db.conn.commit()
    return pid


async def test_editing_a_person_fills_the_form_with_escape_codes_made_visible(
    store_path: Path, clock: Clock
) -> None:
    pid = _old_store_with_escapes(store_path, clock)
    app = LinkWorkerApp(store_path=store_path, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_person(pilot, pid)
        await pilot.press("e")
        screen = await wait_for_screen(pilot, PersonEditScreen)
        given = screen.query_one("#given_name", Input).value
        needs = screen.query_one("#communication_needs", TextArea).text
        assert not CONTROL.search(given) and not CONTROL.search(needs.replace("\n", ""))
        assert given == "Joan␛]2;PWNED␛\\"
        assert needs.startswith("Large print␛]52;") and "\nno phone" in needs
