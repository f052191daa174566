"""What the `linkworker` command does before it imports the app, in one place.

The command (``cli/entry.py``) and the bench's start probe (``bench/start_probe.py``) both
start the app this way, so the figure the bench measures is the start a link worker gets:
the cycle collector held until Today's first frame (:mod:`linkworker.collector`), Today's
agenda read in a child meanwhile (:mod:`linkworker.followups.early`), and the folder the
parsed styles are kept in between starts (``tui/styles_kept.py``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from linkworker import collector, paths
from linkworker.clock import Clock
from linkworker.followups import early


def before_the_app(
    store: Path, clock: Clock, settings_file: Path | None, key: str | None
) -> dict[str, Any]:
    """Start what runs beside the app's import; the keyword arguments the app then takes
    (``early_agenda``, ``keep_styles_in``). Call it before importing ``linkworker.tui.app``."""
    collector.hold_for_start()  # until Today is painted
    return {
        "early_agenda": early.begin(store, clock, settings_file, key),
        "keep_styles_in": paths.cache_dir(),
    }
