"""linkworker's own TOML files (the keys, the screens' words), parsed once and kept as JSON.

``tomllib`` is pure Python: importing it and parsing ``tui/keymap.toml`` and
``tui/guides.toml`` took ~5 ms of every start, before Today's first paint (issue 18). What a
file parses to is kept in ``paths.cache_dir()/package-NAME.json`` with a stamp of the file
it was parsed from (its size and modification time), and read from there while the stamp
matches. The file is a cache, never the authority: a missing, damaged or stale one is
parsed again and rewritten, and one that cannot be written is simply not kept.

Only linkworker's package data is read this way; settings.toml, which a person edits, is
read by :mod:`linkworker.settings_start` and :mod:`linkworker.settings` every time.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from linkworker import paths

#: The cache file's layout; a file of another version is parsed again.
CACHE_VERSION = 1


def cache_file(source: Path) -> Path:
    """Where what ``source`` parses to is kept."""
    return paths.cache_dir() / f"package-{source.stem}.json"


def _stamp(source: Path) -> str:
    found = os.stat(source)
    return f"{found.st_size}:{found.st_mtime_ns}"


def read_package_toml(source: Path) -> dict[str, Any]:
    """What the package's TOML file ``source`` holds, from its cache while that is current."""
    stamp = _stamp(source)
    kept = cache_file(source)
    try:
        cached = json.loads(kept.read_text(encoding="utf-8"))
        if (
            isinstance(cached, dict)
            and cached.get("version") == CACHE_VERSION
            and cached.get("source") == str(source)
            and cached.get("stamp") == stamp
            and isinstance(cached.get("data"), dict)
        ):
            data: dict[str, Any] = cached["data"]
            return data
    except (OSError, ValueError):
        pass
    import tomllib

    data = tomllib.loads(source.read_text(encoding="utf-8"))
    # JSON holds what these files hold (tables, lists, words, numbers, switches); a file
    # that came to hold a date or a time could not come back the same, so it is not kept.
    try:
        same = json.loads(json.dumps(data)) == data
    except (TypeError, ValueError):
        same = False
    if same:
        _keep(kept, {"version": CACHE_VERSION, "source": str(source), "stamp": stamp, "data": data})
    return data


def _keep(path: Path, cached: dict[str, Any]) -> None:
    from linkworker.formats import writer

    try:
        writer.make_folder(path.parent, parents=True)
        writer.write_text(path, json.dumps(cached) + "\n", force=True)
    except (OSError, writer.ExportError):
        pass  # a cache that cannot be kept costs time, never an answer
