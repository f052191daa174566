"""Command palette providers: find any person (as the caseload filter does) or activity."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from linkworker.caseload import CaseloadFilter, CaseloadRow, caseload_page
from linkworker.display import literal, name_with_birth, short_date
from linkworker.validation import format_nhs_number

if TYPE_CHECKING:
    from linkworker.tui.app import LinkWorkerApp

MAX_HITS = 20


class PeopleCommands(Provider):
    """People by name, preferred name or NHS number (searched in SQL, not in Python)."""

    @property
    def lw(self) -> LinkWorkerApp:
        return cast("LinkWorkerApp", self.app)

    def _people(self, query: str) -> list[CaseloadRow]:
        if self.lw._db is None:
            return []
        wanted = CaseloadFilter(text=query, sort="name", descending=False)
        return caseload_page(self.lw.db, wanted, self.lw.clock.today(), limit=MAX_HITS)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for row in self._people(query):
            name = literal(row.name)
            nhs = format_nhs_number(row.nhs_number or "")
            born = short_date(row.date_of_birth or "")
            label = f"{name}  ·  {nhs or 'no NHS number'}  ·  born {born or 'unknown'}"
            score = matcher.match(name) or 0.5
            yield Hit(
                score,
                Text(label),
                partial(self.lw.open_person, row.person_id),
                help="Open this person's record",
            )

    async def discover(self) -> Hits:
        for row in self._people("")[:8]:
            yield DiscoveryHit(
                Text(literal(name_with_birth(row.name, row.date_of_birth))),
                partial(self.lw.open_person, row.person_id),
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
