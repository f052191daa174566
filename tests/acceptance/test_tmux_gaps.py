"""Issue 16's acceptance test for unmet need, at 80x24 in a real terminal: from a person's
record the worker looks for an activity, nothing fits, Ctrl+N records the unmet need with
what was searched for, and the gap report counts it in the person's postcode district.

As in test_tmux_corrections.py: text goes in a few characters at a time, each waited for
on the screen, every screen is waited for by its words before the next key, and nothing
sleeps for a fixed time.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.acceptance.test_tmux_corrections import linkworker_at, open_the_one_person
from tests.acceptance.test_tmux_journey import Terminal, pytestmark, quit_app  # noqa: F401
from tests.factories import CLOCK, add_person_with_referral, store_at

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


def _search_line(screen: str) -> str:
    # The picker's search box is the line under its header.
    return screen.splitlines()[1].strip()


def _type_search(term: Terminal, text: str, timeout: float = 60.0) -> None:
    for end in range(CHUNK, len(text) + CHUNK, CHUNK):
        term.keys("-l", text[end - CHUNK : end])
        term.wait_until(
            lambda shown, typed=text[:end]: _search_line(shown) == typed,
            f"the search never showed {text[:end]!r}",
            timeout,
        )


def _nothing_fits(term: Terminal) -> None:
    term.keys("l")
    term.wait_for("Pick an activity")
    _type_search(term, SEARCH)
    term.wait_for("No activity matches")
    term.keys("C-n")
    term.wait_for_all(
        "Unmet need: Joan Smith",
        "Loneliness and isolation",  # the referral's need
        "No suitable activity",
        f"searched for: {SEARCH}",
    )
    term.keys("C-s")
    # Saved: the form closes, back in the search (its notice may come and go meanwhile).
    term.wait_until_gone("Unmet need: Joan Smith")
    term.wait_for("Pick an activity")
    term.keys("Escape")
    term.wait_for(PERSON)
    term.wait_for("Unmet need: Loneliness and isolation (no suitable activity)")


def _gap_report(store: Path, out: Path) -> str:
    """The gap report for November, as Markdown, from the command line."""
    period = ["--from", "2026-11-01", "--to", "2026-11-30"]
    asked = ["report", "gaps", *period, "--format", "md", "--output", str(out)]
    subprocess.run([*linkworker_at(store), *asked], check=True, capture_output=True)
    return out.read_text()


def test_an_unmet_need_from_nothing_fits_is_counted_in_the_gap_report(tmp_path: Path) -> None:
    store = tmp_path / "gaps.db"
    pid = _store(store)
    with_the_app = open_the_one_person(store, PERSON)
    try:
        _nothing_fits(with_the_app)
        quit_app(with_the_app)
    finally:
        with_the_app.close()
    report = _gap_report(store, tmp_path / "gaps.md")
    assert "- Unmet needs recorded: **<5**" in report
    assert "| HV2 | <5 | 0 | 0 | 0 | 0 | 0 | 0 | <5 |" in report
    assert "| Loneliness and isolation | <5 | 0 |" in report
    # Pseudonymised: neither the name, the full postcode nor what was searched for.
    for secret in ("Joan", "Smith", "HV2 1AB", SEARCH, str(pid) + " "):
        assert secret not in report.split("## At a glance")[1]
