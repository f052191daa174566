"""Python's cycle collector held while the app starts, and let go once Today is painted.

Starting the app makes some 55,000 long-lived objects (modules, classes, styles, widgets)
and hardly any garbage that only the cycle collector could free (~2,000 objects). With the
collector on, it ran about 125 times before Today's first frame, a full pass of ~15 ms among
them, some 20 ms more than an empty Textual app spends (issue 18). So the `linkworker`
command holds it (:func:`hold`) before importing the app, and the app lets it go
(:func:`resume`) after its first frame, or a few seconds after starting when no store opens
(a passphrase asked, a message shown). Reference counting frees everything else as usual.

On resuming, what the start made is frozen (``gc.freeze``): later collections, during a
section switch or a keystroke, then skip those objects, which will live as long as the app
anyway. The start's little cyclic garbage stays with them.
"""

from __future__ import annotations

import gc

#: The app lets the collector go this long after starting, whatever it is showing.
AT_THE_LATEST_SECONDS = 5.0

_held = False


def hold() -> None:
    """Stop cycle collections until :func:`resume` (the command, before importing the app)."""
    global _held
    if gc.isenabled():
        gc.disable()
        _held = True


def resume() -> None:
    """Freeze what the start made and collect cycles again; nothing when nothing was held
    (an app started by a test or another program leaves their collector alone)."""
    global _held
    if not _held:
        return
    _held = False
    gc.freeze()
    gc.enable()
