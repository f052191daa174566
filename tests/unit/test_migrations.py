"""Each migration: build the schema before it, insert rows, migrate, check the rows."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from linkworker.store import migrations as migrations_module
from linkworker.store.db import Database, connect, open_store
from linkworker.store.migrations import known_names, migrations


def _store_before(path: Path, name: str) -> Database:
    db = connect(path)
    migrations.apply(db, stop_before=name)
    return db


def _back_filled(
    path: Path, name: str, fill: Callable[[Database], object], sql: str
) -> tuple[Database, list[tuple[Any, ...]]]:
    """A store made just before migration ``name``, filled by ``fill`` and migrated, and the
    rows ``sql`` reads from the copy the migration filled in."""
    db = _store_before(path, name)
    fill(db)
    migrations.apply(db)
    return db, [tuple(r) for r in db.execute(sql).fetchall()]


SCHEMA = Path(__file__).resolve().parents[1] / "fixtures" / "schema.json"


def test_a_new_store_has_the_released_schema_byte_for_byte(tmp_path: Path) -> None:
    """Every table, index and trigger a new store gets, exactly as the released steps made it.

    tests/fixtures/schema.json was captured from the code that ran each step as one script;
    a new migration appends its objects there (released steps never change).
    """
    db = open_store(tmp_path / "s.db")
    built = [
        list(row)
        for row in db.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY rowid"
        ).fetchall()
    ]
    db.close()
    assert built == json.loads(SCHEMA.read_text())


def test_m001_domain_builds_every_table_from_nothing(tmp_path: Path) -> None:
    db = _store_before(tmp_path / "s.db", "m002_caseload_summary")
    assert [m.name for m in migrations.applied(db)] == ["m001_domain"]
    db.execute(
        "INSERT INTO people (given_name, family_name, created_at, updated_at) "
        "VALUES ('Joan', 'Smith', 't', 't')"
    )
    db.execute(
        "INSERT INTO referrals (person_id, source, received_on, created_at, updated_at) "
        "VALUES (1, 'gp_practice', '2026-11-01', 't', 't')"
    )
    assert db.execute("SELECT status, needs FROM referrals").fetchone() == ("received", "[]")
    # The audit trail refuses edits.
    db.execute("INSERT INTO audit (at, action, table_name) VALUES ('t', 'insert', 'people')")
    try:
        db.execute("UPDATE audit SET table_name = 'x'")
    except Exception as exc:
        assert "append-only" in str(exc)
    else:
        raise AssertionError("the audit table accepted an UPDATE")


def test_m002_summarises_people_already_in_the_store(tmp_path: Path) -> None:
    db = _store_before(tmp_path / "s.db", "m002_caseload_summary")
    db.execute(
        "INSERT INTO people (given_name, family_name, nhs_number, created_at, updated_at) "
        "VALUES ('Joan', 'Smith', '9434765919', 't', 't')"
    )
    db.execute(
        "INSERT INTO referrals (person_id, source, received_on, status, created_at, "
        "updated_at) VALUES (1, 'gp_practice', '2026-11-01', 'accepted', 't', 't')"
    )
    db.execute(
        "INSERT INTO contacts (person_id, referral_id, contact_at, mode, created_at) "
        "VALUES (1, 1, '2026-11-05T10:00:00', 'phone', 't')"
    )
    migrations.apply(db, stop_before="m003_search")
    row = db.execute(
        "SELECT full_name, status, contacts, last_contact_at, nhs_number FROM person_summary"
    ).fetchone()
    assert row == ("Joan Smith", "accepted", 1, "2026-11-05T10:00:00", "9434765919")
    # And the triggers keep it current from now on.
    db.execute(
        "INSERT INTO contacts (person_id, referral_id, contact_at, mode, created_at) "
        "VALUES (1, 1, '2026-11-12T10:00:00', 'video', 't')"
    )
    db.execute(
        "INSERT INTO flags (person_id, kind, raised_on, created_at) "
        "VALUES (1, 'safeguarding', '2026-11-12', 't')"
    )
    row = db.execute("SELECT contacts, last_contact_at, flags FROM person_summary").fetchone()
    assert row == (2, "2026-11-12T10:00:00", "safeguarding")
    db.execute("DELETE FROM people WHERE id = 1")
    assert db.execute("SELECT count(*) FROM person_summary").fetchone()[0] == 0


def test_m003_indexes_activities_already_in_the_store(tmp_path: Path) -> None:
    db = _store_before(tmp_path / "s.db", "m003_search")
    db.execute(
        "INSERT INTO activities (source_id, name, description, created_at, updated_at) "
        "VALUES ('a1', 'Knit and natter', 'Friendly knitting group', 't', 't')"
    )
    migrations.apply(db)
    hits = db.execute("SELECT rowid FROM activities_fts WHERE activities_fts MATCH 'knit*'")
    assert [r[0] for r in hits] == [1]
    db.execute("UPDATE activities SET description = 'Crochet circle' WHERE id = 1")
    hits = db.execute("SELECT rowid FROM activities_fts WHERE activities_fts MATCH 'crochet'")
    assert [r[0] for r in hits] == [1]


def test_m004_corrections_keeps_rows_and_counts_no_struck_out_contact(tmp_path: Path) -> None:
    db = _store_before(tmp_path / "s.db", "m004_corrections")
    db.execute(
        "INSERT INTO people (given_name, family_name, created_at, updated_at) "
        "VALUES ('Joan', 'Smith', 't', 't')"
    )
    db.execute(
        "INSERT INTO referrals (person_id, source, received_on, status, created_at, "
        "updated_at) VALUES (1, 'gp_practice', '2026-11-01', 'accepted', 't', 't')"
    )
    for day in ("2026-11-05", "2026-11-12"):
        db.execute(
            "INSERT INTO contacts (person_id, referral_id, contact_at, mode, created_at) "
            "VALUES (1, 1, ?, 'phone', 't')",
            [f"{day}T10:00:00"],
        )
    db.execute("INSERT INTO audit (at, action, table_name) VALUES ('t', 'insert', 'people')")
    migrations.apply(db)
    assert db.execute("SELECT contacts FROM person_summary").fetchone()[0] == 2
    assert db.execute("SELECT reason, worker FROM audit").fetchone() == (None, None)
    db.execute(
        "UPDATE contacts SET entered_in_error_at = 't', entered_in_error_reason = 'x' WHERE id = 2"
    )
    row = db.execute("SELECT contacts, last_contact_at FROM person_summary").fetchone()
    assert row == (1, "2026-11-05T10:00:00")
    assert db.execute("SELECT count(*) FROM contacts").fetchone()[0] == 2


def test_m007_gives_every_follow_up_its_own_random_calendar_uid(tmp_path: Path) -> None:
    db = _store_before(tmp_path / "s.db", "m007_calendar_uids")
    db.execute(
        "INSERT INTO people (given_name, family_name, created_at, updated_at) "
        "VALUES ('Joan', 'Smith', 't', 't')"
    )
    for day in ("2026-11-05", "2026-11-12"):
        db.execute(
            "INSERT INTO followups (person_id, due_on, kind, created_at, updated_at) "
            "VALUES (1, ?, 'phone', 't', 't')",
            [day],
        )
    migrations.apply(db)
    uids = [r[0] for r in db.execute("SELECT calendar_uid FROM followups ORDER BY id")]
    assert len(set(uids)) == 2
    assert all(len(u) == len("0" * 32 + "@linkworker") and u.endswith("@linkworker") for u in uids)
    try:
        db.execute(
            "INSERT INTO followups (person_id, due_on, kind, calendar_uid, created_at, "
            "updated_at) VALUES (1, '2026-11-19', 'phone', ?, 't', 't')",
            [uids[0]],
        )
    except Exception as exc:
        assert "UNIQUE" in str(exc)
    else:
        raise AssertionError("a calendar UID was used twice")


def test_m010_keeps_people_and_flags_and_adds_the_reason_and_the_group(tmp_path: Path) -> None:
    db = _store_before(tmp_path / "s.db", "m010_person_details")
    joan = {"given_name": "Joan", "family_name": "Smith", "ethnicity": "white"}
    db["people"].insert({**joan, "created_at": "t", "updated_at": "t"})
    flag = {"person_id": 1, "kind": "lone_working", "raised_on": "2026-11-02"}
    db["flags"].insert({**flag, "cleared_on": "2026-11-09", "created_at": "t"})
    migrations.apply(db)
    row = db.execute("SELECT kind, cleared_on, cleared_reason FROM flags").fetchone()
    assert row == ("lone_working", "2026-11-09", None)
    person = db.execute("SELECT ethnicity, ethnic_group FROM people").fetchone()
    assert person == ("white", None)


def test_every_migration_has_a_test_here() -> None:
    # A test of step mNNN is a function named test_mNNN_... in this module.
    tests = [name for name, value in globals().items() if callable(value)]
    for name in known_names():
        step = name.split("_")[0]
        assert any(t.startswith(f"test_{step}_") for t in tests), (
            f"{name} has no test_{step}_... in test_migrations.py"
        )


def test_every_released_sql_file_is_a_step_and_splits_into_whole_statements() -> None:
    # store/sql/<step>.sql holds a released step's fixed SQL: a file no step names would be
    # SQL that never runs.
    folder = Path(migrations_module.__file__).parent / "sql"
    names = sorted(p.stem for p in folder.glob("*.sql"))
    assert names and set(names) <= set(known_names())
    for name in names:
        statements = migrations_module._statements(name)
        assert statements and all(s.strip() == s and not s.endswith(";") for s in statements)
    # The audit trail's trigger is one statement, though its body has a ";" of its own.
    assert migrations_module._statements("m001_domain")[-1].startswith(
        "CREATE TRIGGER audit_is_append_only"
    )


def test_m006_gives_an_existing_store_an_id_and_an_empty_erasure_ledger(tmp_path: Path) -> None:
    db = _store_before(tmp_path / "s.db", "m006_store_identity")
    db.execute("INSERT INTO meta (key, value) VALUES ('created_at', 't')")
    migrations.apply(db)
    row = db.execute("SELECT value FROM meta WHERE key = 'store_id'").fetchone()
    assert row is not None and len(row[0]) == 32
    assert db.execute("SELECT count(*) FROM erasure_ledger").fetchone()[0] == 0
    other = open_store(tmp_path / "t.db")
    assert other.execute("SELECT value FROM meta WHERE key = 'store_id'").fetchone()[0] != row[0]
    other.close()
    db.close()


def test_m009_gives_an_existing_store_an_empty_list_of_directory_sources(tmp_path: Path) -> None:
    db = _store_before(tmp_path / "s.db", "m009_directory_sources")
    assert "directory_sources" not in db.table_names()
    migrations.apply(db)
    assert db.execute("SELECT count(*) FROM directory_sources").fetchone()[0] == 0
    db.execute(
        "INSERT INTO directory_sources (name, url, created_at) VALUES ('c', 'https://c/s', 't')"
    )
    query = "SELECT services, last_errors, last_complete FROM directory_sources"
    row = db.execute(query).fetchone()
    assert row == (0, "[]", None)


def test_m011_finds_people_already_in_the_store_as_they_are_spoken_of(tmp_path: Path) -> None:
    db = _store_before(tmp_path / "s.db", "m011_find_people")
    for given, family, phone in (("Mary", "O'Neill-Smith", "07700 900123"), ("Zoë", "Adams", None)):
        db.execute(
            "INSERT INTO people (given_name, family_name, phone, postcode, created_at, updated_at) "
            "VALUES (?, ?, ?, 'LS1 4AB', 't', 't')",
            [given, family, phone],
        )
    migrations.apply(db)
    rows = db.execute(
        "SELECT find_text, sort_name FROM person_summary ORDER BY person_id"
    ).fetchall()
    assert rows == [
        ("|maryoneillsmith|||07700900123|ls14ab|", "O'Neill-Smith Mary"),
        ("|zoeadams||||ls14ab|", "Adams Zoë"),
    ]
    db.execute("UPDATE people SET family_name = 'Brontë' WHERE id = 2")
    assert db.execute("SELECT find_text FROM person_summary WHERE person_id = 2").fetchone() == (
        "|zoebronte||||ls14ab|",
    )
    db.close()


def test_m008_gives_activities_the_kept_lists_and_the_re_import_state(tmp_path: Path) -> None:
    db = _store_before(tmp_path / "s.db", "m008_directory_feeds")
    db.table("activities").insert(
        {"source_id": "walk-1", "name": "Walk", "retired": 1, "created_at": "t", "updated_at": "t"}
    )
    migrations.apply(db)
    row = dict(
        zip(
            ("locations", "phones", "contacts", "cost_options", "retired_by_feed"),
            db.execute(
                "SELECT locations, phones, contacts, cost_options, retired_by_feed FROM activities"
            ).fetchone(),
            strict=True,
        )
    )
    # Lists start empty; a retirement made before m008 is the worker's, never undone by a feed.
    assert row == {
        "locations": "[]",
        "phones": "[]",
        "contacts": "[]",
        "cost_options": "[]",
        "retired_by_feed": 0,
    }
    assert db.execute("SELECT missing_pulls, hand_edited FROM activities").fetchone() == (0, "[]")
    db.close()


def test_m012_gives_activities_a_duplicate_key_and_no_knowledge_and_sources_no_paging(
    tmp_path: Path,
) -> None:
    db = _store_before(tmp_path / "s.db", "m012_directory_quality")
    db.table("activities").insert(
        {"source_id": "walk-1", "name": "St. Mary's Walk", "postcode": "HV2 1AB",
         "created_at": "t", "updated_at": "t"}
    )  # fmt: skip
    db.execute(
        "INSERT INTO directory_sources (name, url, created_at) VALUES ('c', 'https://c/s', 't')"
    )
    migrations.apply(db)
    # Activities already held get their duplicate key at once (computed, indexed).
    assert db.execute("SELECT worker_knowledge, duplicate_key FROM activities").fetchone() == (
        "{}",
        "stmaryswalk|HV21AB",
    )
    assert "activities_duplicate_key" in {i.name for i in db.table("activities").indexes}
    assert db.execute("SELECT name, paging_problems FROM directory_sources").fetchone() == (
        "c",
        "[]",
    )
    db.close()


def test_m013_ranks_existing_activities_without_reading_their_rows(tmp_path: Path) -> None:
    db = _store_before(tmp_path / "s.db", "m013_directory_search")
    db.table("activities").insert(
        {"source_id": "walk-1", "name": "Walk", "created_at": "t", "updated_at": "t"}
    )
    migrations.apply(db)
    plan = db.execute(
        "EXPLAIN QUERY PLAN SELECT a.id FROM activities a INDEXED BY activities_ranking "
        "WHERE a.id = 1 AND a.retired = 0 AND a.status = 'active' "
        "ORDER BY a.assured_date, a.verified_on"
    ).fetchall()
    assert any("COVERING INDEX activities_ranking" in str(step[-1]) for step in plan)
    db.close()


def test_m015_adds_visit_checks_supervision_and_community_work_to_a_store_in_use(
    tmp_path: Path,
) -> None:
    db = _store_before(tmp_path / "s.db", "m015_lone_visits_supervision_community")
    db.execute(
        "INSERT INTO people (given_name, family_name, created_at, updated_at) "
        "VALUES ('Joan', 'Smith', 't', 't')"
    )
    migrations.apply(db)
    for table in (
        "visit_checks",
        "supervision_cases",
        "supervision_sessions",
        "supervision_actions",
        "community_work",
    ):
        assert db.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,)
    db.execute(
        "INSERT INTO supervision_cases (person_id, case_ref, question, marked_on, created_at, "
        "updated_at) VALUES (1, 'SV-0001', 'Why?', '2026-11-23', 't', 't')"
    )
    # A kind of work or supervision outside the lists, or no minutes, is refused by SQLite too.
    for bad in (
        "INSERT INTO community_work (worked_on, kind, minutes, created_at) "
        "VALUES ('2026-11-23', 'knitting', 30, 't')",
        "INSERT INTO community_work (worked_on, kind, minutes, created_at) "
        "VALUES ('2026-11-23', 'outreach', 0, 't')",
        "INSERT INTO supervision_sessions (held_on, kind, supervisor, created_at) "
        "VALUES ('2026-11-23', 'weekly', 'Kim', 't')",
    ):
        with pytest.raises(Exception, match="CHECK constraint failed"):
            db.execute(bad)


def test_m014_gives_an_existing_store_empty_team_keys_and_one_identity_at_most(
    tmp_path: Path,
) -> None:
    db = _store_before(tmp_path / "s.db", "m014_team_keys")
    assert "team_keys" not in db.table_names()
    migrations.apply(db)
    assert [db[t].count for t in ("team_identity", "team_keys", "sealed_received")] == [0, 0, 0]
    db.execute("INSERT INTO team_identity VALUES (1, 's', 'p', 't')")
    for refused in [
        "INSERT INTO team_identity VALUES (2, 's', 'p', 't')",
        "INSERT INTO team_keys VALUES ('  ', 'k', 'f', 't')",
    ]:
        try:
            db.execute(refused)
        except Exception as exc:  # the driver's IntegrityError (sqlite3 or sqlcipher3)
            assert "constraint failed" in str(exc)
            continue
        raise AssertionError(f"the store accepted: {refused}")
    db.execute("INSERT INTO team_keys VALUES ('Bea', 'k', 'f', 't')")
    try:
        db.execute("INSERT INTO team_keys VALUES ('bea', 'k2', 'f', 't')")
    except Exception as exc:
        assert "UNIQUE constraint failed: team_keys.name" in str(exc)
    else:
        raise AssertionError("two keys were kept under one name")
    db.close()


def test_m019_adds_handovers_and_a_guard_that_migrations_pass(
    tmp_path: Path,
) -> None:
    from linkworker.store.handed_over import guard_suspended

    db = _store_before(tmp_path / "s.db", "m019_handovers")
    db.execute(
        "INSERT INTO people (id, given_name, family_name, created_at, updated_at) "
        "VALUES (1, 'Joan', 'Smith', 't', 't'), (2, 'Ann', 'Other', 't', 't')"
    )
    db.execute(
        "INSERT INTO referrals (person_id, source, received_on, created_at, updated_at) "
        "VALUES (1, 'self', '2026-11-01', 't', 't'), (2, 'self', '2026-11-01', 't', 't')"
    )
    migrations.apply(db)
    assert db["handovers"].count == 0
    db.execute("UPDATE people SET phone = '01' WHERE id = 1")  # nobody handed over: writes go
    db.execute(
        "INSERT INTO handovers (person_id, to_name, to_fingerprint, handed_over_on, created_at) "
        "VALUES (1, 'Bea', 'F', '2026-12-02', 't')"
    )
    for refused in [
        "UPDATE people SET phone = '02' WHERE id = 1",
        "UPDATE referrals SET reason = 'x' WHERE person_id = 1",
        "UPDATE referrals SET person_id = 1 WHERE person_id = 2",
        "DELETE FROM referrals WHERE person_id = 1",
        "INSERT INTO flags (person_id, kind, raised_on, created_at) VALUES (1, 'other', 'd', 't')",
    ]:
        try:
            db.execute(refused)
        except Exception as exc:  # the driver's IntegrityError
            assert "handed over to a colleague" in str(exc)
            continue
        raise AssertionError(f"the store accepted: {refused}")
    db.execute("UPDATE people SET phone = '03' WHERE id = 2")  # someone else's record
    with guard_suspended(db):  # as open_store runs every later step
        db.execute("UPDATE people SET phone = lower(coalesce(phone, ''))")
    db.execute("UPDATE handovers SET ended_on = '2026-12-03'")
    db.execute("UPDATE people SET phone = '04' WHERE id = 1")  # the case came back
def test_m016_adds_gaps_and_the_population_to_a_store_with_people(tmp_path: Path) -> None:
    db = _store_before(tmp_path / "s.db", "m016_gaps_and_population")
    assert "gaps" not in db.table_names()
    db.table("people").insert(
        {"given_name": "Ann", "family_name": "Lee", "created_at": "t", "updated_at": "t"}
    )
    migrations.apply(db)
    db.execute(
        "INSERT INTO gaps (person_id, recorded_on, need, barrier, area, created_at, "
        "updated_at) VALUES (1, '2026-11-02', 'loneliness', 'cost', 'HV2', 't', 't')"
    )
    db.execute(
        "INSERT INTO population (grouping, grouped, people, loaded_at) "
        "VALUES ('sex', 'female', 5100, 't')"
    )
    # A gap goes with its person; the population holds no one's data.
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("DELETE FROM people WHERE id = 1")
    assert db.execute("SELECT count(*) FROM gaps").fetchone()[0] == 0
    assert db.execute("SELECT people FROM population").fetchone()[0] == 5100
    db.close()


def test_m017_adds_information_needs_and_plan_signoffs_to_a_store_with_people(
    tmp_path: Path,
) -> None:
    db = _store_before(tmp_path / "s.db", "m017_information_needs")
    db.execute(
        "INSERT INTO people (given_name, family_name, created_at, updated_at) "
        "VALUES ('Joan', 'Smith', 't', 't')"
    )
    migrations.apply(db)
    # Nobody has needs recorded until the worker records them; the defaults say "none".
    assert db.execute("SELECT count(*) FROM information_needs").fetchone() == (0,)
    db.execute(
        "INSERT INTO information_needs (person_id, created_at, updated_at) VALUES (1, 't', 't')"
    )
    assert db.execute(
        "SELECT large_print, easy_read, braille, audio FROM information_needs"
    ).fetchone() == (0, 0, 0, 0)
    try:
        db.execute(
            "INSERT INTO information_needs (person_id, created_at, updated_at) VALUES (1, 't', 't')"
        )
    except Exception as exc:
        assert "UNIQUE" in str(exc)  # one row of needs a person
    else:
        raise AssertionError("a second row of needs was stored for one person")
    db.execute(
        "INSERT INTO plan_signoffs (person_id, signed_on, created_at, updated_at) "
        "VALUES (1, '2026-11-23', 't', 't')"
    )
    assert db.execute("SELECT criteria FROM plan_signoffs").fetchone() == ("[]",)


def test_m020_guards_every_table_of_a_persons_record(tmp_path: Path) -> None:
    from linkworker.store.schema import PERSONAL_TABLES

    db = _store_before(tmp_path / "s.db", "m020_handover_guard_new_tables")
    assert "gaps_handed_over_insert" not in {t.name for t in db.triggers}
    migrations.apply(db)
    triggers = {t.name for t in db.triggers}
    # Every table a person's record is kept in refuses writes once the case is handed over
    # (the handovers table itself is the lock; derived tables and the trail are not records).
    for table in PERSONAL_TABLES:
        if table.role == "record" and table.name != "handovers":
            for event in ("insert", "update", "delete"):
                assert f"{table.name}_handed_over_{event}" in triggers, (table.name, event)
    db.execute(
        "INSERT INTO people (id, given_name, family_name, created_at, updated_at) "
        "VALUES (1, 'Joan', 'Smith', 't', 't')"
    )
    db.execute(
        "INSERT INTO handovers (person_id, to_name, to_fingerprint, handed_over_on, created_at) "
        "VALUES (1, 'Bea', 'F', '2026-12-02', 't')"
    )
    try:
        db.execute(
            "INSERT INTO gaps (person_id, recorded_on, need, barrier, created_at, updated_at) "
            "VALUES (1, '2026-12-02', 'loneliness', 'cost', 't', 't')"
        )
    except Exception as exc:
        assert "handed over" in str(exc)
    else:
        raise AssertionError("a gap was recorded for a handed-over person")
    db.close()


def test_m021_keeps_every_caseload_row_as_m011_made_it_with_a_tenth_of_the_schema(
    tmp_path: Path,
) -> None:
    db = _store_before(tmp_path / "s.db", "m021_small_summary_triggers")
    schema_before = db.execute("SELECT sum(length(sql)) FROM sqlite_master").fetchone()[0]
    migrations.apply(db)
    schema_after = db.execute("SELECT sum(length(sql)) FROM sqlite_master").fetchone()[0]
    # SQLite reads the whole schema on every connection: the triggers were most of it.
    assert schema_after < schema_before / 3
    db.execute(
        "INSERT INTO people (id, given_name, family_name, postcode, created_at, updated_at) "
        "VALUES (1, 'Zoë', 'Adams', 'LS1 4AB', 't', 't'), (2, 'Joan', 'Smith', NULL, 't', 't')"
    )
    db.execute(
        "INSERT INTO referrals (person_id, source, received_on, status, created_at, updated_at) "
        "VALUES (1, 'self', '2026-11-01', 'accepted', 't', 't')"
    )
    db.execute(
        "INSERT INTO contacts (person_id, referral_id, contact_at, mode, created_at) "
        "VALUES (1, 1, '2026-11-05T10:00:00', 'phone', 't')"
    )
    db.execute(
        "INSERT INTO followups (person_id, referral_id, due_on, kind, status, created_at, "
        "updated_at) VALUES (1, 1, '2026-11-20', 'phone', 'planned', 't', 't')"
    )
    db.execute("UPDATE people SET family_name = 'Brontë' WHERE id = 1")
    kept = db.execute(
        "SELECT person_id, find_text, status, contacts, last_contact_at, next_followup_on "
        "FROM person_summary ORDER BY person_id"
    ).fetchall()
    assert kept == [
        (1, "|zoebronte||||ls14ab|", "accepted", 1, "2026-11-05T10:00:00", "2026-11-20"),
        (2, "|joansmith|||||", None, 0, None, None),
    ]
    # The same rows as making them all again gives, and the queue is left empty.
    from linkworker.store.migrations import rebuild_summary

    rebuild_summary(db)
    assert kept == db.execute(
        "SELECT person_id, find_text, status, contacts, last_contact_at, next_followup_on "
        "FROM person_summary ORDER BY person_id"
    ).fetchall()
    db.execute("DELETE FROM contacts")
    assert db.execute("SELECT contacts FROM person_summary WHERE person_id = 1").fetchone() == (0,)
    assert db.execute("SELECT count(*) FROM summary_refresh").fetchone() == (0,)
    db.close()


def _two_people(db: Database) -> None:
    db.execute(
        "INSERT INTO people (id, given_name, family_name, created_at, updated_at) "
        "VALUES (1, 'Joan', 'Smith', 't', 't'), (2, 'Ann', 'Lee', 't', 't')"
    )


def _m022_measures(db: Database) -> None:
    """Two people: an episode with two baselines on one day and three follow-ups (one struck
    out), measures linked to no referral, and a follow-up whose scores are not JSON."""
    _two_people(db)
    db.execute(
        "INSERT INTO referrals (id, person_id, source, received_on, status, created_at, "
        "updated_at) VALUES (1, 1, 'self', '2026-01-02', 'accepted', 't', 't'), "
        "(2, 2, 'self', '2026-01-02', 'accepted', 't', 't')"
    )
    rows = [
        # id, person, referral, kind, stage, taken_on, scores' values, struck out
        (1, 1, 1, "ucla3", "baseline", "2026-01-10", '{"total": 7.0}', None),
        (2, 1, 1, "ucla3", "baseline", "2026-01-10", '{"total": 9.0}', None),
        (3, 1, 1, "ucla3", "follow_up", "2026-03-01", '{"total": 5.0}', None),
        (4, 1, 1, "ucla3", "follow_up", "2026-05-01", '{"total": 4.0}', None),
        (5, 1, 1, "ucla3", "follow_up", "2026-06-01", '{"total": 3.0}', "2026-06-02"),
        (6, 1, None, "ons4", "baseline", "2026-02-01", '{"happiness": 4.0, "anxiety": 6.0}', None),
        (7, 1, None, "ons4", "follow_up", "2026-04-01", '{"happiness": 7.0, "anxiety": 3.0}', None),
        (8, 2, 2, "ucla3", "baseline", "2026-01-05", '{"total": 8.0}', None),
        (9, 2, 2, "ucla3", "follow_up", "2026-02-05", "not JSON", None),
    ]
    for mid, pid, rid, kind, stage, on, values, struck in rows:
        scores = values if values == "not JSON" else f'{{"values": {values}}}'
        db.execute(
            "INSERT INTO measures (id, person_id, referral_id, kind, stage, taken_on, answers, "
            "scores, complete, created_at, entered_in_error_at) "
            "VALUES (?, ?, ?, ?, ?, ?, '{}', ?, 1, 't', ?)",
            [mid, pid, rid, kind, stage, on, scores, struck],
        )


_M022_PAIRS = (
    "SELECT follow_up_id, person_id, episode, kind, name, month, taken_on, next_on, "
    "baseline_on, baseline, follow_up FROM outcome_pairs ORDER BY follow_up_id, name"
)


def _made_again(db: Database, copy: str, refill: str, rows: str) -> list[tuple[object, ...]]:
    """A kept copy made from nothing (as its migration fills it): ``copy`` emptied, its
    queue filled by ``refill``, and ``rows`` read, inside a savepoint then rolled back."""
    db.execute("SAVEPOINT made_again")
    try:
        db.execute(f"DELETE FROM {copy}")
        db.execute(refill)
        return [tuple(r) for r in db.execute(rows).fetchall()]
    finally:
        db.execute("ROLLBACK TO made_again")


def _rows(db: Database, sql: str) -> list[tuple[object, ...]]:
    return [tuple(r) for r in db.execute(sql).fetchall()]


def _triggers_make_the_back_fill(
    path: Path, fill: Callable[[Database], object], rows: str, filled: list[tuple[object, ...]]
) -> None:
    """The same rows written to a new store (its triggers, not the migration) keep ``filled``."""
    fresh = connect(path)
    migrations.apply(fresh)
    fill(fresh)
    assert _rows(fresh, rows) == filled
    fresh.close()


def _each_change_kept(
    db: Database,
    changes: list[str],
    rows: str,
    made_again: Callable[[Database], list[tuple[object, ...]]],
) -> None:
    """After each change the kept copy is what it would be made from nothing, and differs
    from before (a change that moved nothing would test nothing)."""
    for change in changes:
        before = _rows(db, rows)
        db.execute(change)
        kept = _rows(db, rows)
        assert kept == made_again(db), change
        assert kept != before, f"{change}: changed nothing kept"


def _m022_made_again(db: Database) -> list[tuple[object, ...]]:
    """The pairs made from nothing for every episode."""
    return _made_again(
        db,
        "outcome_pairs",
        "INSERT INTO outcome_pairs_refresh SELECT DISTINCT coalesce(referral_id, -person_id), "
        "kind FROM measures WHERE entered_in_error_at IS NULL",
        _M022_PAIRS,
    )


def test_m022_pairs_each_follow_up_with_its_first_baseline_and_triggers_keep_them(
    tmp_path: Path,
) -> None:
    db, filled = _back_filled(tmp_path / "s.db", "m022_outcome_pairs", _m022_measures, _M022_PAIRS)
    # The first baseline is the earliest, then the first recorded (id 1, not id 2); a
    # struck-out follow-up counts nowhere (id 3 is followed by id 4 only); a measure linked
    # to no referral pairs within the person's (episode -1); scores that are not JSON pair
    # nothing (id 9).
    assert filled == [
        (3, 1, 1, "ucla3", "total", "2026-03", "2026-03-01", "2026-05-01", "2026-01-10", 7.0, 5.0),
        (4, 1, 1, "ucla3", "total", "2026-05", "2026-05-01", None, "2026-01-10", 7.0, 4.0),
        (7, 1, -1, "ons4", "anxiety", "2026-04", "2026-04-01", None, "2026-02-01", 6.0, 3.0),
        (7, 1, -1, "ons4", "happiness", "2026-04", "2026-04-01", None, "2026-02-01", 4.0, 7.0),
    ]
    _triggers_make_the_back_fill(tmp_path / "new.db", _m022_measures, _M022_PAIRS, filled)

    changes = [
        'UPDATE measures SET scores = \'{"values": {"total": 6.0}}\' WHERE id = 4',
        # striking out the first baseline makes the next one first; the last follow-up's
        # strike-out makes the one before it last
        "UPDATE measures SET entered_in_error_at = 't' WHERE id = 1",
        "UPDATE measures SET entered_in_error_at = 't' WHERE id = 4",
        "UPDATE measures SET entered_in_error_at = NULL WHERE id = 4",
        "UPDATE measures SET taken_on = '2026-07-01' WHERE id = 3",
        'UPDATE measures SET scores = \'{"values": {"total": 2.0}}\' WHERE id = 9',
        "UPDATE measures SET referral_id = 2 WHERE id = 7",
        "UPDATE measures SET stage = 'baseline' WHERE id = 3",
        # a score named twice in the first baseline (hand-made JSON) pairs twice, as the
        # report always read it, and refuses no write
        'UPDATE measures SET scores = \'{"values": {"total": 9.0, "total": 1.0}}\' WHERE id = 2',
        # values that are not an object give no pair (and refuse no write either), nor do
        # names that are no JSON path
        'UPDATE measures SET scores = \'{"values": 5}\' WHERE id = 2',
        'UPDATE measures SET scores = \'{"values": {"": 1, "a.b": 2, "a b": 3, "total": 8.0}}\' '
        "WHERE id = 2",
        "DELETE FROM measures WHERE id = 2",
        # deleting a referral unlinks its measures (ON DELETE SET NULL): they pair by person
        "DELETE FROM referrals WHERE id = 1",
        "INSERT INTO measures (id, person_id, referral_id, kind, stage, taken_on, answers, "
        "scores, complete, created_at) VALUES (10, 1, NULL, 'ucla3', 'follow_up', "
        "'2026-08-01', '{}', '{\"values\": {\"total\": 3.0}}', 1, 't')",
    ]
    _each_change_kept(db, changes, _M022_PAIRS, _m022_made_again)
    # A person's deletion takes their measures (ON DELETE CASCADE), and so their pairs.
    db.execute("DELETE FROM people WHERE id = 1")
    assert db.execute("SELECT DISTINCT person_id FROM outcome_pairs").fetchall() == [(2,)]
    db.close()


def test_m023_indexes_what_the_report_counts_from_rows_already_stored(tmp_path: Path) -> None:
    db = _store_before(tmp_path / "s.db", "m023_report_indexes")
    db.execute(
        "INSERT INTO people (id, given_name, family_name, postcode, created_at, updated_at) "
        "VALUES (1, 'Joan', 'Smith', ' ls1 4ab', 't', 't'), (2, 'Ann', 'Lee', NULL, 't', 't')"
    )
    db.execute(
        "INSERT INTO referrals (id, person_id, source, received_on, status, created_at, "
        "updated_at) VALUES (1, 1, 'self', '2026-01-02', 'accepted', 't', 't')"
    )
    for attempt, struck in ((0, None), (1, None), (0, "t")):
        db.execute(
            "INSERT INTO contacts (person_id, referral_id, contact_at, mode, attempt, created_at, "
            "entered_in_error_at) VALUES (1, 1, '2026-01-05T10:00:00', 'phone', ?, 't', ?)",
            [attempt, struck],
        )
    migrations.apply(db)
    live = "attempt = 0 AND entered_in_error_at IS NULL"
    for index in ("contacts_live_person", "contacts_live_referral"):
        # Only the real contact that was not struck out is in the index.
        assert db.execute(
            f"SELECT count(*) FROM contacts INDEXED BY {index} WHERE {live}"
        ).fetchone() == (1,)
    # The postcode district is worked out in the index, as the report works it out.
    district = (
        "CASE WHEN instr(trim(postcode), ' ') > 1 "
        "THEN upper(substr(trim(postcode), 1, instr(trim(postcode), ' ') - 1)) END"
    )
    held = db.execute(
        f"SELECT id, {district} FROM people INDEXED BY people_report ORDER BY id"
    ).fetchall()
    assert held == [(1, "LS1"), (2, None)]
    names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {
        "measures_in_episode",
        "measures_kind",
        "connections_report",
        "referrals_discharged",
        "referrals_month_source",
        "referrals_needs",
    } <= names
    db.close()


_M024_ROWS = (
    "SELECT referral_id, person_id, received_on, first_contact_at, days FROM first_contacts "
    "ORDER BY referral_id"
)


def _m024_made_again(db: Database) -> list[tuple[object, ...]]:
    """Every referral's first contact made from nothing."""
    return _made_again(
        db,
        "first_contacts",
        "INSERT INTO first_contacts_refresh SELECT DISTINCT referral_id FROM contacts "
        "WHERE referral_id IS NOT NULL AND attempt = 0 AND entered_in_error_at IS NULL",
        _M024_ROWS,
    )


