"""The TypedDict rows the core returns name every column of their table, typed as stored."""

from __future__ import annotations

import types
from typing import Any, get_type_hints

import pytest

from linkworker.caseload import PersonListRow
from linkworker.followups.booking import FollowUpRow
from linkworker.people import FlagRow, PersonRow
from linkworker.referrals import ReferralRow
from linkworker.store.db import Database

SQL_TYPES = {"INTEGER": int, "TEXT": str, "REAL": float}
ROWS: list[tuple[type[Any], str]] = [
    (PersonRow, "people"),
    (ReferralRow, "referrals"),
    (FlagRow, "flags"),
    (FollowUpRow, "followups"),
]


def _parts(hint: object) -> set[object]:
    if isinstance(hint, types.UnionType):
        return set(hint.__args__)
    return {hint}


@pytest.mark.parametrize(("row", "table"), ROWS, ids=[t for _, t in ROWS])
def test_a_row_type_has_every_column_with_its_stored_type(
    db: Database, row: type[Any], table: str
) -> None:
    hints = get_type_hints(row)
    columns = {
        name: (kind, bool(notnull or pk))
        for _, name, kind, notnull, _, pk in db.execute(f"PRAGMA table_info([{table}])")
    }
    assert set(hints) == set(columns)
    for name, (kind, required) in columns.items():
        expected = {SQL_TYPES[kind]} if required else {SQL_TYPES[kind], type(None)}
        assert _parts(hints[name]) == expected, f"{table}.{name}"


def test_the_people_list_row_names_what_the_list_selects(db: Database) -> None:
    from linkworker import caseload

    db.execute(
        "INSERT INTO people (given_name, family_name, created_at, updated_at) "
        "VALUES ('Joan', 'Smith', 'now', 'now')"
    )
    (listed,) = caseload.list_people(db)
    assert set(listed) == set(get_type_hints(PersonListRow))
