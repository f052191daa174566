"""What the app's stylesheets parse to, kept in the cache folder between starts.

Textual tokenises every stylesheet source as the app starts (linkworker's .tcss files and
the widgets' DEFAULT_CSS: ~200 rules), ~15 ms of every start before Today's first paint
(issue 18); loading what they parsed to last time takes ~2 ms. So the `linkworker` command
names a folder (:func:`keep_in`), :class:`~linkworker.tui.stylesheet.ParsedOnceStylesheet`
reads a theme's parsed sources from there the first time it needs them, and the app writes
back what it parsed anew as it closes (:func:`save`).

Each entry is keyed by the source's own text (and where it was read from), so a changed
.tcss file or widget simply misses and is parsed again. A file belongs to one theme's
variables, one installed Textual (the stamp of its files) and one Python: it records them,
its name is their checksum, and an upgrade starts a new one.

The file is a Python pickle, which runs code as it loads, so it is trusted as Python trusts
its own ``__pycache__``: only a file in the user's private cache folder, owned by the user
and writable by no one else, is read; anything else, or anything that does not load as
parsed rules, is ignored and written again.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import stat
import sys
import zlib
from pathlib import Path
from typing import Any

import textual
from textual.css.model import RuleSet

#: Parsed sources of one theme: (source text, read from, is default, tie breaker, scope).
Parsed = dict[tuple[Any, ...], list[RuleSet]]
Theme = tuple[tuple[str, str], ...]

_folder: Path | None = None
_read: dict[Theme, int] = {}  # how many entries each theme's file held when read


def keep_in(folder: Path | None) -> None:
    """Keep parsed styles in ``folder`` from now on (None: keep none, the default)."""
    global _folder
    _folder = folder
    _read.clear()


def kept_file(theme: Theme) -> Path | None:
    """The file ``theme``'s parsed styles are kept in, or None when none are kept."""
    if _folder is None:
        return None
    # Textual's version is read from its package metadata (~12 ms): its files' stamp is not.
    return _folder / f"styles-{zlib.crc32(repr(_made_for(theme)).encode()):08x}.pickle"


def _made_for(theme: Theme) -> tuple[object, ...]:
    """What a kept file must have been made for: the theme, this Python, this Textual."""
    installed = os.stat(textual.__file__)
    return (installed.st_size, installed.st_mtime_ns, sys.version, theme)


def read(theme: Theme) -> Parsed:
    """``theme``'s parsed styles as last kept, or nothing when none can be trusted."""
    path = kept_file(theme)
    _read[theme] = 0
    if path is None:
        return {}
    try:
        with open(path, "rb") as handle:
            found = os.fstat(handle.fileno())
            if not _private(found):
                return {}
            made_for, parsed = pickle.load(handle)
    except Exception:  # missing, damaged, or of another build: parsed again
        return {}
    if made_for != _made_for(theme) or not isinstance(parsed, dict):
        return {}  # another theme's (the name is a checksum) or another build's
    if not all(_rules(rules) for rules in parsed.values()):
        return {}
    _read[theme] = len(parsed)
    return parsed


def save(parsed: dict[Theme, Parsed]) -> None:
    """Write back each theme's parsed styles that gained entries since they were read."""
    from linkworker.formats import writer

    for theme, sources in parsed.items():
        path = kept_file(theme)
        if path is None or len(sources) <= _read.get(theme, 0):
            continue
        with contextlib.suppress(OSError, writer.ExportError, pickle.PicklingError):
            writer.make_folder(path.parent, parents=True)
            kept = pickle.dumps((_made_for(theme), sources), protocol=pickle.HIGHEST_PROTOCOL)
            writer.write_file(path, kept, force=True)
            _read[theme] = len(sources)


def _private(found: os.stat_result) -> bool:
    owner = not hasattr(os, "getuid") or found.st_uid == os.getuid()
    return owner and stat.S_ISREG(found.st_mode) and not found.st_mode & 0o022


def _rules(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(rule, RuleSet) for rule in value)
