"""Issue 20's outcomes at 80x24 in a real terminal, in the ANSI theme with NO_COLOR=1:
Today shows "outcomes due" for someone at their first contact after acceptance, the
person's record says so, and CollaboRATE, offered once a planning conversation is saved, is
recorded and appears in the outcomes view with its attribution.

With NO_COLOR there are no colours to tell where the focus is, so every key waits for what
the screen shows: a form by its heading, each answer by its label appearing (one key is a
whole CollaboRATE answer, and the form moves on by itself). It never sleeps for a fixed time.
"""

from __future__ import annotations

import sys
import time
from datetime import time as clock_time
from pathlib import Path

from tests.acceptance.test_tmux_corrections import _folders, quit_app
from tests.acceptance.test_tmux_journey import Terminal, pytestmark  # noqa: F401
from tests.factories import TODAY, add_person_with_referral, store_at

from linkworker import paths
from linkworker.clock import fixed
from linkworker.followups import schedule
from linkworker.models import FollowUpDetails

MIDNIGHT = fixed(TODAY, clock_time(0, 0))
PERSON = "Person · unencrypted — Joan Smith"
TOP = "Every effort was"  # a label beside an answer wraps at 80 columns
ATTRIBUTION = "CollaboRATE: Elwyn G, Barr PJ et al. 2013; CC BY-NC-ND 3.0"


def _store(path: Path) -> None:
    """Joan Smith, accepted today at her first contact, a follow-up booked for today, and no
    measure taken yet."""
    with store_at(path) as db:
        pid, _ = add_person_with_referral(
            db,
            MIDNIGHT,
            status="accepted",
            referral={"on": TODAY},
            given_name="Joan",
            family_name="Smith",
        )
        schedule(db, pid, FollowUpDetails(due_on=TODAY, purpose="First meeting"), MIDNIGHT)
    # Signed in already: the first run's "Who is writing?" is not what this test is about.
    settings = paths.settings_path()
    settings.parent.mkdir(parents=True, exist_ok=True)
    # In the ANSI theme (the terminal's own colours), as issue 20 asks it checked.
    settings.write_text('worker_name = "Sam Okafor"\ntheme = "ansi-dark"\n', encoding="utf-8")


def _answer(term: Terminal, key: str, label: str) -> None:
    """Type one answer and wait until its label shows beside it (one more on the screen)."""
    before = term.screen().count(label)
    term.keys("-l", key)
    deadline = time.monotonic() + 60
    while term.screen().count(label) <= before:
        if time.monotonic() > deadline:
            raise AssertionError(f"answer {key} never showed:\n{term.screen()}")
        time.sleep(0.05)


def _today_shows_outcomes_due(term: Terminal) -> None:
    # Each thing looked for is waited for: a screen is drawn a piece at a time.
    term.wait_for_all("OUTCOMES DUE (1)", "Outcomes: 1", "Baseline measure due", "Joan Smith")


def _collaborate_after_a_conversation(term: Terminal) -> None:
    term.keys("w")
    term.wait_for("What matters")
    term.wait_for("Ctrl+S")
    for typed, shows in (("Gard", "Gard"), ("ening", "Gardening")):
        term.keys("-l", typed)
        term.wait_for(shows)
    term.keys("C-s")
    term.wait_for("Ask CollaboRATE now?")
    term.keys("Enter")
    term.wait_for("CollaboRATE: involvement in the conversation: Joan Smith")
    # The authors' wording, wrapped at 80 columns (the form is drawn after its heading).
    term.wait_for_all(
        "you understand your health issues?",
        "1. How much effort was made to help",
        "Answers: 0 No effort was made … 9 Every effort was made",
    )
    for _ in range(3):
        _answer(term, "9", TOP)
    term.keys("C-s")
    term.wait_for("CollaboRATE saved")
    term.wait_for(PERSON)


def test_outcomes_due_and_collaborate_at_80x24_without_colour(tmp_path: Path) -> None:
    store = tmp_path / "outcomes.db"
    _store(store)
    app = [sys.executable, "-m", "linkworker", "--db", str(store), "--today", TODAY.isoformat()]
    term = Terminal(["env", "NO_COLOR=1", *_folders(), *app, "--unencrypted"], 80, 24)
    try:
        _today_shows_outcomes_due(term)
        term.keys("F3")
        term.wait_for("of 1")
        term.keys("Enter")
        term.wait_for(PERSON)
        term.wait_for("Outcomes due: baseline")
        _collaborate_after_a_conversation(term)
        term.keys("o")
        term.wait_for("CollaboRATE: involvement in the conversation")
        assert "CollaboRATE mean" in term.wait_for("9 top score")
        term.wait_for(ATTRIBUTION)
        quit_app(term)
    finally:
        term.close()
