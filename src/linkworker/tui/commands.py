"""Command palette providers: find any person or activity by name (or NHS number)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from linkworker.display import literal, short_date
from linkworker.validation import format_nhs_number

if TYPE_CHECKING:
    from linkworker.tui.app import LinkWorkerApp

MAX_HITS = 20


class PeopleCommands(Provider):
    """People by name, preferred name or NHS number (searched in SQL, not in Python)."""

    @property
    def lw(self) -> LinkWorkerApp:
        return cast("LinkWorkerApp", self.app)

    def _people(self, query: str) -> list[dict[str, object]]:
        if self.lw._db is None:
            return []
        text = query.strip().lower()
        digits = text.replace(" ", "")
        if digits.isdigit():
            sql = "SELECT * FROM person_summary WHERE nhs_number LIKE ? ORDER BY full_name LIMIT ?"
            params: list[object] = [digits + "%", MAX_HITS]
        else:
            words = text.split() or [""]
            sql = (
                "SELECT * FROM person_summary WHERE "
                + " AND ".join("search_text LIKE ?" for _ in words)
                + " ORDER BY full_name COLLATE NOCASE LIMIT ?"
            )
            params = [*(f"%{w}%" for w in words), MAX_HITS]
        return list(self.lw.db.query(sql, params))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for row in self._people(query):
            name = literal(row["full_name"])
            nhs = format_nhs_number(str(row["nhs_number"] or ""))
            born = short_date(str(row["date_of_birth"] or ""))
            label = f"{name}  ·  {nhs or 'no NHS number'}  ·  born {born or 'unknown'}"
            score = matcher.match(name) or 0.5
            yield Hit(
                score,
                Text(label),
                partial(self.lw.open_person, int(str(row["person_id"]))),
                help="Open this person's record",
            )

    async def discover(self) -> Hits:
        for row in self._people("")[:8]:
            yield DiscoveryHit(
                Text(literal(row["full_name"])),
                partial(self.lw.open_person, int(str(row["person_id"]))),
                help="Open this person's record",
            )


class ActivityCommands(Provider):
    """Activities of the directory by name."""

    @property
    def lw(self) -> LinkWorkerApp:
        return cast("LinkWorkerApp", self.app)

    async def search(self, query: str) -> Hits:
        if self.lw._db is None or not query.strip():
            return
        matcher = self.matcher(query)
        words = query.strip().lower().split()
        rows = self.lw.db.query(
            "SELECT id, name, organisation, town FROM activities WHERE retired = 0 AND "
            + " AND ".join("lower(name) LIKE ?" for _ in words)
            + " ORDER BY name COLLATE NOCASE LIMIT ?",
            [*(f"%{w}%" for w in words), MAX_HITS],
        )
        for row in rows:
            name = literal(row["name"])
            where = literal(row["town"] or row["organisation"] or "")
            yield Hit(
                matcher.match(name) or 0.5,
                Text(f"{name}  ·  {where}  (activity)"),
                partial(self.lw.open_activity, int(row["id"])),
                help="Open this activity",
            )
