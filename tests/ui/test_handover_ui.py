"""Working in a team from the app (issue 17 items 2 and 4): the sealed-file dialog and the
merge dialog alone, then handing a case over from the person screen (H) and receiving it
on the Caseload (H) of a colleague's store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.factories import open_store
from textual.widgets import Button, DataTable, Static

from linkworker import directory
from linkworker.clock import Clock
from linkworker.directory import knowledge
from linkworker.store.handed_over import handed_over
from linkworker.team import handover as sending
from linkworker.team import receive as receiving
from linkworker.team import shared_knowledge as shared
from linkworker.tui.dialogs import ChoiceDialog, ConfirmDialog
from linkworker.tui.screens.handover import MergeKnowledgeDialog, SealedFileDialog
from linkworker.tui.screens.person import PersonScreen
from linkworker.tui.screens.plan import WriteFileModal

import factories
from pilots import open_person, press_save, type_into, wait_for_screen, wait_until


def _pair(tmp_path: Path, clock: Clock) -> tuple[Path, Path]:
    """Ann's store with Joan Smith on it and Bea's empty one, each keeping the other's key."""
    ann, bea = tmp_path / "ann.db", tmp_path / "bea.db"
    with factories.store_at(ann) as ann_db, factories.store_at(bea) as bea_db:
        factories.add_person_with_referral(ann_db)
        factories.exchange_keys(ann_db, bea_db, clock)
    return ann, bea


def _words(pilot: Any, widget_id: str) -> str:
    return str(pilot.app.screen.query_one(widget_id, Static).render())


async def test_the_sealed_file_dialog_names_what_is_wrong_beside_the_file(
    dialog_host: Any, tmp_path: Path, clock: Clock
) -> None:
    ann_path, bea_path = _pair(tmp_path, clock)
    with factories.store_at(ann_path) as ann:
        sending.hand_over(ann, 1, "Bea Jones", tmp_path / "case.sealed", clock)
    changed = bytearray((tmp_path / "case.sealed").read_bytes())
    changed[-20] ^= 1
    (tmp_path / "changed.sealed").write_bytes(bytes(changed))
    bea = open_store(bea_path)
    dialog = SealedFileDialog(
        "Receive a case", lambda blob: receiving.read_handover(bea, blob, clock), folder=tmp_path
    )
    async with dialog_host(dialog, db=bea, size=(80, 24)) as pilot:
        await type_into(pilot, "path", "nothing-here.sealed")
        await press_save(pilot)
        assert "no such file" in str(pilot.app.screen.query_one("#path-error").render())
        await type_into(pilot, "path", "changed.sealed")
        await press_save(pilot)
        assert "changed after it was written" in str(
            pilot.app.screen.query_one("#path-error").render()
        )
        await type_into(pilot, "path", "case.sealed")  # a bare name: in the folder given
        await press_save(pilot)
        [read] = pilot.app.results
        assert read.name == "Joan Smith" and read.opened.sender_name == "Ann Smith"
    bea.close()


async def test_the_merge_dialog_shows_the_changes_and_opens_on_no(
    dialog_host: Any, tmp_path: Path, clock: Clock
) -> None:
    ann_path, bea_path = _pair(tmp_path, clock)
    feed = [{"id": "walk-1", "name": "Health walk", "status": "active"}]
    with factories.store_at(ann_path) as ann, factories.store_at(bea_path) as bea:
        for db in (ann, bea):
            directory.import_services(db, feed, clock, source="feed", complete=True)
        knowledge.record_knowledge(ann, 1, {"demand": "gentle"}, clock, "Ann Smith")
        blob, _, _ = shared.share_knowledge(ann, ["Bea Jones"], clock)
    bea = open_store(bea_path)
    plan = shared.plan_merge(bea, blob, clock)
    async with dialog_host(MergeKnowledgeDialog(plan), db=bea, size=(80, 24)) as pilot:
        table = pilot.app.screen.query_one("#knowledge-changes", DataTable)
        assert [str(c) for c in table.get_row_at(0)][:3] == ["Health walk", "How demanding",
                                                             "theirs"]  # fmt: skip
        assert pilot.app.screen.focused is pilot.app.screen.query_one("#no", Button)
        await pilot.press("enter")
        assert pilot.app.results == [False]
    bea.close()


async def test_a_case_handed_over_from_the_person_screen_and_received_on_the_caseload(
    start_app: Any, tmp_path: Path, clock: Clock, monkeypatch: Any
) -> None:
    ann_path, bea_path = _pair(tmp_path, clock)
    async with start_app(ann_path, size=(80, 24)) as pilot:
        await open_person(pilot, 1)
        await pilot.press("H")
        await wait_for_screen(pilot, ChoiceDialog)
        await pilot.press("enter")  # Bea Jones, the one kept key
        confirm = await wait_for_screen(pilot, ConfirmDialog)
        assert confirm.focused is confirm.query_one("#no", Button)
        await pilot.press("tab", "enter")  # to "Hand over"
        await wait_for_screen(pilot, WriteFileModal)
        await type_into(pilot, "path", str(tmp_path / "joan.sealed"))
        await press_save(pilot)
        screen = await wait_for_screen(pilot, PersonScreen)
        await wait_until(pilot, lambda: screen.query_one("#person-handed-over").display, "banner")
        assert "Handed over to Bea Jones on 23 Nov 2026: this record is read-only" in _words(
            pilot, "#person-handed-over"
        )
        assert handed_over(pilot.app.db, 1) is not None
    async with start_app(bea_path, size=(80, 24)) as pilot:
        await pilot.press("f3")
        await pilot.press("H")
        await wait_for_screen(pilot, SealedFileDialog)
        await type_into(pilot, "path", str(tmp_path / "joan.sealed"))
        await press_save(pilot)
        screen = await wait_for_screen(pilot, PersonScreen)
        assert screen.person_id == 1
        assert "Joan Smith" in _words(pilot, "#person-facts")
