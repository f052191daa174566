"""Python's cycle collector: held while the app starts, and what lives for the session set aside.

Two moments, one owner:

- **At start.** Starting the app makes some 55,000 long-lived objects (modules, classes,
  styles, widgets) and hardly any garbage that only the cycle collector could free (~2,000
  objects). With the collector on, it ran about 125 times before Today's first frame, a full
  pass of ~15 ms among them, some 20 ms more than an empty Textual app spends (issue 18). So
  the `linkworker` command holds it (:func:`hold_for_start`) before importing the app, and
  the app lets it go (:func:`resume_after_start`) after Today's first frame, or a few
  seconds after starting when no store opens (a passphrase asked, a message shown). What the
  start made is then frozen (``gc.freeze``); reference counting freed everything else as
  usual meanwhile.
- **In a long session.** Now and then the cyclic collector re-reads every object that has
  survived it. In linkworker that is about 130,000 objects (the modules, pydantic's schemas,
  the holiday calendars, the app and its screens), which took 150-300 ms a time on the
  2-core machine, and the caseload's table makes enough short-lived cycles (Textual's render
  caches) to set it off every few keystrokes: a keystroke that met it waited that long.
  :func:`set_aside_long_lived` (the caseload calls it when first shown) freezes what is
  alive then.

Frozen objects are still freed as soon as nothing refers to them; only a cycle among them is
never collected, and what is made later is collected as before. Each freeze happens once a
process at most: the cyclic garbage lying about at the time is kept for good, so freezing
again and again (a test suite opens many apps) would keep each time's garbage.
"""

from __future__ import annotations

import gc

#: The app lets the collector go this long after starting, whatever it is showing.
AT_THE_LATEST_SECONDS = 5.0

_set_aside = False
_held = False


def set_aside_long_lived() -> None:
    """Keep the objects alive now out of the cyclic collector's rounds (once a process)."""
    global _set_aside
    if not _set_aside:
        _set_aside = True
        gc.freeze()


def hold_for_start() -> None:
    """Stop cycle collections until :func:`resume_after_start` (the command calls this
    before importing the app)."""
    global _held
    if gc.isenabled():
        gc.disable()
        _held = True


def resume_after_start() -> None:
    """Freeze what the start made and collect cycles again; nothing when nothing was held
    (an app started by a test or another program leaves their collector alone)."""
    global _held
    if not _held:
        return
    _held = False
    gc.freeze()
    gc.enable()
