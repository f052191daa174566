"""Issue 13's acceptance test at 80x24, in a real terminal: a contact logged with the wrong
date is corrected, a contact logged in error is struck out, a discharge in error is
reopened; all of it is in the change history and the subject access export, and the
struck-out contact no longer counts against the 6-12 norm.

A terminal takes keys as a stream of bytes, and a burst (an escape sequence such as End
followed at once by Ctrl+U and text) was not always all taken by the Input. So this test
types a few characters at a time and waits for each to show, clears a field with the
Input's own keys and sees it empty before typing, waits for each screen by its title
before the next key, and types or moves only once the focus is where the keys are meant to
go (seen in the colours capture-pane -e gives: an Input's cursor, the timeline's cursor
row). It never sleeps for a fixed time, so a busy machine only makes it slower.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from datetime import time as clock_time
from pathlib import Path

from tests.acceptance.test_tmux_journey import Terminal, pytestmark, quit_app  # noqa: F401
from tests.factories import TODAY, add_episode, store_at

from linkworker import referrals
from linkworker.clock import fixed
from linkworker.models import ContactDetails, ContactMode, DischargeReason

# The store is written at midnight of the pinned day: whatever the time of day the test
# runs at, the app's corrections (stamped with the real time on that day) are the newest.
MIDNIGHT = fixed(TODAY, clock_time(0, 0))
WORKER = "Sam Okafor"
CHUNK = 4


def _store(path: Path) -> int:
    """Joan Smith, discharged today after four contacts: 2, 9 and 20 Nov, and one logged on
    21 Nov that was really on 22 Nov."""
    with store_at(path) as db:
        episode = add_episode(db, MIDNIGHT, contacts=2, followups_due=())
        pid = episode.person_id
        for when in ("2026-11-20T10:00", "2026-11-21T10:00"):
            referrals.log_contact(
                db, pid, ContactDetails(contact_at=when, mode=ContactMode.PHONE), MIDNIGHT
            )
        referrals.discharge(
            db, episode.referral_id, TODAY, DischargeReason.GOALS_MET, "Goals met", MIDNIGHT
        )
        return pid


#: The text cursor of a focused Input: one cell in the theme's light background (256-colour 253).
INPUT_CURSOR = "\x1b[48;5;253m"


def wait_focused(term: Terminal, label: str, timeout: float = 60.0) -> None:
    """Wait until the Input labelled ``label`` has the focus (its line shows the cursor)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        lines = [line for line in term.screen(escapes=True).splitlines() if label in line]
        if lines and INPUT_CURSOR in lines[0].split(label, 1)[1]:
            return
        time.sleep(0.05)
    raise AssertionError(f"{label!r} never had the focus; the screen shows:\n{term.screen()}")


def field_value(term: Terminal, label: str) -> str | None:
    """What the form shows in the field labelled ``label`` (None when no line has it)."""
    for line in term.screen().splitlines():
        if label in line:
            return line.split(label, 1)[1].strip(" █▌▐▎▊")
    return None


def wait_for_value(term: Terminal, label: str, value: str, timeout: float = 60.0) -> None:
    """Wait until the field labelled ``label`` shows ``value`` (a trailing space shows as none)."""
    value = value.rstrip()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if field_value(term, label) == value:
            return
        time.sleep(0.05)
    raise AssertionError(
        f"{label!r} never showed {value!r} (it shows {field_value(term, label)!r}); "
        f"the screen shows:\n{term.screen()}"
    )


def type_into(term: Terminal, label: str, text: str) -> None:
    """Type ``text`` into the field labelled ``label`` once it has the focus, a few
    characters at a time, each chunk seen on the screen before the next is sent."""
    wait_focused(term, label)
    for end in range(CHUNK, len(text) + CHUNK, CHUNK):
        term.keys("-l", text[end - CHUNK : end])
        wait_for_value(term, label, text[:end])


def clear_field(term: Terminal, label: str) -> None:
    """Empty the field with the Input's own keys once it has the focus: End, then Ctrl+U
    (delete to the left), and see it empty."""
    wait_focused(term, label)
    term.keys("End")
    term.keys("C-u")
    wait_for_value(term, label, "")


#: The timeline's cursor row while the timeline has the focus (the theme's focused cursor
#: background, 256-colour 32), followed by the row's date.
CURSOR_ROW = re.compile(r"\x1b\[48;5;32m \d{1,2} [A-Z][a-z]{2} \d{4}")


ESCAPE = re.compile(r"\x1b\[[0-9;]*m")


def cursor_and_target(term: Terminal, row: str) -> tuple[int | None, int | None, str]:
    """From one capture: the timeline's cursor line (None while the timeline is not
    focused), the line of the row starting ``row`` (None if not shown), and the capture."""
    captured = term.screen(escapes=True)
    cursor = target = None
    for number, line in enumerate(captured.splitlines()):
        if CURSOR_ROW.search(line):
            cursor = number
        if ESCAPE.sub("", line).strip().strip("█▌▐ ").startswith(row):
            target = number
    return cursor, target, captured


