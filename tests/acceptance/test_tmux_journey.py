"""The real program in a real terminal: tmux send-keys and capture-pane, as a user sees it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

TMUX = shutil.which("tmux")
pytestmark = pytest.mark.skipif(
    TMUX is None, reason="tmux is not installed (apt-get install tmux to run this test)"
)


class Terminal:
    """One tmux session running linkworker."""

    def __init__(self, command: list[str], width: int, height: int) -> None:
        self.name = f"lw-{uuid.uuid4().hex[:8]}"
        shell_command = " ".join(_quote(c) for c in command)
        subprocess.run(
            [
                str(TMUX),
                "new-session",
                "-d",
                "-s",
                self.name,
                "-x",
                str(width),
                "-y",
                str(height),
                shell_command,
            ],
            check=True,
        )

    def screen(self, *, escapes: bool = False) -> str:
        """What the terminal shows; with ``escapes``, with its colours as escape codes."""
        colours = ["-e"] if escapes else []
        result = subprocess.run(
            [str(TMUX), "capture-pane", "-p", *colours, "-t", self.name],
            capture_output=True,
            text=True,
        )
        return result.stdout

    def wait_until(self, shows: Callable[[str], bool], what: str, timeout: float = 60.0) -> str:
        """The screen once ``shows(screen)`` holds; fails with ``what`` and the screen."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = self.screen()
            if shows(shown):
                return shown
            time.sleep(0.05)
        raise AssertionError(f"{what}; the screen shows:\n{self.screen()}")

    def wait_for(self, text: str, timeout: float = 60.0) -> str:
        return self.wait_until(lambda shown: text in shown, f"{text!r} never appeared", timeout)

    def wait_for_all(self, *texts: str, timeout: float = 60.0) -> str:
        """The screen once it shows every one of ``texts`` at once: a screen is painted in
        parts (a header before the table a worker fills), so what a test then checks on the
        screen is waited for with the text that says the screen has arrived."""
        missing = f"{texts!r} never all appeared"
        return self.wait_until(lambda shown: all(text in shown for text in texts), missing, timeout)

    def wait_until_gone(self, text: str, timeout: float = 60.0) -> str:
        gone = f"{text!r} never went away"
        return self.wait_until(lambda shown: text not in shown, gone, timeout)

    def keys(self, *keys: str) -> None:
        subprocess.run([str(TMUX), "send-keys", "-t", self.name, *keys], check=True)

    def alive(self) -> bool:
        return (
            subprocess.run(
                [str(TMUX), "has-session", "-t", self.name], capture_output=True
            ).returncode
            == 0
        )

    def quit(self, timeout: float = 60.0) -> None:
        """Ctrl+Q, then wait until the app has gone (an AssertionError if it never does)."""
        self.keys("C-q")
        deadline = time.monotonic() + timeout
        while self.alive() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not self.alive(), "the app did not quit on Ctrl+Q"

    def close(self) -> None:
        subprocess.run([str(TMUX), "kill-session", "-t", self.name], capture_output=True)


def quit_app(terminal: Terminal, timeout: float = 60.0) -> None:
    """Ctrl+Q, then wait (without a fixed sleep) until the app has gone."""
    terminal.keys("C-q")
    deadline = time.monotonic() + timeout
    while terminal.alive() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not terminal.alive(), "the app did not quit on Ctrl+Q"


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


@pytest.fixture
def demo_store(tmp_path: Path) -> Path:
    store = tmp_path / "journey.db"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "linkworker",
            "demo",
            "--db",
            str(store),
            "--people",
            "40",
            "--seed",
            "11",
            "--today",
            "2026-11-23",
            "--unencrypted",
        ],
        check=True,
        capture_output=True,
    )
    return store


@pytest.fixture
def terminal(demo_store: Path) -> Iterator[Terminal]:
    # tmux runs the command in its server's environment, which may be older than this
    # test's: pass the test's own folders, so the program never reads a real settings file.
    folders = [
        f"{name}={os.environ[name]}"
        for name in ("LINKWORKER_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME")
        if name in os.environ
    ]
    program = [sys.executable, "-m", "linkworker", "--db", str(demo_store)]
    term = Terminal(
        ["env", *folders, *program, "--today", "2026-11-23"],
        80,
        24,
    )
    yield term
    term.close()


def test_from_today_to_a_person_and_out_at_80x24(terminal: Terminal, demo_store: Path) -> None:
    # A first run asks who is writing (the store's settings have no name yet): Skip it.
    terminal.wait_for("Who is writing?")
    terminal.keys("Escape")
    terminal.wait_for_all("Due today", "Mon 23 Nov 2026")
    terminal.keys("F3")
    terminal.wait_for_all("of 40", "Name", "Status")
    import sqlite3

    conn = sqlite3.connect(demo_store)
    given, family = conn.execute(
        "SELECT given_name, family_name FROM people ORDER BY id LIMIT 1"
    ).fetchone()
    conn.close()
    terminal.keys("/")
    terminal.keys("-l", f"{given} {family}".lower())
    # The status line stops saying "of 40" once the filter has been applied.
    shown = terminal.wait_until_gone("of 40")
    assert f"{given} {family}" in shown
    terminal.keys("Enter")  # Enter in the filter opens the highlighted match
    shown = terminal.wait_for("born")
    assert f"{given} {family}" in shown
    assert "Referral" in shown or "No referral yet" in shown
    terminal.keys("Escape")
    terminal.wait_for("of ")
    quit_app(terminal)