def _m024_rows(db: Database) -> None:
    """Two people, three referrals; contacts that are attempts, struck out, linked to no
    referral, and real."""
    _two_people(db)
    db.execute(
        "INSERT INTO referrals (id, person_id, source, received_on, status, created_at, "
        "updated_at) VALUES (1, 1, 'self', '2026-01-02', 'accepted', 't', 't'), "
        "(2, 1, 'self', '2026-03-01', 'accepted', 't', 't'), "
        "(3, 2, 'self', '2026-01-10', 'received', 't', 't')"
    )
    contacts = [
        # id, referral, contact_at, attempt, struck out
        (1, 1, "2026-01-03T09:00:00", 1, None),  # an attempt is no contact
        (2, 1, "2026-01-04T09:00:00", 0, "t"),  # nor is one struck out
        (3, 1, "2026-01-09T15:30:00", 0, None),
        (4, 1, "2026-01-20T10:00:00", 0, None),
        (5, None, "2026-01-05T10:00:00", 0, None),  # linked to no referral
        (6, 2, "2026-03-02T10:00:00", 0, None),
    ]
    for cid, rid, at, attempt, struck in contacts:
        db.execute(
            "INSERT INTO contacts (id, person_id, referral_id, contact_at, mode, attempt, "
            "created_at, entered_in_error_at) VALUES (?, 1, ?, ?, 'phone', ?, 't', ?)",
            [cid, rid, at, attempt, struck],
        )


