"""The community activity directory: storing, importing and listing activities.

Imports are mapped and validated by :mod:`linkworker.formats.oruk` (pure); this module writes the
result to the store (upsert by source id, one transaction) and reads activities back.
"""

from __future__ import annotations

import importlib.resources
import json
import re
import textwrap
import unicodedata
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from linkworker.clock import Clock
from linkworker.display import label, literal, short_date, table_date
from linkworker.formats import oruk
from linkworker.models import (
    ActivityDetails,
    Barrier,
    ConnectionKind,
    ConnectionStatus,
    NeedDomain,
)
from linkworker.store import audit
from linkworker.validation import (
    WEEKDAY_CODES,
    WEEKDAY_NAMES,
    ValidationError,
    age_on,
    normalise_postcode,
    normalise_weekday,
    outward_code,
)

#: The columns an import owns; the link worker's own (notes, favourite, verified_on,
#: retired) are never touched by an import.
IMPORTED_COLUMNS = tuple(oruk.ActivityRecord.model_fields)


def starter_path() -> Path:
    """The shipped starter directory: inside the wheel, or at the repo root in a checkout."""
    packaged = importlib.resources.files("linkworker") / "_directory" / "starter.json"
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "directory" / "starter.json"


@dataclass
class ImportReport:
    """What an import did: counts, and each record it skipped or changed with a warning."""

    source: str
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[oruk.RecordProblem] = field(default_factory=list)
    written: bool = True
    retired: int = 0  # earlier imports the feed no longer lists (with retire_missing)

    @property
    def skipped(self) -> int:
        return sum(1 for p in self.problems if p.skipped)

    def summary(self) -> str:
        verb = "imported" if self.written else "checked (nothing written)"
        retired = f", {self.retired} retired (no longer in the feed)" if self.retired else ""
        return (
            f"{self.source}: {verb}: {self.new} new, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.skipped} skipped{retired}"
        )


#: Called as progress(done, total) while an import writes.
Progress = Callable[[int, int], None]


def store_activities(
    db: Database,
    records: list[oruk.ActivityRecord],
    clock: Clock,
    report: ImportReport,
    progress: Progress | None = None,
) -> None:
    """Upsert activities by source id inside the caller's transaction, counting outcomes."""
    stamp = clock.stamp()
    for done, record in enumerate(records):
        if progress is not None and done % 200 == 0:
            progress(done, len(records))
        row = record.to_row()
        existing = db.execute(
            f"SELECT id, {', '.join(IMPORTED_COLUMNS)} FROM activities WHERE source_id = ?",
            [row["source_id"]],
        ).fetchone()
        if existing is None:
            row.update(origin="import", created_at=stamp, updated_at=stamp)
            db.execute(
                f"INSERT INTO activities ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
                list(row.values()),
            )
            report.new += 1
            continue
        current = dict(zip(IMPORTED_COLUMNS, existing[1:], strict=True))
        if all(current[c] == row[c] for c in IMPORTED_COLUMNS):
            report.unchanged += 1
            continue
        assignments = {c: row[c] for c in IMPORTED_COLUMNS if c != "source_id"}
        assignments["updated_at"] = stamp
        db.execute(
            f"UPDATE activities SET {', '.join(f'{c} = ?' for c in assignments)} WHERE id = ?",
            [*assignments.values(), existing[0]],
        )
        report.updated += 1


