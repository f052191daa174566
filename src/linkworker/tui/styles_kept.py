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

A theme's entries are kept in two files: those the last start looked up before Today's
first frame (:meth:`ParsedOnceStylesheet.started` marks its end), read as the stylesheet is
first parsed, and the rest (the other sections', forms' and dialogs' styles), read only
when a source is not among the first (``-later``). Loading all of them took ~11 ms of the
start, when it needs little more than half (issue 18).

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
_read: dict[tuple[Theme, str], set[Any]] = {}  # the keys each (theme, part) file held when read

#: The file names' endings of a theme's two parts: what the start needs, and the rest.
START, LATER = "", "-later"


def keep_in(folder: Path | None) -> None:
    """Keep parsed styles in ``folder`` from now on (None: keep none, the default)."""
    global _folder
    _folder = folder
    _read.clear()


def kept_file(theme: Theme, part: str = START) -> Path | None:
    """The file one part of ``theme``'s parsed styles is kept in (None: none are kept)."""
    if _folder is None:
        return None
    # Textual's version is read from its package metadata (~12 ms): its files' stamp is not.
    return _folder / f"styles-{zlib.crc32(repr(_made_for(theme)).encode()):08x}{part}.pickle"


def _made_for(theme: Theme) -> tuple[object, ...]:
    """What a kept file must have been made for: the theme, this Python, this Textual."""
    installed = os.stat(textual.__file__)
    return (installed.st_size, installed.st_mtime_ns, sys.version, theme)


def read(theme: Theme, part: str = START) -> Parsed:
    """One part of ``theme``'s parsed styles as last kept (the start's, unless ``part`` is
    LATER), or nothing when none can be trusted."""
    path = kept_file(theme, part)
    _read[theme, part] = set()
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
    _read[theme, part] = set(parsed)
    return parsed


def save(parsed: dict[Theme, Parsed], at_start: dict[Theme, set[Any]]) -> None:
    """Write back each theme's parsed styles in two parts, those in ``at_start`` (looked
    up before the first frame) and the rest, each part only if its entries changed."""
    for theme, sources in parsed.items():
        if (theme, LATER) not in _read:  # kept from earlier starts, unread this time
            sources = {**read(theme, LATER), **sources}
        first = at_start.get(theme, set())
        _save(theme, START, {k: v for k, v in sources.items() if k in first})
        _save(theme, LATER, {k: v for k, v in sources.items() if k not in first})


def _save(theme: Theme, part: str, sources: Parsed) -> None:
    from linkworker.formats import writer

    path = kept_file(theme, part)
    if path is None or set(sources) == _read.get((theme, part)):
        return
    with contextlib.suppress(OSError, writer.ExportError, pickle.PicklingError):
        writer.make_folder(path.parent, parents=True)
        kept = pickle.dumps((_made_for(theme), sources), protocol=pickle.HIGHEST_PROTOCOL)
        writer.write_file(path, kept, force=True)
        _read[theme, part] = set(sources)


def _private(found: os.stat_result) -> bool:
    owner = not hasattr(os, "getuid") or found.st_uid == os.getuid()
    return owner and stat.S_ISREG(found.st_mode) and not found.st_mode & 0o022


def _rules(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(rule, RuleSet) for rule in value)
