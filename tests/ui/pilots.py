"""Pilot helpers shared by the UI tests (fixtures are in conftest.py beside this file).

Test modules import these by name (``from pilots import wait_for_screen``): pytest puts
tests/ui on the path. Every wait here waits for something a user would see, with
``pilot.pause()`` between looks and a generous bound on the number of looks (each at
least 20 ms), never a fixed time: a busy machine makes a test slower, not wrong.
"""

from __future__ import annotations

import asyncio
import traceback
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Button, Input, Static, TextArea

from linkworker.tui.screens.person import PersonScreen

#: How many times a wait looks before it gives up (at least 20 s of pauses).
LOOKS = 1000

ScreenT = TypeVar("ScreenT", bound=Screen[Any])


async def wait_until(pilot: Pilot[Any], condition: Callable[[], object], what: str) -> None:
    """Pause until ``condition()`` is true; fail naming ``what`` if it never is."""
    for _ in range(LOOKS):
        if condition():
            return
        await pilot.pause()
    raise AssertionError(f"never happened: {what}")


async def wait_for_screen(pilot: Pilot[Any], kind: type[ScreenT]) -> ScreenT:
    """Pause until the screen in front is a ``kind``, and return it."""
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, kind), f"{kind.__name__} shown")
    await pilot.pause()  # let it finish mounting
    screen = pilot.app.screen
    assert isinstance(screen, kind)
    return screen


async def wait_for_exit(app: Any) -> None:
    """Wait until an app that is ending itself (a fault, the idle close) has stopped."""
    for _ in range(LOOKS):
        if app.return_code is not None and not app.is_running:
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the app never ended itself")


def _recomputing(app: Any) -> bool:
    """The screen's typing-pause timer has not fired yet, or a worker is still running."""
    timer = getattr(app.screen, "_timer", None)
    if timer is not None and timer._task is not None and not timer._task.done():
        return True
    return not all(worker.is_finished for worker in app.workers)


async def wait_for_report(pilot: Pilot[Any]) -> None:
    """Pause until the Reports screen has worked out its figures and shown them.

    Watches the screen's typing-pause timer and the workers themselves, not the clock: a
    fired timer starts its worker only once its message is handled, so it looks again
    after each pause.
    """
    for _ in range(LOOKS):
        await wait_until(pilot, lambda: not _recomputing(pilot.app), "the report worked out")
        await pilot.pause()
        if not _recomputing(pilot.app):
            return
    raise AssertionError("the report kept being worked out again")


def _palette_search_done(palette: CommandPalette) -> bool:
    group = CommandPalette._GATHER_COMMANDS_GROUP
    return all(w.is_finished for w in palette.app.workers if w.group == group)


async def palette_offers(pilot: Pilot[Any], words: str) -> CommandPalette:
    """Pause until the command palette has finished searching and highlights ``words``."""

    def settled() -> bool:
        palette = pilot.app.screen
        if not isinstance(palette, CommandPalette) or not _palette_search_done(palette):
            return False
        hits = palette.query_one(CommandList)
        if hits.highlighted is None:
            return False
        prompt = str(hits.get_option_at_index(hits.highlighted).prompt)
        return words.lower() in prompt.lower()

    await wait_until(pilot, settled, f"the command palette offering {words!r}")
    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette)
    return palette


async def open_person(pilot: Pilot[Any], person_id: int) -> PersonScreen:
    """Open one person's record, as Enter on the caseload does, and return the screen."""
    await pilot.pause()
    pilot.app.open_person(person_id)  # type: ignore[attr-defined]
    return await wait_for_screen(pilot, PersonScreen)


async def type_into(pilot: Pilot[Any], field_id: str, text: str, *, keys: bool = False) -> None:
    """Put ``text`` in the Input or TextArea ``#field_id`` of the screen in front.

    As a paste would (replacing what was there), or key by key when ``keys`` (slow: each
    key waits for the app to settle) for a test about what typing does.
    """
    box = pilot.app.screen.query_one(f"#{field_id}")
    assert isinstance(box, (Input, TextArea)), f"#{field_id} is not a text field"
    box.focus()
    await pilot.pause()
    if isinstance(box, Input):
        box.value = ""
        if keys:
            await pilot.press(*text)
        else:
            box.insert_text_at_cursor(text)
    else:
        box.text = ""
        if keys:
            await pilot.press(*text)
        else:
            box.insert(text)
    await pilot.pause()


async def press_save(pilot: Pilot[Any]) -> None:
    """Ctrl+S, the key that saves every form (form.save), then let the app settle."""
    await pilot.press("ctrl+s")
    await pilot.pause()


async def fill_measure(pilot: Pilot[Any], answers: list[str]) -> Any:
    """Type ``answers`` into the measure form in front, in item order, and save it; the form.

    A scale that stops below 10 moves on by itself after one key; a 0-10 answer (or a blank)
    moves on with Enter.
    """
    from linkworker.tui.screens.measure import MeasureForm

    form = pilot.app.screen
    assert isinstance(form, MeasureForm)
    form.query_one(f"#answer-{form.definition.items[0].key}", Input).focus()
    for answer in answers:
        if answer:
            await pilot.press(*answer)
        if len(answer) != 1 or form.definition.items[0].max_value == 10:
            await pilot.press("enter")  # 0-10 answers (and blanks) move on with Enter
    await pilot.press("ctrl+s")
    await pilot.pause()
    return form


async def asks_then_saves(pilot: Any, on: str, at: str, said: str, button: str) -> None:
    """Type the date and time, save: the warning says ``said`` and the button ``button``;
    nothing is saved until a second save."""
    screen = pilot.app.screen
    screen.query_one("#due_on", Input).value = on
    screen.query_one("#due_time", Input).value = at
    await press_save(pilot)
    assert said in str(screen.query_one("#form-warning", Static).render())
    assert str(screen.query_one("#save", Button).label) == f"{button} (Ctrl+S)"
    assert not pilot.app.results
    await press_save(pilot)
    await wait_until(pilot, lambda: bool(pilot.app.results), "the save")


async def back_to_section(pilot: Pilot[Any], kind: type[ScreenT], key: str) -> ScreenT:
    """The section ``kind`` in front (dialogs and screens over it closed; ``key`` pressed
    when another section is), for checks that share one start of the app."""
    app = pilot.app
    while len(app.screen_stack) > 1 and not isinstance(app.screen, kind):
        app.pop_screen()
        await pilot.pause()
    if not isinstance(app.screen, kind):
        await pilot.press(key)
    return await wait_for_screen(pilot, kind)


CheckT = TypeVar("CheckT", bound=Callable[..., Awaitable[None]])


async def each_check(checks: Sequence[CheckT], run: Callable[[CheckT], Awaitable[None]]) -> None:
    """``run`` every check, each after the one before, on one start of the app. A check that
    fails does not stop the ones after it: the test fails at the end, naming each check that
    failed, with its traceback."""
    failed: list[str] = []
    for check in checks:
        try:
            await run(check)
        except Exception:
            failed.append(f"{check.__name__} failed:\n{traceback.format_exc()}")
    assert not failed, "\n".join(failed)