def open_entry(term: Terminal, row: str, shows: str, timeout: float = 60.0) -> None:
    """Move the timeline's cursor to the row starting ``row`` and open it.

    The cursor and the row are read from the same capture each time, so a timeline read
    again between keys (after a reopen or a correction adds a row) cannot send the cursor
    past the row; a key is sent only once the cursor has moved since the last one, and
    Enter only once two captures a moment apart agree that the cursor is on the row.
    """
    term.wait_for(row)
    moved_from: int | None = None
    sent_at = 0.0
    deadline = time.monotonic() + timeout
    while True:
        if time.monotonic() > deadline:
            raise AssertionError(f"the cursor never reached {row!r}:\n{term.screen()}")
        at, target, captured = cursor_and_target(term, row)
        if at is not None and at == target:
            time.sleep(0.2)
            if cursor_and_target(term, row)[2] == captured:
                break
            continue
        # A key the timeline swallowed while it was read again is sent again after a while.
        waited = time.monotonic() - sent_at > 2.0
        if at is not None and target is not None and (at != moved_from or waited):
            term.keys("Down" if at < target else "Up")
            moved_from, sent_at = at, time.monotonic()
        time.sleep(0.05)
    term.keys("Enter")
    term.wait_for("Esc close")
    term.wait_for(shows)


PERSON = "Person · unencrypted — Joan Smith"


def _folders() -> list[str]:
    # tmux runs commands in its server's environment: pass this test's own folders, so the
    # app never reads or writes a real settings file.
    return [
        f"{name}={os.environ[name]}"
        for name in ("LINKWORKER_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME")
        if name in os.environ
    ]


def _sign_in(term: Terminal) -> None:
    # The first run asks who is writing: the corrections below are signed with the name.
    term.wait_for("Who is writing?")
    type_into(term, "Your name *", WORKER)
    term.keys("C-s")
    term.wait_for("Due today")
    # Its notice sits over the right of the forms below until it times out.
    term.wait_until_gone("Saved to settings.toml")


def _reopen_the_discharge(term: Terminal) -> None:
    term.keys("R")
    term.wait_for("Reopen this referral (discharged)?")
    type_into(term, "Why *", "discharged in error")
    term.keys("C-s")
    term.wait_for_all("Referral: Accepted", "contacts 4/6-12")


def _correct_the_day(term: Terminal) -> None:
    # The newest contact was logged for 21 Nov; it happened on 22 Nov.
    open_entry(term, "21 Nov 2026 10:00", "Contact at: 21/11/2026 10:00")
    term.keys("e")
    term.wait_for("Correct contact")
    wait_for_value(term, "Contact at", "21/11/2026 10:00")
    clear_field(term, "Contact at")
    type_into(term, "Contact at", "22/11/2026 10:00")
    # Down the form to Why: Mode, Outcome, Duration, Initiated by, Note, then Why. (Saved
    # today, so a reason is not needed; the worker gives one all the same.)
    for _ in range(6):
        term.keys("Tab")
    type_into(term, "Why", "wrong day typed")  # waits until Why has the focus
    term.keys("C-s")
    term.wait_for("21/11/2026 10:00 → 22/11/2026 10:00")
    term.keys("Escape")
    term.wait_for(PERSON)


def _strike_out(term: Terminal) -> None:
    # The 20 Nov contact was logged on the wrong person.
    term.wait_for("22 Nov 2026 10:00")  # the timeline has been read again since the correction
    open_entry(term, "20 Nov 2026 10:00", "Contact at: 20/11/2026 10:00")
    term.keys("x")
    term.wait_for("Strike out this contact as entered in error?")
    type_into(term, "Why *", "logged on the wrong person")
    term.keys("C-s")
    term.wait_for("Entered in error: logged on the wrong person")
    term.keys("Escape")
    # The header is painted before the timeline is read again: both are waited for.
    term.wait_for_all("contacts 3/6-12", "(entered in error: logged on the")


def _history_shows_both(term: Terminal) -> None:
    term.keys("h")
    shown = term.wait_for("Change history")
    # Newest first, and the store was written at midnight: the app's three changes lead.
    # At 80 columns the Change column is cut short (old value first).
    rows = [line.split("█")[1] for line in shown.splitlines() if " 23 Nov 2026 " in line]
    newest = "\n".join(rows[:8])
    assert "contact 4   contact at               21/11/202" in newest, shown
    assert "referral 1  status                   Discharge" in newest, shown
    assert "contact 3" in newest, shown
    term.keys("Escape")
    term.wait_for(PERSON)


def linkworker_at(store: Path) -> list[str]:
    """The command that runs linkworker on ``store`` with the suite's today."""
    return [sys.executable, "-m", "linkworker", "--db", str(store), "--today", TODAY.isoformat()]


def open_the_one_person(store: Path, person: str) -> Terminal:
    """The app at 80x24 on a new unencrypted store holding one person, signed in, on that
    person's record (its header ``person``)."""
    term = Terminal(["env", *_folders(), *linkworker_at(store), "--unencrypted"], 80, 24)
    _sign_in(term)
    term.keys("F3")
    term.wait_for("of 1")
    term.keys("Enter")
    term.wait_for(person)
    return term


def test_correct_strike_out_and_reopen_at_80x24(tmp_path: Path) -> None:
    store = tmp_path / "corrections.db"
    pid = _store(store)
    app = linkworker_at(store)
    term = open_the_one_person(store, PERSON)
    try:
        assert "Discharged" in term.wait_for("contacts 4/6-12")
        _reopen_the_discharge(term)
        _correct_the_day(term)
        _strike_out(term)
        _history_shows_both(term)
        quit_app(term)
    finally:
        term.close()
    out = tmp_path / "sar.json"
    subprocess.run(
        [*app[:3], "export", "sar", str(pid), "--db", str(store), "--output", str(out)],
        check=True,
        capture_output=True,
    )
    sar = out.with_suffix(".md").read_text()
    assert "discharged in error" in sar
    assert "2026-11-21T10:00:00 | 2026-11-22T10:00:00 | wrong day typed" in sar
    assert "entered in error: logged on the wrong person" in sar
    assert f"**Prepared by:** {WORKER}  " in sar  # signed with the name typed at first run
    assert f"| {WORKER} |" in sar  # and the corrections name who made them
