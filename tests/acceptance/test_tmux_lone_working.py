"""Issue 16's acceptance test at 80x24, in a real terminal: the day's visit plan is written
for the buddy, a visit checked in is not checked out, so the next start shows it first;
it is checked out (late); a person is marked for supervision and appears in the pack.

Keys go in as test_tmux_corrections.py sends them: text a few characters at a time, each
waited for on the screen, and every screen waited for by what it shows before the next key.
"""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from tests.acceptance.test_tmux_corrections import _folders, type_into
from tests.acceptance.test_tmux_journey import Terminal, pytestmark  # noqa: F401
from tests.factories import TODAY, VISITED, add_person_with_referral, add_visit, store_at

from linkworker import paths

QUESTION = "How do I keep the door open?"


def _store(path: Path) -> None:
    with store_at(path) as db:
        add_visit(db, add_person_with_referral(db, status="accepted", **VISITED)[0])
    # Named already, so no first-run question comes between the keys and Today.
    paths.settings_path().parent.mkdir(parents=True, exist_ok=True)
    paths.settings_path().write_text(
        'worker_name = "Sam Okafor"\nbuddy_name = "Alex Reid"\nbuddy_phone = "07700 900456"\n'
    )


def _quit(term: Terminal) -> None:
    term.keys("C-q")
    deadline = time.monotonic() + 60
    while term.alive() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not term.alive(), "the app did not quit on Ctrl+Q"


def _app(store: Path, day: str) -> Terminal:
    app = [sys.executable, "-m", "linkworker", "--db", str(store), "--today", day]
    return Terminal(["env", *_folders(), *app, "--unencrypted"], 80, 24)


def _first_day(store: Path) -> None:
    term = _app(store, TODAY.isoformat())
    try:
        term.wait_for("DUE TODAY (1)")
        term.keys("v")
        term.wait_for("Visit plan: 1 visit today")
        term.wait_for("Write it to a file, people by initials")
        term.keys("Down")
        term.keys("Down")
        term.keys("Enter")
        term.wait_for("Write the visit plan to a file")
        term.keys("C-s")
        term.wait_for("Wrote")
        term.wait_until_gone("Write the visit plan to a file")
        term.keys("k")
        term.wait_for("Visit checked in")
        _quit(term)
    finally:
        term.close()


def _next_day(store: Path) -> None:
    term = _app(store, (TODAY + timedelta(days=1)).isoformat())
    try:
        # First: before anything else can be done, the visit that was never checked out.
        term.wait_for_all(
            "A visit was not checked out", "Home visit with Joan Smith at 12 Acacia Road, HV1 2AB"
        )
        term.keys("Escape")
        # And on Today, above the agenda.
        term.wait_for_all("OVERDUE (1)", "⚠ Home visit with Joan Smith")
        term.keys("k")
        term.wait_for("Visit checked out")
        term.wait_until_gone("⚠ Home visit with Joan Smith")
        term.keys("Enter")
        term.wait_for("Person · unencrypted — Joan Smith")
        term.keys("S")
        term.wait_for("For supervision")
        type_into(term, "Your question *", QUESTION)
        term.keys("C-s")
        term.wait_for("For supervision SV-")
        term.keys("F5")
        term.wait_for("Last supervision: none recorded")
        term.keys("C-o")
        term.wait_for("Write the supervision pack to a file")
        term.keys("C-s")
        term.wait_for("Wrote")
        _quit(term)
    finally:
        term.close()


def test_visit_plan_a_late_visit_and_the_supervision_pack_at_80x24(tmp_path: Path) -> None:
    store = tmp_path / "lone.db"
    _store(store)
    _first_day(store)
    exports = store.parent / "exports"
    plan = (exports / f"visit-plan-{TODAY.isoformat()}.txt").read_text()
    assert "10:00-10:30 Home visit with J.S." in plan
    assert "Buddy: Alex Reid, 07700 900456" in plan and "Joan" not in plan
    _next_day(store)
    listed = subprocess.run(
        [sys.executable, "-m", "linkworker", "visits", "list", "--db", str(store),
         "--today", TODAY.isoformat()],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    assert "checked out" in listed
    pack = (exports / f"supervision-pack-{(TODAY + timedelta(days=1)).isoformat()}.md").read_text()
    assert QUESTION in pack and "## Case SV-" in pack
    assert "Joan" not in pack and "Smith" not in pack and "HV1 2AB" not in pack