def test_m024_keeps_each_referrals_first_real_contact_and_the_days_to_it(
    tmp_path: Path,
) -> None:
    db, filled = _back_filled(tmp_path / "s.db", "m024_first_contacts", _m024_rows, _M024_ROWS)
    assert filled == [
        (1, 1, "2026-01-02", "2026-01-09T15:30:00", 7),
        (2, 1, "2026-03-01", "2026-03-02T10:00:00", 1),
    ]
    _triggers_make_the_back_fill(tmp_path / "new.db", _m024_rows, _M024_ROWS, filled)

    changes = [
        "UPDATE contacts SET entered_in_error_at = NULL WHERE id = 2",
        "UPDATE contacts SET attempt = 1 WHERE id = 2",
        "UPDATE contacts SET contact_at = '2026-01-01T08:00:00' WHERE id = 4",
        "UPDATE contacts SET referral_id = 2 WHERE id = 4",
        "UPDATE contacts SET referral_id = 3 WHERE id = 5",
        "UPDATE referrals SET received_on = '2025-12-20' WHERE id = 1",
        "DELETE FROM contacts WHERE id = 3",
        "INSERT INTO contacts (id, person_id, referral_id, contact_at, mode, created_at) "
        "VALUES (7, 2, 3, '2026-01-04T09:00:00', 'visit', 't')",
        "DELETE FROM referrals WHERE id = 2",
    ]
    _each_change_kept(db, changes, _M024_ROWS, _m024_made_again)
    assert [tuple(r) for r in db.execute(_M024_ROWS).fetchall()] == [
        (3, 2, "2026-01-10", "2026-01-04T09:00:00", -6),
    ]
    # A person's deletion takes their referrals and contacts, and so their first contacts.
    db.execute("DELETE FROM people WHERE id = 2")
    assert db.execute("SELECT count(*) FROM first_contacts").fetchone() == (0,)
    db.close()
