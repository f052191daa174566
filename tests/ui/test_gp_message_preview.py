"""The preview of the GP message: it says the person can read it in the NHS App, shows what
will go, leaves out flags and notes until ticked, and returns the message chosen."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from tests.factories import open_store
from textual.widgets import Checkbox, SelectionList, Static

from linkworker import people, reports
from linkworker.clock import fixed
from linkworker.models import FlagDetails
from linkworker.reports.content import GPMessage
from linkworker.settings import Settings
from linkworker.tui.screens.gp_message import GPMessagePreview

from pilots import wait_until

TODAY = date(2026, 11, 23)
SENDER = Settings(worker_name="Sam Okafor", worker_organisation="Riverside PCN")
FLAG_NOTE = "Partner controls the money; do not phone at home"


def flagged_message(path: Path) -> GPMessage:
    """The latest episode of a person who consented, with a safeguarding flag on them."""
    db = open_store(path)
    try:
        pid = int(
            db.execute(
                "SELECT p.id FROM people p JOIN referrals r ON r.person_id = p.id "
                "WHERE r.status = 'discharged' AND p.consent_to_share_gp = 1 "
                "ORDER BY p.id LIMIT 1"
            ).fetchone()[0]
        )
        details = FlagDetails.model_validate(
            {"kind": "safeguarding", "note": FLAG_NOTE}, context={"today": TODAY}
        )
        people.add_flag(db, pid, details, fixed(TODAY))
        return reports.gp_message(db, pid, TODAY, sender=SENDER.signature())
    finally:
        db.close()


def shown(screen: Any) -> str:
    return str(screen.query_one("#gp-preview-body", Static).render())


def test_gp_message_preview_80x24(snap_compare: Any, dialog_app: Any, demo_path: Path) -> None:
    app = dialog_app(GPMessagePreview(flagged_message(demo_path)), settings=SENDER)
    assert snap_compare(app, terminal_size=(80, 24))


async def test_defaults_leave_the_flag_out_and_the_worker_chooses(
    dialog_host: Any, demo_path: Path
) -> None:
    message = flagged_message(demo_path)
    async with dialog_host(GPMessagePreview(message)) as pilot:
        screen = pilot.app.screen
        assert isinstance(screen, GPMessagePreview)
        notice = str(screen.query_one("#gp-preview-notice", Static).render())
        assert "NHS App" in notice
        body = shown(screen)
        assert "Sam Okafor" in body and FLAG_NOTE not in body and "Safeguarding" not in body
        parts = screen.query_one("#gp-parts", SelectionList)
        flag = next(p.key for p in screen.parts if p.section == "flags")
        assert flag not in parts.selected
        # Untick the first line (the referral's reason): it goes from the preview.
        assert message.reason and message.reason in body
        parts.focus()
        await pilot.press("space")
        await wait_until(pilot, lambda: message.reason not in shown(screen), "reason gone")
        # Tick the flag: its kind goes, its note only when that is ticked too.
        parts.select(flag)
        await wait_until(pilot, lambda: "Safeguarding, raised" in shown(screen), "flag shown")
        assert FLAG_NOTE not in shown(screen)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: bool(pilot.app.results), "a result")
    chosen = pilot.app.results[0]
    assert isinstance(chosen, GPMessage)
    assert chosen.reason is None and [f.note for f in chosen.flags] == [None]


async def test_codes_only_and_cancel(dialog_host: Any, demo_path: Path) -> None:
    message = flagged_message(demo_path)
    async with dialog_host(GPMessagePreview(message)) as pilot:
        screen = pilot.app.screen
        screen.query_one("#codes-only", Checkbox).value = True
        await wait_until(pilot, lambda: "codes only" in shown(screen), "codes only")
        assert screen.query_one("#gp-parts", SelectionList).disabled
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: bool(pilot.app.results), "a result")
    assert pilot.app.results[0].codes_only
    async with dialog_host(GPMessagePreview(message)) as pilot:
        await pilot.press("escape")
        await wait_until(pilot, lambda: bool(pilot.app.results), "a result")
    assert pilot.app.results == [None]
