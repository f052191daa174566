"""Every UI test's Pilot waits, after each key and each pause, until the app has settled.

Textual's Pilot decides the app is idle by comparing the process's CPU time with the wall
clock (``textual._wait.wait_for_idle``): on a busy machine a process starved of CPU looks
idle, so the next key was sent while F3's switch to Caseload (or a screen being opened)
was still under way, and it reached the old screen or was lost. ``steady_pilot`` (the
autouse fixture in conftest.py) replaces ``Pilot.press`` and ``Pilot.pause`` with versions
that wait for what the app is doing, not for time:

- the screen stack and the current section (mode) no longer change,
- no message is waiting in the app or in any widget of the screen in front (the check
  Textual's own ``Pilot._wait_for_screen`` makes, repeated until nothing new arrives:
  a switch mounts a whole screen, whose widgets post their own messages),
- the screen in front and the focused widget have finished mounting, and the app holds
  no key typed ahead of them (linkworker.tui.typed_ahead),
- and, after a key, every worker that key started has finished (and its result has been
  delivered). A test that holds a worker on purpose says so with ``workers_left_running``.

No wait here has a time in it: each is bounded by a number of looks (``LOOKS``), and
running out of looks fails the test naming what never settled.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.worker import Worker

from linkworker.tui.typed_ahead import LOOK_SECONDS, TypedAhead

#: How many rounds a settle makes before it fails (each round lets every pending
#: message be handled; a settled app needs one).
LOOKS = 1000

#: Whether a key waits for the workers it started (see ``workers_left_running``).
_wait_for_workers = True

_textual_press = Pilot.press
_textual_pause = Pilot.pause


@contextmanager
def workers_left_running() -> Iterator[None]:
    """Keys pressed inside this block do not wait for the workers they start.

    For a test that holds a worker on purpose (to show the screen keeps responding while
    it runs): waiting for it would wait for the test itself.
    """
    global _wait_for_workers
    _wait_for_workers = False
    try:
        yield
    finally:
        _wait_for_workers = True


def _shape(app: App[Any]) -> tuple[object, ...]:
    """What a settled app keeps still: section, screen stack, widgets in front, focus."""
    screen = app.screen
    return (
        app.current_mode,
        tuple(id(each) for each in app.screen_stack),
        sum(1 for _ in screen.walk_children(with_self=True)),
        id(app.focused),
    )


def _keys_held(app: App[Any]) -> int:
    """Keys the app holds until its screen has settled (linkworker.tui.typed_ahead)."""
    typed_ahead = getattr(app, "typed_ahead", None)
    return typed_ahead.held if isinstance(typed_ahead, TypedAhead) else 0


def _looks_made(app: App[Any]) -> int:
    typed_ahead = getattr(app, "typed_ahead", None)
    return typed_ahead.looks_made if isinstance(typed_ahead, TypedAhead) else 0


def _waiting(app: App[Any]) -> list[str]:
    """What still has work queued, or has not finished mounting (empty when settled)."""
    screen = app.screen
    busy = [
        repr(node)
        for node in (app, *screen.walk_children(with_self=True))
        if not node._message_queue.empty() or node._next_callbacks
    ]
    if _keys_held(app):
        busy.append(f"{_keys_held(app)} keys typed ahead")
    if not screen.is_mounted:
        busy.append(f"{screen!r} mounting")
    focused = app.focused
    if focused is not None and not focused.is_mounted:
        busy.append(f"{focused!r} (focused) mounting")
    return busy


def _ending(app: App[Any]) -> bool:
    return app._exit or app._closing or not app.is_running or not app.screen_stack


async def settle(pilot: Pilot[Any]) -> None:
    """Wait until the app's screens, messages and focus have stopped changing."""
    app = pilot.app
    busy: list[str] = []
    rounds = 0
    while rounds < LOOKS:
        rounds += 1
        if _ending(app):
            return  # nothing more will settle; the test sees how it ended
        before = _shape(app)
        if not await pilot._wait_for_screen() or _ending(app):
            return  # an exception in the app (the test reports it), or it is ending
        busy = _waiting(app)
        if not busy and _shape(app) == before:
            return
        if _keys_held(app):
            looked = _looks_made(app)
            await asyncio.sleep(LOOK_SECONDS)  # the app hands them on at its next look
            if _looks_made(app) != looked:
                # The app is still looking: its own limit (MOST_LOOKS) ends the hold, so
                # this round does not count. On a loaded machine its looks come slower
                # than ours, and counting them let the test give up first.
                rounds -= 1
    raise AssertionError(f"the app never settled: still busy {busy[:5]}")


def _running(app: App[Any], before: set[Worker[Any]]) -> list[Worker[Any]]:
    return [w for w in app.workers if w not in before and not w.is_finished]


async def settle_after_key(pilot: Pilot[Any], before: set[Worker[Any]]) -> None:
    """``settle``, then wait for the workers started since ``before`` and settle again."""
    await settle(pilot)
    if not _wait_for_workers:
        return
    for _ in range(LOOKS):
        running = _running(pilot.app, before)
        if not running:
            return
        await asyncio.sleep(0.02)  # a thread worker needs the loop to hand back its result
        await settle(pilot)
    raise AssertionError(
        f"workers the key started never finished: {running}; a test that holds one on "
        "purpose presses its keys inside steady.workers_left_running()"
    )


async def steady_press(self: Pilot[Any], *keys: str) -> None:
    """``Pilot.press``, one key at a time, each waiting until the app has settled."""
    for key in keys:
        before = set(self.app.workers)
        await _textual_press(self, key)
        await settle_after_key(self, before)


async def steady_pause(self: Pilot[Any], delay: float | None = None) -> None:
    """``Pilot.pause``, then wait until the app has settled."""
    await _textual_pause(self, delay)
    await settle(self)


def install(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every Pilot of this test press keys and pause as above."""
    monkeypatch.setattr(Pilot, "press", steady_press)
    monkeypatch.setattr(Pilot, "pause", steady_pause)
