"""The one list of tables that hold a person's data (store/schema.py) matches the schema.

A migration that adds a table with a ``person_id`` column, or a foreign key into a listed
table, must add it to PERSONAL_TABLES; these tests fail until it does.
"""

from __future__ import annotations

import pytest

from linkworker import erasure, people, subject_access
from linkworker.clock import Clock
from linkworker.models import PersonDetails
from linkworker.store.db import Database
from linkworker.store.schema import PERSONAL_TABLES, unlisted_personal_tables


def assert_every_personal_table_is_listed(db: Database) -> None:
    missing = [t.name for t in unlisted_personal_tables(db)]
    assert missing == [], f"add these tables to store.schema.PERSONAL_TABLES: {missing}"


def test_every_table_that_holds_a_persons_data_is_listed(db: Database) -> None:
    assert_every_personal_table_is_listed(db)


def test_the_check_fails_for_a_table_the_list_lacks(db: Database) -> None:
    db.execute("CREATE TABLE letters (id INTEGER PRIMARY KEY, person_id INTEGER, body TEXT)")
    with pytest.raises(AssertionError, match=r"\['letters'\]"):
        assert_every_personal_table_is_listed(db)


def test_the_check_fails_for_a_table_hanging_off_a_listed_one(db: Database) -> None:
    db.execute(
        "CREATE TABLE goal_photos (id INTEGER PRIMARY KEY, "
        "goal_id INTEGER REFERENCES goals (id), caption TEXT)"
    )
    db.execute(
        "CREATE TABLE photo_tags (id INTEGER PRIMARY KEY, "
        "photo_id INTEGER REFERENCES goal_photos (id), tag TEXT)"
    )
    with pytest.raises(AssertionError, match=r"\['goal_photos', 'photo_tags'\]"):
        assert_every_personal_table_is_listed(db)


def test_every_listed_table_exists_with_the_column_that_ties_it(db: Database) -> None:
    names = [t.name for t in PERSONAL_TABLES]
    assert len(names) == len(set(names))
    for position, table in enumerate(PERSONAL_TABLES):
        assert db.table(table.name).exists(), table.name
        assert table.link in db.table(table.name).columns_dict, table
        if table.parent is not None:
            assert table.parent in names[:position], f"{table.name}: parent listed after it"
            keys = {(fk.column, fk.other_table) for fk in db.table(table.name).foreign_keys}
            assert (table.link, table.parent) in keys, table


def test_erasure_and_subject_access_reach_a_table_the_list_lacks(
    db: Database, clock: Clock
) -> None:
    pid = people.add_person(db, PersonDetails(given_name="Edith", family_name="Crawley"), clock)
    other = people.add_person(db, PersonDetails(given_name="Ann", family_name="Lee"), clock)
    db.execute("CREATE TABLE letters (id INTEGER PRIMARY KEY, person_id INTEGER, body TEXT)")
    db.execute(
        "CREATE TABLE enclosures (id INTEGER PRIMARY KEY, "
        "letter_id INTEGER REFERENCES letters (id), note TEXT)"
    )
    db.execute("INSERT INTO letters (id, person_id, body) VALUES (1, ?, 'Dear Edith')", [pid])
    db.execute("INSERT INTO letters (id, person_id, body) VALUES (2, ?, 'Dear Ann')", [other])
    db.execute("INSERT INTO enclosures (letter_id, note) VALUES (1, 'leaflet'), (2, 'map')")

    held = subject_access.subject_access(db, pid, clock.stamp())["tables"]
    assert [r["body"] for r in held["letters"]] == ["Dear Edith"]
    assert [r["note"] for r in held["enclosures"]] == ["leaflet"]

    result = erasure.erase_person(db, pid, clock)
    assert (result.rows["letters"], result.rows["enclosures"]) == (1, 1)
    assert [r[0] for r in db.execute("SELECT body FROM letters")] == ["Dear Ann"]
    assert [r[0] for r in db.execute("SELECT note FROM enclosures")] == ["map"]
