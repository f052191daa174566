"""How good each feed is: stale records, what records lack, the last pull's problems, and
likely duplicates across feeds.

A record is stale when nobody has checked it (the feed's assured date, or the link worker's
own "verified") for :data:`STALE_MONTHS` months, or ever: stale records sink below fresh
ones of the same relevance in search and suggestions (:func:`freshness_rank`). Two records
of different feeds with the same name (case, spaces and punctuation folded) and the same
postcode are likely the same activity (the store computes that key, ``duplicate_key``,
m012): search shows them as one row, "also listed by".
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import PurePath
from typing import Any
from urllib.parse import urlsplit

from sqlite_utils import Database

from linkworker.directory.freshness import last_checked, stale_before
from linkworker.directory.rows import ActivityRow, decode_list

#: Months after which a record nobody has checked is stale, for ranking and the panel.
STALE_MONTHS = 12


def stale_cutoff(today: date, months: int = STALE_MONTHS) -> str:
    """The ISO date before which a check counts as stale."""
    return stale_before(today, months).isoformat()


def freshness_rank(checked: str | date | None, today: date, months: int = STALE_MONTHS) -> int:
    """0 for a fresh activity, 1 for a stale one (checked over ``months`` ago, or never).

    Sort by relevance first and by this second, so a stale record sinks below fresh
    ones of the same relevance and never below a less relevant one."""
    if checked is None or checked == "":
        return 1
    when = checked.isoformat() if isinstance(checked, date) else str(checked)[:10]
    return 1 if when < stale_cutoff(today, months) else 0


#: The same rule in SQL on activities ``a``, with :func:`stale_cutoff` as its parameter.
FRESHNESS_RANK_SQL = (
    "(CASE WHEN max(coalesce(a.assured_date, ''), coalesce(a.verified_on, '')) < ? "
    "THEN 1 ELSE 0 END)"
)


# --- Which feed a record came from ---------------------------------------------------------


def source_names(db: Database) -> dict[str, str]:
    """The remembered pulls' names by the ``feed_source`` their records carry."""
    names: dict[str, str] = {}
    for row in db.query("SELECT name, url FROM directory_sources"):
        names[str(row["url"])] = str(row["name"])
        names[str(row["name"])] = str(row["name"])
    return names


def source_label(feed_source: str | None, names: dict[str, str]) -> str:
    """A feed as the link worker calls it: a pull's name, a file's name, or "added by you"."""
    if not feed_source:
        return "added by you"
    if feed_source in names:
        return names[feed_source]
    if urlsplit(feed_source).scheme in ("http", "https"):
        return urlsplit(feed_source).netloc or feed_source
    return PurePath(feed_source).name or feed_source


# --- Likely duplicates in search -----------------------------------------------------------


@dataclass
class Collapsed:
    """A page of rows with the likely duplicates folded into the row shown first."""

    rows: list[ActivityRow]
    also_listed: dict[int, list[str]] = field(default_factory=dict)  # id -> other feeds
    folded: int = 0  # rows of this page shown as another row's "also listed by"


def _feeds_by_key(db: Database, keys: Sequence[str]) -> dict[str, set[str | None]]:
    """The feeds that list an active activity of each duplicate key (indexed: m012)."""
    marks = ", ".join("?" for _ in keys)
    found: dict[str, set[str | None]] = defaultdict(set)
    for key, feed in db.execute(
        "SELECT duplicate_key, feed_source FROM activities WHERE retired = 0 "
        f"AND duplicate_key IN ({marks})",
        list(keys),
    ).fetchall():
        found[str(key)].add(feed)
    return found


