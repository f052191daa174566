"""Python's garbage collector in a long session: what lives for the whole session is set aside.

Now and then the cyclic collector re-reads every object that has survived it. In linkworker
that is about 130,000 objects (the modules, pydantic's schemas, the holiday calendars, the
app and its screens), which took 150-300 ms a time on the 2-core machine, and the
caseload's table makes enough short-lived cycles (Textual's render caches) to set it off
every few keystrokes: a keystroke that met it waited that long. ``gc.freeze()`` moves what
is alive now out of the collector's sight. Those objects are still freed as soon as nothing
refers to them; only a cycle among them is never collected, and what is made later is
collected as before.
"""

from __future__ import annotations

import gc

_set_aside = False


def set_aside_long_lived() -> None:
    """Keep the objects alive now out of the cyclic collector's rounds (once a process).

    Once a process, not once a screen: the cyclic garbage lying about when it is called
    is never collected, so calling it again and again (a test suite opens many apps)
    would keep each time's garbage for good.
    """
    global _set_aside
    if not _set_aside:
        _set_aside = True
        gc.freeze()