def import_feed(
    db: Database,
    path: Path,
    clock: Clock,
    *,
    strict: bool = False,
    retire_missing: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import an Open Referral UK feed (any shape oruk.load_feed reads) into the directory.

    Bad records are skipped and reported; with ``strict`` any bad record refuses the whole
    import and nothing is written. A file that is not a feed raises oruk.FeedError.
    With ``retire_missing`` (the feed is the whole directory, e.g. a council's feed
    replacing the starter), imported activities the feed no longer lists are retired:
    out of search, still on people's histories. Hand-added ones are never retired.
    """
    parsed = oruk.load_feed(path)
    report = ImportReport(source=path.name or str(path), problems=list(parsed.problems))
    if strict and any(p.skipped for p in parsed.problems):
        report.written = False
        return report
    with db.atomic():
        store_activities(db, parsed.activities, clock, report, progress)
        if retire_missing:
            # A record skipped this time is still listed by the feed: keep it.
            listed = {a.source_id for a in parsed.activities}
            listed |= {p.source_id for p in parsed.problems if p.source_id}
            db.execute("CREATE TEMP TABLE IF NOT EXISTS feed_ids (source_id TEXT PRIMARY KEY)")
            db.execute("DELETE FROM feed_ids")
            db.conn.executemany("INSERT OR IGNORE INTO feed_ids VALUES (?)", [(i,) for i in listed])
            cursor = db.execute(
                "UPDATE activities SET retired = 1, updated_at = ? WHERE origin = 'import' "
                "AND retired = 0 AND source_id NOT IN (SELECT source_id FROM feed_ids)",
                [clock.stamp()],
            )
            report.retired = cursor.rowcount
            db.execute("DELETE FROM feed_ids")
    if progress is not None:
        progress(len(parsed.activities), len(parsed.activities))
    return report


def load_starter(db: Database, clock: Clock) -> ImportReport:
    """Load the shipped starter directory (first run, or the demo)."""
    return import_feed(db, starter_path(), clock)


def ensure_starter(db: Database, clock: Clock) -> ImportReport | None:
    """Load the starter directory into a store that has never had one; else do nothing."""
    loaded = db.execute("SELECT value FROM meta WHERE key = 'starter_directory_loaded'").fetchone()
    if loaded:
        return None
    with db.atomic():
        report = None
        if not db.execute("SELECT count(*) FROM activities").fetchone()[0]:
            report = load_starter(db, clock)
        db.table("meta").upsert(
            {"key": "starter_directory_loaded", "value": clock.stamp()}, pk="key"
        )
    return report


def activity_count(db: Database, *, include_retired: bool = False) -> int:
    """How many activities the directory holds."""
    where = "" if include_retired else " WHERE retired = 0"
    return int(db.execute(f"SELECT count(*) FROM activities{where}").fetchone()[0])


def stale_before(today: date, months: int) -> date:
    """The date before which an activity's last check counts as stale."""
    month = today.month - months
    year = today.year
    while month < 1:
        month += 12
        year -= 1
    day = min(today.day, 28) if month == 2 else min(today.day, 30 if month in (4, 6, 9, 11) else 31)
    return date(year, month, day)


def last_checked(row: dict[str, Any]) -> str | None:
    """The newer of the feed's assured date and the link worker's own verification."""
    dates = [d for d in (row.get("assured_date"), row.get("verified_on")) if d]
    return max(dates) if dates else None


def is_stale(row: dict[str, Any], today: date, months: int) -> bool:
    """True when nobody has checked this activity within the freshness window."""
    checked = last_checked(row)
    return checked is None or checked < stale_before(today, months).isoformat()


def list_activities(
    db: Database, *, limit: int = 200, offset: int = 0, include_retired: bool = False
) -> list[dict[str, Any]]:
    """Activities in name order (the directory screen pages through these)."""
    where = "" if include_retired else "WHERE retired = 0"
    return list(
        db.query(
            f"SELECT * FROM activities {where} ORDER BY name COLLATE NOCASE, id LIMIT ? OFFSET ?",
            [limit, offset],
        )
    )


def decode_list(value: str | None) -> list[str]:
    """A JSON list column as a Python list of strings (empty on anything odd)."""
    try:
        decoded = json.loads(value or "[]")
    except json.JSONDecodeError:
        return []
    return [str(v) for v in decoded] if isinstance(decoded, list) else []


def fts_query(text: str) -> str:
    """A safe FTS5 query from what a person typed: every word must match, as a prefix."""
    words = [w for w in "".join(c if c.isalnum() else " " for c in text).split() if w]
    return " ".join(f'"{w}"*' for w in words)


# --- Search: filters, a page of results, and the words that matched --------------------

#: Parts of the day a schedule can fall in, as [from, until) in HH:MM.
TIMES_OF_DAY: dict[str, tuple[str, str]] = {
    "morning": ("00:00", "12:00"),
    "afternoon": ("12:00", "17:00"),
    "evening": ("17:00", "24:00"),
}
_OUTWARD = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")


@dataclass
class SearchFilter:
    """What the link worker is looking for. Empty fields do not filter."""

    text: str = ""
    category: str | None = None  # a category's label or code
    day: str | None = None  # MO..SU, or anything normalise_weekday reads
    time_of_day: str | None = None  # morning, afternoon or evening (the session overlaps it)
    free_only: bool = False
    age: int | None = None  # the person's age: the activity's age range must include it
    area: str | None = None  # postcode outward code (HV2), full postcode, or town
    active_only: bool = True  # hide retired activities and any that are not 'active'
    favourites_only: bool = False

    def describe(self) -> list[str]:
        """The filters in force, in words (for a status line)."""
        words: list[str] = []
        if self.category:
            words.append(self.category)
        if self.day:
            words.append(WEEKDAY_NAMES.get(_day_code(self.day), self.day) + "s")
        if self.time_of_day:
            words.append(f"{self.time_of_day}s")
        if self.free_only:
            words.append("free")
        if self.age is not None:
            words.append(f"fits age {self.age}")
        if self.area:
            words.append(f"in {self.area.strip()}")
        if self.favourites_only:
            words.append("favourites")
        if not self.active_only:
            words.append("including closed and retired")
        return words


@dataclass
class SearchPage:
    """One page of search results, how many match in all, and the words searched for."""

    rows: list[dict[str, Any]]
    total: int
    words: list[str]


def _day_code(day: str) -> str:
    try:
        return normalise_weekday(day)
    except ValidationError:
        return day.strip().upper()


def parse_area(text: str) -> tuple[str, str]:
    """('outward', 'HV2') for a postcode or an outward code, else ('town', text)."""
    cleaned = " ".join(text.split())
    compact = cleaned.upper().replace(" ", "")
    try:
        return "outward", normalise_postcode(cleaned).split(" ", 1)[0]
    except ValidationError:
        pass
    if _OUTWARD.match(compact):
        return "outward", compact
    return "town", cleaned


def _filter_sql(f: SearchFilter) -> tuple[list[str], list[object]]:
    where: list[str] = []
    params: list[object] = []
    if f.active_only:
        where.append("a.retired = 0 AND a.status = 'active'")
    if f.favourites_only:
        where.append("a.favourite = 1")
    if f.free_only:
        where.append("a.is_free = 1")
    if f.category:
        where.append(
            "(EXISTS (SELECT 1 FROM json_each(a.categories) j WHERE j.value = ? COLLATE NOCASE)"
            " OR EXISTS (SELECT 1 FROM json_each(a.category_codes) j"
            " WHERE j.value = ? COLLATE NOCASE))"
        )
        params += [f.category.strip(), f.category.strip()]
    if f.age is not None:
        where.append(
            "(a.min_age IS NULL OR a.min_age <= ?) AND (a.max_age IS NULL OR a.max_age >= ?)"
        )
        params += [f.age, f.age]
    if f.area and f.area.strip():
        kind, value = parse_area(f.area)
        if kind == "outward":
            where.append("a.postcode LIKE ?")
            params.append(f"{value} %")
        else:
            where.append("a.town = ? COLLATE NOCASE")
            params.append(value)
    if f.day or f.time_of_day:
        # Day and time must hold in the same session: "Tuesday mornings".
        inside: list[str] = []
        if f.day:
            inside.append(
                "(instr(coalesce(json_extract(s.value, '$.byday'), ''), ?) > 0"
                " OR upper(coalesce(json_extract(s.value, '$.freq'), '')) = 'DAILY')"
            )
            params.append(normalise_weekday(f.day))
        if f.time_of_day:
            if f.time_of_day not in TIMES_OF_DAY:
                raise ValueError(
                    f"time of day '{f.time_of_day}' is not one of: {', '.join(TIMES_OF_DAY)}"
                )
            begin, end = TIMES_OF_DAY[f.time_of_day]
            opens = "json_extract(s.value, '$.opens_at')"
            closes = "json_extract(s.value, '$.closes_at')"
            # The session overlaps [begin, end): it opens before the end and finishes
            # after the beginning (a session with no closing time is taken at its start).
            inside.append(
                f"{opens} < ? AND (coalesce({closes} > ?, 0)"
                f" OR ({closes} IS NULL AND {opens} >= ?))"
            )
            params += [end, begin, begin]
        where.append(
            "EXISTS (SELECT 1 FROM json_each(a.schedules) s WHERE " + " AND ".join(inside) + ")"
        )
    return where, params


def search_page(db: Database, f: SearchFilter, *, limit: int = 50, offset: int = 0) -> SearchPage:
    """One page of activities for a filter: by relevance then freshness when there are
    words to search for, else by name. ``total`` counts every match.

    Speed matters here (a query per keystroke): the ranking query fetches only ids, the
    count runs without ranking, and full rows are read for the page alone. Fetching
    whole rows for every match made a one-letter search five times slower.
    """
    query = fts_query(f.text)
    where, params = _filter_sql(f)
    fresh = "max(coalesce(a.assured_date, ''), coalesce(a.verified_on, '')) DESC"
    filters = "".join(f" AND {w}" for w in where)
    if query:
        ids_sql = (
            "WITH hits AS MATERIALIZED (SELECT rowid, rank FROM activities_fts "
            "WHERE activities_fts MATCH ?) "
            "SELECT a.id FROM hits JOIN activities a ON a.rowid = hits.rowid WHERE 1"
            f"{filters} ORDER BY hits.rank, {fresh}, a.id LIMIT ? OFFSET ?"
        )
        ids_params: list[object] = [query, *params, limit, offset]
    else:
        ids_sql = (
            f"SELECT a.id FROM activities a WHERE 1{filters} "
            "ORDER BY a.name COLLATE NOCASE, a.id LIMIT ? OFFSET ?"
        )
        ids_params = [*params, limit, offset]
    ids = [int(r[0]) for r in db.execute(ids_sql, ids_params).fetchall()]
    rows: list[dict[str, Any]] = []
    if ids:
        marks = ", ".join("?" for _ in ids)
        found = {
            int(r["id"]): r
            for r in db.query(f"SELECT * FROM activities WHERE id IN ({marks})", ids)
        }
        rows = [found[i] for i in ids]
    # A page that is not full is the last one: no need to count the matches.
    full = len(ids) == limit or (offset > 0 and not ids)
    total = search_count(db, f) if full else offset + len(ids)
    return SearchPage(rows=rows, total=total, words=query_words(f.text))


def search_count(db: Database, f: SearchFilter) -> int:
    """How many activities match a filter."""
    query = fts_query(f.text)
    where, params = _filter_sql(f)
    filters = "".join(f" AND {w}" for w in where)
    if query and not where:
        sql = "SELECT count(*) FROM activities_fts WHERE activities_fts MATCH ?"
        params = [query]
    elif query:
        sql = (
            "SELECT count(*) FROM activities_fts JOIN activities a "
            f"ON a.rowid = activities_fts.rowid WHERE activities_fts MATCH ?{filters}"
        )
        params = [query, *params]
    else:
        sql = f"SELECT count(*) FROM activities a WHERE 1{filters}"
    return int(db.execute(sql, params).fetchone()[0])


def search(
    db: Database,
    text: str,
    *,
    limit: int = 200,
    offset: int = 0,
    include_retired: bool = False,
    **filters: Any,
) -> list[dict[str, Any]]:
    """Activities matching ``text`` (all words, prefix match), by relevance then freshness.

    Only active activities unless ``include_retired``; keyword arguments are the other
    fields of :class:`SearchFilter` (category, day, time_of_day, free_only, age, area...).
    """
    f = SearchFilter(text=text, active_only=not include_retired, **filters)
    return search_page(db, f, limit=limit, offset=offset).rows


def _fold(text: str) -> str:
    # As FTS5's unicode61 tokenizer with remove_diacritics sees a word: café == CAFE.
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


_WORD = re.compile(r"[^\W_]+")


def query_words(text: str) -> list[str]:
    """The words of a search, folded the way the full-text index folds them."""
    return [_fold(w) for w in fts_query(text).replace('"', " ").replace("*", " ").split()]


def match_spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    """(start, end) of every word in ``text`` that a search word matches as a prefix.

    The screens make these spans bold on the literal text, so the link worker sees why a
    row matched; nothing in ``text`` is interpreted.
    """
    if not words or not text:
        return []
    spans: list[tuple[int, int]] = []
    for match in _WORD.finditer(text):
        folded = _fold(match.group(0))
        if any(folded.startswith(w) for w in words):
            spans.append((match.start(), match.end()))
    return spans


@dataclass(frozen=True)
class MatchContext:
    """Where a search matched an activity outside its name: which field, and a snippet."""

    field: str
    text: str
    spans: list[tuple[int, int]]


#: Searchable fields beyond the name, in the order a link worker cares about them.
_CONTEXT_FIELDS = (
    ("description", "description"),
    ("organisation", "organisation"),
    ("categories", "categories"),
    ("venue", "venue"),
    ("town", "town"),
    ("postcode", "postcode"),
)


def match_context(row: dict[str, Any], words: list[str], *, width: int = 70) -> MatchContext | None:
    """The first field (after the name) a search matched in, as a short snippet."""
    if not words:
        return None
    for column, title in _CONTEXT_FIELDS:
        value = row.get(column)
        if column == "categories":
            value = ", ".join(decode_list(value))
        text = literal(value)
        spans = match_spans(text, words)
        if not spans:
            continue
        start = max(0, spans[0][0] - width // 3)
        if start:
            # Begin at a word boundary, and say that the text goes on before.
            space = text.rfind(" ", 0, start)
            start = space + 1 if space >= 0 else start
        snippet = text[start : start + width]
        prefix = "…" if start else ""
        suffix = "…" if start + width < len(text) else ""
        shifted = [
            (len(prefix) + a - start, len(prefix) + min(b, start + width) - start)
            for a, b in spans
            if start <= a < start + width
        ]
        return MatchContext(title, prefix + snippet + suffix, shifted)
    return None


def categories_in_use(db: Database) -> list[tuple[str, str, int]]:
    """(label, code, how many active activities) for every category, by label."""
    rows = db.execute(
        "SELECT c.value, k.value, count(*) FROM activities a, json_each(a.categories) c, "
        "json_each(a.category_codes) k WHERE c.key = k.key AND a.retired = 0 "
        "AND a.status = 'active' GROUP BY c.value, k.value ORDER BY c.value COLLATE NOCASE"
    ).fetchall()
    return [(str(label), str(code), int(n)) for label, code, n in rows]


def areas_in_use(db: Database) -> list[str]:
    """Postcode outward codes, then towns, of the active activities (for an area picker)."""
    outward = sorted(
        {
            str(r[0]).split(" ", 1)[0]
            for r in db.execute(
                "SELECT DISTINCT postcode FROM activities WHERE postcode IS NOT NULL "
                "AND retired = 0"
            ).fetchall()
        },
        key=_outward_sort_key,
    )
    towns = [
        str(r[0])
        for r in db.execute(
            "SELECT DISTINCT town FROM activities WHERE town IS NOT NULL AND retired = 0 "
            "ORDER BY town COLLATE NOCASE"
        ).fetchall()
    ]
    return outward + towns


def _outward_sort_key(code: str) -> tuple[str, int, str]:
    match = re.match(r"^([A-Z]+)(\d+)(.*)$", code)
    if not match:
        return code, 0, ""
    return match.group(1), int(match.group(2)), match.group(3)


# --- Freshness and short cells ------------------------------------------------------------


@dataclass(frozen=True)
class Freshness:
    """When an activity was last checked by its publisher and by the link worker."""

    assured_date: str | None
    verified_on: str | None
    last_checked: str | None
    stale: bool
    months: int

    def words(self) -> str:
        """One line a link worker reads: when it was checked and whether it is stale."""
        if self.last_checked is None:
            return f"⚠ STALE: never checked (check before recommending; limit {self.months} months)"
        when = short_date(self.last_checked)
        if self.stale:
            return (
                f"⚠ STALE: last checked {when}, over {self.months} months ago "
                "(check before recommending)"
            )
        return f"✓ checked {when}"

    def cell(self) -> str:
        """A short table cell: the date, or '⚠ stale'."""
        if self.stale:
            return "⚠ stale"
        return table_date(self.last_checked)


def freshness(row: dict[str, Any], today: date, months: int) -> Freshness:
    """Assured date, the link worker's own verification and staleness of one activity."""
    return Freshness(
        assured_date=row.get("assured_date"),
        verified_on=row.get("verified_on"),
        last_checked=last_checked(row),
        stale=is_stale(row, today, months),
        months=months,
    )


_PRICE = re.compile(r"£\s?\d[\d,]*(?:\.\d{1,2})?|\d+(?:\.\d+)?p\b")


def cost_short(row: dict[str, Any]) -> str:
    """The cost in a few characters: 'Free', the first price the cost text gives, or ''."""
    if row.get("is_free") == 1 or row.get("is_free") is True:
        return "Free"
    text = str(row.get("cost") or "")
    price = _PRICE.search(text)
    if price:
        return price.group(0).replace(" ", "")
    return text


def when_short(row: dict[str, Any]) -> str:
    """When, briefly, for a table cell: 'Mon-Fri 09:00', '1st, 3rd Tue 18:00', or the words."""
    schedules = [s for s in _json(row.get("schedules"), []) if isinstance(s, dict)]
    plain: set[str] = set()
    nth: dict[str, list[int]] = {}
    for s in schedules:
        for token in (s.get("byday") or "").split(","):
            match = re.match(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$", token.strip())
            if not match:
                continue
            if match.group(1):
                nth.setdefault(match.group(2), []).append(int(match.group(1)))
            else:
                plain.add(match.group(2))
    if not plain and not nth:
        return str(row.get("schedule_text") or "")
    parts = _day_runs([d for d in WEEKDAY_CODES if d in plain])
    for code in WEEKDAY_CODES:
        if code in nth:
            which = ", ".join(
                "last" if n == -1 else oruk._ordinal(n) for n in sorted(set(nth[code]))
            )
            parts.append(f"{which} {WEEKDAY_NAMES[code][:3]}")
    opens = sorted({s["opens_at"] for s in schedules if s.get("opens_at")})
    time = opens[0] + ("+" if len(opens) > 1 else "") if opens else ""
    return " ".join(p for p in (", ".join(parts), time) if p)


def _day_runs(codes: list[str]) -> list[str]:
    """['MO', 'TU', 'WE', 'FR'] -> ['Mon-Wed', 'Fri']: three or more days in a row as a run."""
    runs: list[list[str]] = []
    for code in codes:
        if runs and WEEKDAY_CODES.index(code) == WEEKDAY_CODES.index(runs[-1][-1]) + 1:
            runs[-1].append(code)
        else:
            runs.append([code])
    out: list[str] = []
    for run in runs:
        names = [WEEKDAY_NAMES[c][:3] for c in run]
        out += [f"{names[0]}-{names[-1]}"] if len(run) >= 3 else names
    return out


def where_short(row: dict[str, Any]) -> str:
    """Where, briefly: outward code and the venue (or town)."""
    outward = outward_code(row.get("postcode"))
    place = row.get("venue") or row.get("town") or ""
    return " ".join(p for p in (outward, place) if p)


def get_activity(db: Database, activity_id: int) -> dict[str, Any]:
    """One activity; LookupError names the id when there is none."""
    rows = list(db.query("SELECT * FROM activities WHERE id = ?", [activity_id]))
    if not rows:
        raise LookupError(f"no activity with id {activity_id}")
    return rows[0]


class DirectoryError(ValueError):
    """A directory action is not allowed; the message says why, in the link worker's words."""


# --- Export -------------------------------------------------------------------------------


def export_directory(db: Database, *, include_notes: bool = False) -> dict[str, Any]:
    """The whole directory (imported and hand-added, retired as 'inactive') as one HSDS v3
    list page. Private notes, favourites and verification dates only with include_notes."""
    rows = db.query("SELECT * FROM activities ORDER BY name COLLATE NOCASE, id")
    return oruk.export_page(rows, include_notes=include_notes)


# --- The link worker's own columns: verified, favourite, notes -----------------------------


def mark_verified(db: Database, activity_id: int, clock: Clock) -> str:
    """Record that the link worker checked the activity today; returns the date."""
    get_activity(db, activity_id)
    on = clock.today().isoformat()
    with db.atomic():
        audit.update(
            db, "activities", activity_id, {"verified_on": on}, person_id=None, clock=clock
        )
    return on


def toggle_favourite(db: Database, activity_id: int, clock: Clock) -> bool:
    """Make the activity a favourite, or stop it being one; returns the new state."""
    row = get_activity(db, activity_id)
    new = not row["favourite"]
    with db.atomic():
        audit.update(db, "activities", activity_id, {"favourite": new}, person_id=None, clock=clock)
    return new


def set_notes(db: Database, activity_id: int, notes: str | None, clock: Clock) -> None:
    """The link worker's private notes ("ask for Sue on Tuesdays"); never exported unless asked."""
    get_activity(db, activity_id)
    text = (notes or "").strip() or None
    if text is not None and len(text) > 5000:
        raise DirectoryError("notes: at most 5000 characters")
    with db.atomic():
        audit.update(db, "activities", activity_id, {"notes": text}, person_id=None, clock=clock)


# --- Hand edits: add, edit, retire ---------------------------------------------------------


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", _fold(text)).strip("-") or "category"


def _category_codes(db: Database, labels: list[str]) -> list[str]:
    known = {lab.casefold(): code for lab, code, _ in categories_in_use(db)}
    return [known.get(lab.casefold(), _slug(lab)) for lab in labels]


def schedule_fields(row: dict[str, Any]) -> dict[str, Any]:
    """The form's view of a stored schedule: days, one opening and closing time, words."""
    try:
        schedules = json.loads(row.get("schedules") or "[]")
    except json.JSONDecodeError:
        schedules = []
    schedules = [s for s in schedules if isinstance(s, dict)]
    opens = {s.get("opens_at") for s in schedules}
    closes = {s.get("closes_at") for s in schedules}
    # Several sessions' own words cannot be one note; the form leaves it empty then.
    note = schedules[0].get("description") if len(schedules) == 1 else None
    return {
        "days": decode_list(row.get("days")),
        "opens_at": opens.pop() if len(opens) == 1 else None,
        "closes_at": closes.pop() if len(closes) == 1 else None,
        "schedule_note": note,
    }


def details_of(row: dict[str, Any]) -> dict[str, Any]:
    """An activity row as the values of :class:`ActivityDetails` (to fill the edit form)."""
    values: dict[str, Any] = {
        name: row.get(name)
        for name in ActivityDetails.model_fields
        if name not in ("categories", "languages", "is_free")
    }
    values["categories"] = decode_list(row.get("categories"))
    values["languages"] = decode_list(row.get("languages"))
    values["is_free"] = None if row.get("is_free") is None else bool(row["is_free"])
    values.update(schedule_fields(row))
    return values


def _schedule_of(details: ActivityDetails) -> list[dict[str, str | None]]:
    if not (details.days or details.schedule_note):
        return []
    return [
        {
            "freq": "WEEKLY" if details.days else None,
            "byday": ",".join(details.days) or None,
            "opens_at": details.opens_at,
            "closes_at": details.closes_at,
            "valid_from": None,
            "valid_to": None,
            "description": details.schedule_note,
        }
    ]


def _record(db: Database, details: ActivityDetails, base: dict[str, Any]) -> oruk.ActivityRecord:
    """An ActivityRecord from the form's details over a base (source id, kept fields)."""
    values = details.model_dump(
        exclude={"days", "opens_at", "closes_at", "schedule_note"}, mode="python"
    )
    values["category_codes"] = _category_codes(db, details.categories)
    try:
        return oruk.ActivityRecord.model_validate({**base, **values})
    except Exception as exc:  # the form validated already; this names anything left
        raise DirectoryError(f"the activity cannot be stored: {exc}") from exc


def add_activity(db: Database, details: ActivityDetails, clock: Clock) -> int:
    """Add an activity by hand (origin 'hand', verified today); returns its id."""
    today = clock.today().isoformat()
    record = _record(
        db,
        details,
        {
            "source_id": f"linkworker-{uuid.uuid4()}",
            "schedules": _schedule_of(details),
            "assured_date": today,
        },
    )
    row = record.to_row()
    row.update(origin="hand", verified_on=today)
    with db.atomic():
        return audit.insert(db, "activities", row, person_id=None, clock=clock)


def update_activity(
    db: Database, activity_id: int, details: ActivityDetails, clock: Clock
) -> dict[str, tuple[object, object]]:
    """Edit an activity by hand; returns the fields that changed (old, new).

    Schedules the form cannot show (several sessions from a feed) are kept unless the
    link worker changed the days, times or words. Editing counts as verifying it today.
    The next import of its feed replaces imported fields; notes, favourite, verification
    and retirement are never touched by an import.
    """
    row = get_activity(db, activity_id)
    current = oruk.ActivityRecord.from_row(row)
    wanted = {
        "days": details.days,
        "opens_at": details.opens_at,
        "closes_at": details.closes_at,
        "schedule_note": details.schedule_note,
    }
    schedules = current.schedules if wanted == schedule_fields(row) else _schedule_of(details)
    today = clock.today().isoformat()
    base = current.model_dump() | {"schedules": schedules, "days": [], "schedule_text": ""}
    if row["origin"] == "hand":
        base["assured_date"] = today
    record = _record(db, details, base)
    changes: dict[str, object] = {k: v for k, v in record.to_row().items() if k != "source_id"}
    changes["verified_on"] = today
    with db.atomic():
        return audit.update(db, "activities", activity_id, changes, person_id=None, clock=clock)


def open_connection_count(db: Database, activity_id: int) -> int:
    """People connected to an activity whose connection has not stopped."""
    return int(
        db.execute(
            "SELECT count(*) FROM connections WHERE activity_id = ? AND status != 'stopped'",
            [activity_id],
        ).fetchone()[0]
    )


def retire_activity(db: Database, activity_id: int, clock: Clock) -> None:
    """Take an activity out of search; people's histories keep it."""
    row = get_activity(db, activity_id)
    if row["retired"]:
        raise DirectoryError(f"{literal(row['name'])} is already retired")
    with db.atomic():
        audit.update(db, "activities", activity_id, {"retired": 1}, person_id=None, clock=clock)


def restore_activity(db: Database, activity_id: int, clock: Clock) -> None:
    """Bring a retired activity back into search."""
    row = get_activity(db, activity_id)
    if not row["retired"]:
        raise DirectoryError(f"{literal(row['name'])} is not retired")
    with db.atomic():
        audit.update(db, "activities", activity_id, {"retired": 0}, person_id=None, clock=clock)


# --- Connections: a person linked to an activity -------------------------------------------
#
# suggested -> referred -> attended -> attending ("still attending") | stopped.
# Steps may be skipped forwards (someone signposted may simply turn up), never taken back;
# "stopped" can follow any step and is final (connect the person again to start afresh).

S = ConnectionStatus
CONNECTION_STEPS: dict[ConnectionStatus, frozenset[ConnectionStatus]] = {
    S.SUGGESTED: frozenset({S.REFERRED, S.ATTENDED, S.STOPPED}),
    S.REFERRED: frozenset({S.ATTENDED, S.STOPPED}),
    S.ATTENDED: frozenset({S.ATTENDING, S.STOPPED}),
    S.ATTENDING: frozenset({S.STOPPED}),
    S.STOPPED: frozenset(),
}
_ORDER = [S.SUGGESTED, S.REFERRED, S.ATTENDED, S.ATTENDING, S.STOPPED]
#: The column holding the date each status was reached (attending keeps status_changed_on).
_STEP_DATE = {S.REFERRED: "referred_on", S.ATTENDED: "attended_on", S.STOPPED: "stopped_on"}
OPEN_CONNECTION_STATUSES = (S.SUGGESTED, S.REFERRED, S.ATTENDED, S.ATTENDING)


def status_words(status: str) -> str:
    """A connection status as the link worker says it ('still attending')."""
    return label(ConnectionStatus, status).lower()


def next_statuses(current: str) -> list[ConnectionStatus]:
    """The statuses a connection may move to from ``current``, in order."""
    allowed = CONNECTION_STEPS[ConnectionStatus(current)]
    return [s for s in _ORDER if s in allowed]


def check_connection_move(current: str, target: ConnectionStatus) -> None:
    """Raise DirectoryError, in words, when a connection may not move from current to target."""
    status = ConnectionStatus(current)
    if target in CONNECTION_STEPS[status]:
        return
    if target == status:
        raise DirectoryError(f"this connection is already {status_words(status)}")
    if status == S.STOPPED:
        raise DirectoryError(
            "this connection has stopped; connect the person to the activity again to start afresh"
        )
    if target == S.ATTENDING:
        raise DirectoryError("mark them attended first: 'still attending' follows a first visit")
    if target == S.SUGGESTED:
        raise DirectoryError("a connection cannot go back to suggested")
    raise DirectoryError(
        f"a connection that is {status_words(status)} cannot go back to {status_words(target)}"
    )


def get_connection(db: Database, connection_id: int) -> dict[str, Any]:
    """One connection with its activity's name; LookupError names the id when there is none."""
    rows = list(
        db.query(
            "SELECT c.*, a.name AS activity_name, a.retired AS activity_retired "
            "FROM connections c JOIN activities a ON a.id = c.activity_id WHERE c.id = ?",
            [connection_id],
        )
    )
    if not rows:
        raise LookupError(f"no connection with id {connection_id}")
    return rows[0]


def _feedback_line(on: date, status: ConnectionStatus, note: str | None) -> str | None:
    text = " ".join((note or "").split())
    if not text:
        return None
    if len(text) > 2000:
        raise DirectoryError("feedback: at most 2000 characters")
    return f"{short_date(on)} {status_words(status)}: {text}"


def connect(
    db: Database,
    person_id: int,
    activity_id: int,
    kind: ConnectionKind,
    clock: Clock,
    *,
    on: date | None = None,
    note: str | None = None,
) -> int:
    """Connect a person to an activity (status 'suggested'); returns the connection id.

    Refused for a retired or closed activity, and when the person already has an open
    connection to it. The connection hangs on the person's current referral.
    """
    from linkworker.people import get_person
    from linkworker.referrals import latest_referral, open_referral

    day = on or clock.today()
    if day > clock.today():
        raise DirectoryError(f"{short_date(day)} is in the future")
    get_person(db, person_id)
    activity = get_activity(db, activity_id)
    name = literal(activity["name"])
    if activity["retired"]:
        raise DirectoryError(f"{name} is retired; it cannot take new connections")
    if activity["status"] in ("inactive", "defunct"):
        raise DirectoryError(f"{name} is {activity['status']}; it cannot take new connections")
    existing = db.execute(
        "SELECT status FROM connections WHERE person_id = ? AND activity_id = ? "
        "AND status != 'stopped'",
        [person_id, activity_id],
    ).fetchone()
    if existing:
        raise DirectoryError(
            f"already connected to {name} ({status_words(existing[0])}); move that connection on"
        )
    referral = open_referral(db, person_id) or latest_referral(db, person_id)
    values = {
        "person_id": person_id,
        "activity_id": activity_id,
        "referral_id": referral["id"] if referral else None,
        "kind": ConnectionKind(kind),
        "status": S.SUGGESTED,
        "suggested_on": day,
        "status_changed_on": day,
        "feedback": _feedback_line(day, S.SUGGESTED, note),
    }
    with db.atomic():
        return audit.insert(db, "connections", values, person_id=person_id, clock=clock)


def move_connection(
    db: Database,
    connection_id: int,
    target: ConnectionStatus,
    clock: Clock,
    *,
    on: date | None = None,
    feedback: str | None = None,
) -> dict[str, Any]:
    """Move a connection on (referred, attended, still attending, stopped) with a date and
    an optional feedback note; illegal moves raise DirectoryError saying why."""
    target = ConnectionStatus(target)
    day = on or clock.today()
    with db.atomic():
        conn = get_connection(db, connection_id)
        check_connection_move(conn["status"], target)
        if day > clock.today():
            raise DirectoryError(f"{short_date(day)} is in the future")
        since = conn["status_changed_on"]
        if day.isoformat() < since:
            raise DirectoryError(
                f"{short_date(day)} is before the last change ({short_date(since)}, "
                f"{status_words(conn['status'])})"
            )
        changes: dict[str, object] = {"status": target, "status_changed_on": day}
        if target in _STEP_DATE:
            changes[_STEP_DATE[target]] = day
        line = _feedback_line(day, target, feedback)
        if line:
            changes["feedback"] = "\n".join(p for p in (conn["feedback"], line) if p)
        audit.update(
            db, "connections", connection_id, changes, person_id=conn["person_id"], clock=clock
        )
        return get_connection(db, connection_id)


def connections_for_person(db: Database, person_id: int) -> list[dict[str, Any]]:
    """A person's connections (open ones first, newest first), with each activity's name;
    retired activities stay on the person's history."""
    return list(
        db.query(
            "SELECT c.*, a.name AS activity_name, a.retired AS activity_retired, "
            "a.status AS activity_status, a.schedule_text AS activity_when "
            "FROM connections c JOIN activities a ON a.id = c.activity_id "
            "WHERE c.person_id = ? ORDER BY c.status = 'stopped', c.status_changed_on DESC, "
            "c.id DESC",
            [person_id],
        )
    )


def connections_for_activity(db: Database, activity_id: int) -> list[dict[str, Any]]:
    """Everyone connected to an activity (for the link worker's eyes only), newest first."""
    return list(
        db.query(
            "SELECT c.*, p.given_name || ' ' || p.family_name AS person_name "
            "FROM connections c JOIN people p ON p.id = c.person_id "
            "WHERE c.activity_id = ? ORDER BY c.status = 'stopped', c.status_changed_on DESC, "
            "c.id DESC",
            [activity_id],
        )
    )


# --- Suggestions: activities that fit a person ---------------------------------------------

#: Which directory categories (their codes) answer which need.
NEED_TO_CATEGORY: dict[str, list[str]] = {
    "loneliness": ["befriending", "arts-music", "mens-sheds"],
    "mental_wellbeing": ["mental-wellbeing", "arts-music", "gardening"],
    "physical_activity": ["walking-exercise", "gardening"],
    "money_debt": ["money-debt", "food"],
    "housing": ["housing"],
    "employment": ["employment", "digital"],
    "bereavement": ["bereavement", "befriending"],
    "caring": ["carers"],
    "long_term_condition": ["long-term-conditions", "walking-exercise"],
    "other": ["digital", "food"],
}


@dataclass
class PersonContext:
    """What the directory needs to know about a person to suggest activities."""

    person_id: int
    name: str
    age: int | None
    outward: str | None
    needs: list[str]  # need domain codes, from the latest conversation then the referral
    barriers: list[str]


@dataclass
class Suggestion:
    """An activity that fits a person, and why."""

    activity: dict[str, Any]
    score: float
    reasons: list[str]

    @property
    def why(self) -> str:
        return "; ".join(self.reasons)


def _json(value: str | None, default: Any) -> Any:
    try:
        return json.loads(value) if value else default
    except json.JSONDecodeError:
        return default


def person_context(db: Database, person_id: int, today: date) -> PersonContext:
    """The person's age, area, needs (latest conversation, then referral) and barriers."""
    from linkworker.people import get_person
    from linkworker.referrals import latest_referral

    person = get_person(db, person_id)
    age = None
    if person["date_of_birth"]:
        age = age_on(date.fromisoformat(person["date_of_birth"]), today)
    needs: list[str] = []
    barriers: list[str] = []
    conversation = db.execute(
        "SELECT needs, barriers FROM conversations WHERE person_id = ? "
        "ORDER BY held_on DESC, id DESC LIMIT 1",
        [person_id],
    ).fetchone()
    if conversation:
        found = _json(conversation[0], {})
        if isinstance(found, dict | list):
            needs += [str(k) for k in found]
        listed = _json(conversation[1], [])
        barriers = [str(b) for b in listed] if isinstance(listed, list) else []
    referral = latest_referral(db, person_id)
    if referral:
        listed = _json(referral["needs"], [])
        needs += [str(n) for n in listed] if isinstance(listed, list) else []
    name = person["preferred_name"] or person["given_name"]
    return PersonContext(
        person_id=person_id,
        name=str(name),
        age=age,
        outward=outward_code(person["postcode"]),
        needs=list(dict.fromkeys(n for n in needs if n in NEED_TO_CATEGORY)),
        barriers=barriers,
    )


def _age_words(low: int | None, high: int | None) -> str:
    if high is None:
        return f"{low}+"
    if low is None or low == 0:
        return f"up to {high}"
    return f"{low}-{high}"


def _day_list(days: Iterable[str]) -> str:
    return ", ".join(WEEKDAY_NAMES[d][:3] for d in WEEKDAY_CODES if d in set(days))


def suggest_activities(
    db: Database,
    person_id: int,
    today: date,
    *,
    days: list[str] | None = None,
    stale_months: int = 6,
    limit: int = 12,
) -> list[Suggestion]:
    """Active activities that fit a person, best first, each with the reasons why.

    Hard rules: the activity is active, not retired, its ages include the person's, and the
    person is not already connected to it. Then points for each need it answers (its
    category), the same postcode district (or area), the days that suit the person, being
    free when cost is a barrier, being a favourite; a stale entry loses a little.
    """
    ctx = person_context(db, person_id, today)
    wanted_days = [normalise_weekday(d) for d in days or []]
    where = ["a.retired = 0", "a.status = 'active'"]
    params: list[object] = []
    if ctx.age is not None:
        where.append(
            "(a.min_age IS NULL OR a.min_age <= ?) AND (a.max_age IS NULL OR a.max_age >= ?)"
        )
        params += [ctx.age, ctx.age]
    where.append(
        "NOT EXISTS (SELECT 1 FROM connections c WHERE c.activity_id = a.id "
        "AND c.person_id = ? AND c.status != 'stopped')"
    )
    params.append(person_id)
    wanted_codes = {c for n in ctx.needs for c in NEED_TO_CATEGORY[n]}
    if wanted_codes:
        marks = ", ".join("?" for _ in wanted_codes)
        where.append(
            f"EXISTS (SELECT 1 FROM json_each(a.category_codes) k WHERE k.value IN ({marks}))"
        )
        params += sorted(wanted_codes)
    rows = db.query("SELECT a.* FROM activities a WHERE " + " AND ".join(where), params)
    area_match = re.match(r"^[A-Z]+", ctx.outward or "")
    area_letters = area_match.group(0) if area_match else None
    suggestions: list[Suggestion] = []
    for row in rows:
        score = 0.0
        reasons: list[str] = []
        codes = decode_list(row["category_codes"])
        labels = dict(zip(codes, decode_list(row["categories"]), strict=False))
        matched: list[str] = []
        for need in ctx.needs:
            hits = [labels.get(c, c) for c in NEED_TO_CATEGORY[need] if c in labels]
            if hits:
                score += 3
                matched.append(f"{label(NeedDomain, need).lower()} → {', '.join(hits)}")
        if matched:
            reasons.append("matches: " + "; ".join(matched))
        if ctx.age is not None and (row["min_age"] is not None or row["max_age"] is not None):
            reasons.append(f"age {ctx.age} fits {_age_words(row['min_age'], row['max_age'])}")
        outward = outward_code(row["postcode"])
        transport = Barrier.TRANSPORT.value in ctx.barriers
        if outward and ctx.outward and outward == ctx.outward:
            score += 3 if transport else 2
            reasons.append(
                f"same area {outward}" + (" (transport is a barrier)" if transport else "")
            )
        elif outward and area_letters and outward.startswith(area_letters):
            score += 1
            reasons.append(f"nearby ({outward})")
        on_days = decode_list(row["days"])
        if wanted_days:
            fits = [d for d in on_days if d in wanted_days]
            if fits:
                score += 2
                reasons.append(_plural_days(fits))
            elif on_days:
                score -= 2
                reasons.append(f"not on their days (runs {_day_list(on_days)})")
        if row["is_free"] == 1:
            if Barrier.COST.value in ctx.barriers:
                score += 1.5
                reasons.append("free (cost is a barrier)")
            else:
                score += 0.25
                reasons.append("free")
        if row["favourite"]:
            score += 0.5
            reasons.append("one of your favourites")
        if is_stale(row, today, stale_months):
            score -= 0.5
            reasons.append("⚠ stale: check it first")
        suggestions.append(Suggestion(activity=row, score=score, reasons=reasons))
    # Best score first; among equals the most recently checked, then by name.
    suggestions.sort(key=lambda s: str(s.activity["name"]).casefold())
    suggestions.sort(key=lambda s: last_checked(s.activity) or "", reverse=True)
    suggestions.sort(key=lambda s: -s.score)
    return suggestions[:limit]


def _plural_days(days: list[str]) -> str:
    names = [WEEKDAY_NAMES[d] + "s" for d in WEEKDAY_CODES if d in set(days)]
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


# --- Shortlist: a hand-out for the person -------------------------------------------------


def _clock_words(hhmm: str) -> str:
    """'10:00' -> '10am', '13:30' -> '1:30pm', '12:00' -> '12 noon'."""
    hour, minute = int(hhmm[:2]), int(hhmm[3:5])
    if (hour, minute) == (12, 0):
        return "12 noon"
    if hour in (0, 24) and minute == 0:
        return "midnight"
    suffix = "am" if hour < 12 else "pm"
    shown = hour % 12 or 12
    return f"{shown}{suffix}" if minute == 0 else f"{shown}:{minute:02d}{suffix}"


_ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"}
_MENTIONS_WHEN = re.compile(
    r"\b(mon|tue|wed|thu|fri|sat|sun)|\d(?:am|pm|:\d\d)|\bnoon\b|\bdaily\b|\bevery\b",
    re.IGNORECASE,
)


def _session_words(s: dict[str, Any]) -> str:
    """One schedule in plain words: 'Tuesdays, 10am to 11am'."""
    plain: list[str] = []
    nth: list[str] = []
    for token in (s.get("byday") or "").split(","):
        match = re.match(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$", token.strip())
        if not match:
            continue
        day = WEEKDAY_NAMES[match.group(2)]
        if match.group(1):
            nth.append(
                f"the {_ORDINALS.get(int(match.group(1)), match.group(1))} {day} of the month"
            )
        else:
            plain.append(day + "s")
    days = [*plain, *nth]
    if not days and (s.get("freq") or "").upper() == "DAILY":
        days = ["Every day"]
    day_words = (
        days[0] if len(days) == 1 else ", ".join(days[:-1]) + " and " + days[-1] if days else ""
    )
    opens, closes = s.get("opens_at"), s.get("closes_at")
    if opens and closes:
        times = f"{_clock_words(opens)} to {_clock_words(closes)}"
    elif opens:
        times = f"from {_clock_words(opens)}"
    else:
        times = ""
    composed = ", ".join(p for p in (day_words, times) if p)
    words = (s.get("description") or "").strip()
    if words and (not composed or _MENTIONS_WHEN.search(words)):
        return words  # the feed's own words already say when
    if words:
        return f"{composed} ({words[0].lower() + words[1:]})"
    return composed


def when_lines(row: dict[str, Any]) -> list[str]:
    """Each session of an activity in plain words, for people rather than machines."""
    schedules = _json(row.get("schedules"), [])
    lines = [_session_words(s) for s in schedules if isinstance(s, dict)]
    return [line for line in dict.fromkeys(lines) if line]


def _long_date(value: str | None) -> str:
    if not value:
        return ""
    day = date.fromisoformat(value[:10])
    return f"{day.day} {day.strftime('%B %Y')}"


@dataclass
class HandoutSection:
    """One titled section of a shortlist entry."""

    title: str
    lines: list[str]
    block: bool = False  # lines of one block (an address) rather than separate points


def handout_sections(row: dict[str, Any]) -> list[HandoutSection]:
    """What a person needs to know about one activity, in plain words, section by section."""
    text = lambda value: literal(value, single_line=False).strip()  # noqa: E731
    extra = _json(row.get("extra"), {})
    sections: list[HandoutSection] = []
    if row.get("description"):
        sections.append(HandoutSection("What it is", [text(row["description"])]))
    when = when_lines(row)
    sections.append(
        HandoutSection("When", [text(w) for w in when] or ["Please get in touch to ask."])
    )
    where = [text(row.get(k)) for k in ("venue", "address", "town", "postcode") if row.get(k)]
    if where:
        sections.append(HandoutSection("Where", where, block=True))
    if row.get("accessibility"):
        sections.append(HandoutSection("Getting in", [text(row["accessibility"])]))
    cost = row.get("cost") or ("Free" if row.get("is_free") == 1 else None)
    sections.append(
        HandoutSection("Cost", [text(cost) if cost else "Please ask when you get in touch."])
    )
    join = extra.get("application_process") if isinstance(extra, dict) else None
    if isinstance(join, str) and join.strip():
        sections.append(HandoutSection("How to join", [text(join)]))
    contact: list[str] = []
    if row.get("phone"):
        contact.append(f"Phone: {text(row['phone'])}")
    if row.get("contact_name"):
        contact.append(f"Ask for: {text(row['contact_name'])}")
    if row.get("email"):
        contact.append(f"Email: {text(row['email'])}")
    if row.get("url"):
        contact.append(f"Website: {text(row['url'])}")
    if where:
        contact.append("Or go along in person to the address above.")
    sections.append(
        HandoutSection(
            "How to get in touch", contact or ["Ask your link worker to put you in touch."]
        )
    )
    if row.get("alert"):
        sections.append(HandoutSection("Please note", [text(row["alert"])]))
    return sections


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def shortlist_text(
    db: Database,
    activity_ids: list[int],
    *,
    for_name: str | None,
    today: date,
    markdown: bool = False,
    width: int = 72,
) -> str:
    """A shortlist of activities to hand to a person, readable on paper.

    Plain text (big capital headings, wrapped to ``width``) or Markdown. Private notes are
    never included. Text from feeds is kept literally (control characters made visible).
    """
    if not activity_ids:
        raise DirectoryError("pick at least one activity for the shortlist")
    rows = [get_activity(db, i) for i in dict.fromkeys(activity_ids)]
    who = literal(for_name).strip() if for_name else ""
    title = f"Activities for {who}" if who else "Activities for you"
    made = f"Chosen with your link worker on {_long_date(today.isoformat())}."
    no_phone = (
        "No phone? You can go along to the address given, or ask your link worker "
        "to get in touch for you."
    )
    out: list[str] = []
    if markdown:
        out += [f"# {_md(title)}", "", made, "", no_phone, ""]
        for n, row in enumerate(rows, start=1):
            out += [f"## {n}. {_md(literal(row['name']))}", ""]
            for section in handout_sections(row):
                out += [f"### {section.title}", ""]
                if len(section.lines) == 1 or section.block:
                    lines = [_md(line).replace("\n", "  \n") for line in section.lines]
                    out += ["  \n".join(lines), ""]
                else:
                    out += [f"- {_md(line)}" for line in section.lines] + [""]
            checked = _long_date(last_checked(row))
            if checked:
                out += [f"*These details were last checked on {checked}.*", ""]
        out += ["---", "", "Your link worker: ______________________________", ""]
        out += ["Phone: ______________________________", ""]
        return "\n".join(out).rstrip() + "\n"
    rule = "=" * width

    def wrap(text: str, indent: str = "    ") -> list[str]:
        lines: list[str] = []
        for paragraph in text.split("\n"):
            lines += textwrap.wrap(
                paragraph,
                width,
                initial_indent=indent,
                subsequent_indent=indent,
                break_long_words=False,  # web addresses stay whole, to be typed in
                break_on_hyphens=False,
            ) or [""]
        return lines

    out += [title.upper(), made, ""]
    out += wrap(no_phone, "")
    for n, row in enumerate(rows, start=1):
        out += ["", "", rule, *wrap(f"{n}. {literal(row['name']).upper()}", ""), rule]
        for section in handout_sections(row):
            out += ["", section.title.upper()]
            for line in section.lines:
                out += wrap(line)
        checked = _long_date(last_checked(row))
        if checked:
            out += ["", *wrap(f"These details were last checked on {checked}.", "")]
    out += ["", "", rule, "Your link worker: ______________________________", ""]
    out += ["Phone: ______________________________", rule]
    return "\n".join(out).rstrip() + "\n"