def collapse_duplicates(db: Database, rows: list[ActivityRow]) -> Collapsed:
    """One row per likely duplicate: the first shown keeps its place and names the other
    feeds that list it; the others (of another feed) are left out of this page."""
    keys = sorted({r["duplicate_key"] for r in rows if r["duplicate_key"]})
    if not keys:
        return Collapsed(rows)
    feeds = _feeds_by_key(db, keys)
    names = source_names(db)
    result = Collapsed([])
    shown: dict[str, ActivityRow] = {}
    for row in rows:
        key = row["duplicate_key"]
        first = shown.get(key) if key else None
        if first is not None and first["feed_source"] != row["feed_source"]:
            result.folded += 1
            continue
        result.rows.append(row)
        if key is None:
            continue
        shown.setdefault(key, row)
        own = source_label(row["feed_source"], names)
        also = {source_label(feed, names) for feed in feeds.get(key, set())} - {own}
        if also:
            result.also_listed[row["id"]] = sorted(also)
    return result


def also_listed_words(sources: Iterable[str]) -> str:
    """ "also listed by Council A and Hub B"."""
    names = list(sources)
    if not names:
        return ""
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"also listed by {joined}"


# --- The feed-quality panel ----------------------------------------------------------------


@dataclass
class SourceQuality:
    """One feed's quality: its records and what they lack, and its last pull's problems."""

    source: str  # as the link worker calls it
    kind: str  # "pull", "file" or "hand"
    url: str | None
    last_pulled: str | None
    records: int = 0
    stale: int = 0
    no_contact: int = 0
    no_location: int = 0
    no_schedule: int = 0
    duplicates: int = 0  # records another feed also lists
    paging_problems: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # the last pull's other errors

    @property
    def stale_percent(self) -> int:
        """Whole per cent of the records that are stale (0 with no records)."""
        return round(100 * self.stale / self.records) if self.records else 0

    def as_json(self) -> dict[str, Any]:
        """The figures as ``directory quality --json`` gives them."""
        return asdict(self) | {"stale_percent": self.stale_percent}


def _has_contact(row: dict[str, Any]) -> bool:
    return bool(
        row["phone"]
        or row["email"]
        or row["url"]
        or decode_list(row["phones"])
        or decode_list(row["contacts"])
    )


def _has_location(row: dict[str, Any]) -> bool:
    return bool(row["venue"] or row["address"] or row["postcode"] or decode_list(row["locations"]))


def _has_schedule(row: dict[str, Any]) -> bool:
    return bool(row["schedule_text"] or decode_list(row["schedules"]))


def _pulled(db: Database, names: dict[str, str]) -> dict[str, SourceQuality]:
    found: dict[str, SourceQuality] = {}
    for row in db.query("SELECT * FROM directory_sources ORDER BY id"):
        paging = [str(p) for p in json.loads(row["paging_problems"] or "[]")]
        errors = [str(e) for e in json.loads(row["last_errors"] or "[]") if e not in paging]
        found[str(row["name"])] = SourceQuality(
            source=str(row["name"]),
            kind="pull",
            url=str(row["url"]),
            last_pulled=row["last_pulled"],
            paging_problems=paging,
            errors=errors,
        )
    return found


def _count(entry: SourceQuality, row: dict[str, Any], today: date) -> None:
    entry.records += 1
    checked = last_checked(row)  # type: ignore[arg-type]
    entry.stale += freshness_rank(checked, today)
    entry.no_contact += not _has_contact(row)
    entry.no_location += not _has_location(row)
    entry.no_schedule += not _has_schedule(row)


def source_quality(db: Database, today: date) -> list[SourceQuality]:
    """Every feed's quality (remembered pulls, imported files, the worker's own entries),
    counting the activities that are not retired, by name."""
    names = source_names(db)
    by_source = _pulled(db, names)
    keys: dict[str, set[str]] = defaultdict(set)
    keyed: list[tuple[str, str]] = []
    for row in db.query("SELECT * FROM activities WHERE retired = 0"):
        label = source_label(row["feed_source"], names)
        entry = by_source.get(label)
        if entry is None:
            kind = "hand" if not row["feed_source"] else "file"
            entry = by_source[label] = SourceQuality(label, kind, None, None)
        _count(entry, row, today)
        key = row["duplicate_key"]
        if key is not None:
            keys[key].add(label)
            keyed.append((label, key))
    for label, key in keyed:
        by_source[label].duplicates += len(keys[key]) > 1
    return sorted(by_source.values(), key=lambda q: (q.kind == "hand", q.source.casefold()))
