"""Issue 20's acceptance test (items 1 and 2) at 80x24, in a real terminal, in the ANSI theme
with NO_COLOR=1: a person's need for large print is recorded from their record and shows on
its banner; their shortlist comes out in large print (short lines on screen, a page in 18
point written); their plan is signed off with the five PCSP criteria ticked.

As in test_tmux_corrections.py, text goes in a few characters at a time, each waited for on
the screen, and each screen is waited for by what it shows before the next key; nothing
sleeps for a fixed time, so a busy machine only makes it slower.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tests.acceptance.test_tmux_corrections import CHUNK, _folders, wait_for_value
from tests.acceptance.test_tmux_journey import Terminal, pytestmark  # noqa: F401
from tests.factories import CLOCK, TODAY, add_person_with_referral, add_walk, store_at

from linkworker import information_needs, paths, plans
from linkworker.models import PcspCriterion

PERSON = "Person · unencrypted — Joan Smith"


def _store(path: Path) -> int:
    """Joan Smith, referred by her GP, and one activity in the directory."""
    with store_at(path) as db:
        pid, _ = add_person_with_referral(db, CLOCK, given_name="Joan", family_name="Smith")
        add_walk(db, CLOCK)
        return pid


def _settings() -> None:
    # The worker is named (no first-run question) and the app is in the ANSI theme.
    target = paths.settings_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text('worker_name = "Sam Okafor"\ntheme = "ansi-dark"\n', encoding="utf-8")


def type_chunks(term: Terminal, label: str, text: str) -> None:
    """Type into the focused field labelled ``label``, each chunk seen before the next."""
    for end in range(CHUNK, len(text) + CHUNK, CHUNK):
        term.keys("-l", text[end - CHUNK : end])
        wait_for_value(term, label, text[:end])


def wait_ticked(term: Terminal, count: int, timeout: float = 60.0) -> None:
    """Until ``count`` tick boxes show their X (``[X]``; an empty one is ``[ ]``)."""
    term.wait_until(
        lambda shown: shown.count("[X]") == count, f"{count} boxes never showed ticked", timeout
    )


def _large_print_need(term: Terminal) -> None:
    term.keys("i")
    term.wait_for("Communication needs: Joan Smith")
    term.keys("Space")  # the focus starts on Large print
    wait_ticked(term, 1)
    term.keys("Tab")
    type_chunks(term, "Print size (pt)", "18")
    term.keys("C-s")
    term.wait_for(PERSON)
    term.wait_for("◈ COMMUNICATION NEEDS Large print, 18 point")
    # Its notice sits over the right of the screens below until it times out.
    term.wait_until_gone("Communication needs saved")


def _large_print_shortlist(term: Terminal, exports: Path) -> None:
    term.keys("A")
    term.wait_for("Not connected to any activity yet")
    term.keys("l")
    term.wait_for("Shortlist · unencrypted — for Joan · large print (18 point)")
    term.keys("a")
    term.wait_for("Pick an activity")
    term.wait_for("Health Walks")
    term.keys("Down")  # from the search box to the list
    term.keys("Enter")
    term.wait_for("ACTIVITIES FOR JOAN")
    shown = term.wait_for("WHAT IT IS")  # the preview drawn down to the first activity
    # (Anything right of a notice's edge, ▌, is the notice, and the block characters at the
    # right edge are the preview's scrollbar, not its text.)
    preview = [
        line.split("▌")[0].rstrip(" ▁▂▃▄▅▆▇█")
        for line in shown.splitlines()[4:-1]
        if line.startswith("  ")
    ]
    # Large print: the text wraps at 40 characters (the preview has a two-space margin).
    assert preview and max(len(line) for line in preview) <= 42, shown
    term.keys("w")
    term.wait_for("Write the shortlist to a file")
    term.wait_for("Printable page (HTML)")  # a page in their point size, chosen for them
    term.keys("C-s")
    term.wait_for("Wrote the shortlist")
    page = next(exports.glob("shortlist-joan-*.html")).read_text()
    assert "font-size: 18pt" in page and "<table" not in page
    term.keys("Escape")
    term.wait_for("Activities · unencrypted")
    term.keys("Escape")
    term.wait_for(PERSON)


def _sign_off(term: Terminal) -> None:
    term.keys("p")
    term.wait_for("Not signed off yet")
    term.keys("k")
    term.wait_for("Sign off the plan: Joan Smith")
    for n in range(1, len(PcspCriterion) + 1):
        term.keys("Space")
        wait_ticked(term, n)
        term.keys("Tab")
    type_chunks(term, "Review on", "01/02/2027")
    term.keys("C-s")
    term.wait_for("5 of 5 PCSP criteria met")


def test_large_print_shortlist_and_pcsp_sign_off_at_80x24(tmp_path: Path) -> None:
    store = tmp_path / "needs.db"
    pid = _store(store)
    _settings()
    app = [sys.executable, "-m", "linkworker", "--db", str(store), "--today", TODAY.isoformat()]
    env = ["env", *_folders(), "NO_COLOR=1"]
    term = Terminal([*env, *app, "--unencrypted"], 80, 24)
    try:
        term.wait_for("Due today")
        term.keys("F3")
        term.wait_for("of 1")
        term.keys("Enter")
        term.wait_for(PERSON)
        _large_print_need(term)
        _large_print_shortlist(term, store.parent / "exports")
        _sign_off(term)
        term.quit()
    finally:
        term.close()
    with store_at(store) as db:
        assert information_needs.recorded_needs(db, pid).reading.large_print == 18
        signed = plans.latest_signoff(db, pid)
        assert signed is not None and signed.complete
