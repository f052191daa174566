"""Issue 16's acceptance test for unmet need, at 80x24 in a real terminal: from a person's
record the worker looks for an activity, nothing fits, Ctrl+N records the unmet need with
what was searched for, and the gap report counts it in the person's postcode district.

As in test_tmux_corrections.py: text goes in a few characters at a time, each waited for
on the screen, every screen is waited for by its words before the next key, and nothing
sleeps for a fixed time.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from tests.acceptance.test_tmux_corrections import _folders, _sign_in
from tests.acceptance.test_tmux_journey import Terminal, pytestmark  # noqa: F401
from tests.factories import CLOCK, TODAY, add_person_with_referral, store_at

PERSON = "Person · unencrypted — Joan Smith"
SEARCH = "zumba"
CHUNK = 2


def _store(path: Path) -> int:
    """Joan Smith of HV2 1AB, referred for loneliness this month."""
    with store_at(path) as db:
        pid, _ = add_person_with_referral(
            db, CLOCK, postcode="HV2 1AB", referral={"needs": "loneliness"}
        )
        return pid


def _search_line(term: Terminal) -> str:
    # The picker's search box is the line under its header.
    return term.screen().splitlines()[1].strip()


def _type_search(term: Terminal, text: str, timeout: float = 60.0) -> None:
    for end in range(CHUNK, len(text) + CHUNK, CHUNK):
        term.keys("-l", text[end - CHUNK : end])
        deadline = time.monotonic() + timeout
        while _search_line(term) != text[:end]:
            if time.monotonic() > deadline:
                raise AssertionError(f"the search never showed {text[:end]!r}:\n{term.screen()}")
            time.sleep(0.05)


def _nothing_fits(term: Terminal) -> None:
    term.keys("l")
    term.wait_for("Pick an activity")
    _type_search(term, SEARCH)
    term.wait_for("No activity matches")
    term.keys("C-n")
    shown = term.wait_for("Unmet need: Joan Smith")
    assert "Loneliness and isolation" in shown  # the referral's need
    assert "No suitable activity" in shown
    assert f"searched for: {SEARCH}" in shown
    term.keys("C-s")
    # Saved: the form closes, back in the search (its notice may come and go meanwhile).
    term.wait_until_gone("Unmet need: Joan Smith")
    term.wait_for("Pick an activity")
    term.keys("Escape")
    term.wait_for(PERSON)
    term.wait_for("Unmet need: Loneliness and isolation (no suitable activity)")


def test_an_unmet_need_from_nothing_fits_is_counted_in_the_gap_report(tmp_path: Path) -> None:
    store = tmp_path / "gaps.db"
    pid = _store(store)
    app = [sys.executable, "-m", "linkworker", "--db", str(store), "--today", TODAY.isoformat()]
    term = Terminal(["env", *_folders(), *app, "--unencrypted"], 80, 24)
    try:
        _sign_in(term)
        term.keys("F3")
        term.wait_for("of 1")
        term.keys("Enter")
        term.wait_for(PERSON)
        _nothing_fits(term)
        term.keys("C-q")
        deadline = time.monotonic() + 60
        while term.alive() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not term.alive(), "the app did not quit on Ctrl+Q"
    finally:
        term.close()
    out = tmp_path / "gaps.md"
    period = ["--from", "2026-11-01", "--to", "2026-11-30"]
    subprocess.run(
        [
            *app[:3],
            "report",
            "gaps",
            *period,
            "--format",
            "md",
            "--output",
            str(out),
            "--db",
            str(store),
        ],
        check=True,
        capture_output=True,
    )
    report = out.read_text()
    assert "- Unmet needs recorded: **<5**" in report
    assert "| HV2 | <5 | 0 | 0 | 0 | 0 | 0 | 0 | <5 |" in report
    assert "| Loneliness and isolation | <5 | 0 |" in report
    # Pseudonymised: neither the name, the full postcode nor what was searched for.
    for secret in ("Joan", "Smith", "HV2 1AB", SEARCH, str(pid) + " "):
        assert secret not in report.split("## At a glance")[1]
