"""Searching the directory: full-text (FTS5) words, filters, and a page of results.

Speed matters here (a query per keystroke): see :func:`search_page`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlite_utils import Database

from linkworker.directory.matching import fts_query, query_words
from linkworker.directory.quality import FRESHNESS_RANK_SQL, collapse_duplicates, stale_cutoff
from linkworker.directory.rows import ActivityRow, activity_rows
from linkworker.store.db import first_column
from linkworker.validation import (
    WEEKDAY_NAMES,
    ValidationError,
    normalise_postcode,
    normalise_weekday,
)

#: Parts of the day a schedule can fall in, as [from, until) in HH:MM.
TIMES_OF_DAY: dict[str, tuple[str, str]] = {
    "morning": ("00:00", "12:00"),
    "afternoon": ("12:00", "17:00"),
    "evening": ("17:00", "24:00"),
}
_OUTWARD = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")

#: SQL on activities ``a``: its age range includes the age given twice as parameters.
AGE_FITS = "(a.min_age IS NULL OR a.min_age <= ?) AND (a.max_age IS NULL OR a.max_age >= ?)"


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
    #: Today, for the "stale sinks" rule (quality.freshness_rank); None leaves it out.
    today: date | None = None

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

    rows: list[ActivityRow]
    total: int
    words: list[str]
    #: Likely duplicates of a row listed by other feeds: id -> those feeds' names.
    also_listed: dict[int, list[str]] = field(default_factory=dict)


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


def _session_sql(f: SearchFilter) -> tuple[str, list[object]]:
    """One session of the schedule holds both the day and the time: "Tuesday mornings"."""
    inside: list[str] = []
    params: list[object] = []
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
            f"{opens} < ? AND (coalesce({closes} > ?, 0) OR ({closes} IS NULL AND {opens} >= ?))"
        )
        params += [end, begin, begin]
    sql = "EXISTS (SELECT 1 FROM json_each(a.schedules) s WHERE " + " AND ".join(inside) + ")"
    return sql, params


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
        where.append(AGE_FITS)
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
        session, session_params = _session_sql(f)
        where.append(session)
        params += session_params
    return where, params


def search_page(db: Database, f: SearchFilter, *, limit: int = 50, offset: int = 0) -> SearchPage:
    """One page of activities for a filter: by relevance then freshness when there are
    words to search for, else by name. ``total`` counts every match.

    With ``f.today`` a stale activity sinks below fresh ones of the same relevance (the
    same tenth of the best match's FTS5 rank). Likely duplicates of another feed on the page are
    shown as one row (``also_listed``).

    Speed matters here (a query per keystroke): the ranking query fetches only ids and
    the total (a window count over the same pass), and full rows are read for the page
    alone. Fetching whole rows for every match made a one-letter search five times slower.
    """
    query = fts_query(f.text)
    where, params = _filter_sql(f)
    fresh = "max(coalesce(a.assured_date, ''), coalesce(a.verified_on, '')) DESC"
    filters = "".join(f" AND {w}" for w in where)
    if query:
        relevance, sink = "hits.rank", []
        if f.today is not None:
            # Relevance as a share of the best match's (FTS5 ranks have no fixed scale: they
            # follow the size of the directory), in tenths: the same tenth is the same
            # relevance, and within it a stale record sinks.
            band = "round(hits.rank / (SELECT min(rank) FROM hits), 1) DESC"
            relevance = f"{band}, {FRESHNESS_RANK_SQL}, hits.rank"
            sink = [stale_cutoff(f.today)]
        # The ranking reads only the columns of activities_ranking (m013) unless a filter
        # wants others: reading whole rows for every match doubled the query. The window
        # count gives the total from the same pass, so no second full-text query runs.
        ranked = " INDEXED BY activities_ranking" if _ranking_only(f) else ""
        ids_sql = (
            "WITH hits AS MATERIALIZED (SELECT rowid, rank FROM activities_fts "
            "WHERE activities_fts MATCH ?) "
            f"SELECT a.id, count(*) OVER () FROM hits JOIN activities a{ranked} "
            f"ON a.id = hits.rowid WHERE 1{filters} ORDER BY {relevance}, {fresh}, a.id "
            "LIMIT ? OFFSET ?"
        )
        ids_params: list[object] = [query, *params, *sink, limit, offset]
    else:
        ids_sql = (
            f"SELECT a.id, count(*) OVER () FROM activities a WHERE 1{filters} "
            "ORDER BY a.name COLLATE NOCASE, a.id LIMIT ? OFFSET ?"
        )
        ids_params = [*params, limit, offset]
    found_ids = db.execute(ids_sql, ids_params).fetchall()
    ids = [int(r[0]) for r in found_ids]
    rows: list[ActivityRow] = []
    if ids:
        marks = ", ".join("?" for _ in ids)
        sql = f"SELECT * FROM activities WHERE id IN ({marks})"
        by_id = {r["id"]: r for r in activity_rows(db, sql, list(ids))}
        rows = [by_id[i] for i in ids]
    # Past the last page there is no row to carry the count: count apart.
    total = int(found_ids[0][1]) if found_ids else (search_count(db, f) if offset else 0)
    collapsed = collapse_duplicates(db, rows)
    return SearchPage(
        rows=collapsed.rows,
        total=total - collapsed.folded,
        words=query_words(f.text),
        also_listed=collapsed.also_listed,
    )


def _ranking_only(f: SearchFilter) -> bool:
    """The filter reads no column but those of the activities_ranking index."""
    return not (
        f.category or f.day or f.time_of_day or f.free_only or f.favourites_only or f.area
    ) and (f.age is None)


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
) -> list[ActivityRow]:
    """Activities matching ``text`` (all words, prefix match), by relevance then freshness.

    Only active activities unless ``include_retired``; keyword arguments are the other
    fields of :class:`SearchFilter` (category, day, time_of_day, free_only, age, area...).
    """
    f = SearchFilter(text=text, active_only=not include_retired, **filters)
    return search_page(db, f, limit=limit, offset=offset).rows


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
            postcode.split(" ", 1)[0]
            for postcode in first_column(
                db,
                "SELECT DISTINCT postcode FROM activities WHERE postcode IS NOT NULL "
                "AND retired = 0",
            )
        },
        key=_outward_sort_key,
    )
    towns = first_column(
        db,
        "SELECT DISTINCT town FROM activities WHERE town IS NOT NULL AND retired = 0 "
        "ORDER BY town COLLATE NOCASE",
    )
    return outward + towns


def _outward_sort_key(code: str) -> tuple[str, int, str]:
    match = re.match(r"^([A-Z]+)(\d+)(.*)$", code)
    if not match:
        return code, 0, ""
    return match.group(1), int(match.group(2)), match.group(3)
