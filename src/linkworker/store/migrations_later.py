"""The migrations from m007 on (migrations.py holds the runner and m001-m006).

Imported at the end of :mod:`linkworker.store.migrations`, so these register after m006 and
run in the order they are written here. A shipped migration never changes. A step's fixed
SQL is in ``sql/<its name>.sql``; what is made from a rule (triggers a table, a folded name)
is made here.
"""

from __future__ import annotations

from sqlite_utils import Database

from linkworker.store import finding
from linkworker.store.migrations import (
    _SUMMARY_SELECT_M004,
    _m004_summary_triggers,
    _run,
    _statements,
    migrations,
)

# m011's caseload row: m004's plus what finding people matches and sorts by (finding.py).
_SUMMARY_M011 = finding.FindingSummary(_SUMMARY_SELECT_M004)


def fill_summary(db: Database) -> None:
    """Every person's caseload row made again, with what finding people needs."""
    for statement in _SUMMARY_M011.fill():
        db.execute(statement)


@migrations(name="m007_calendar_uids")
def m007_calendar_uids(db: Database) -> None:
    """Every follow-up gets a random calendar UID, stored, so none is ever reused.

    UIDs used to be made from the row number, and SQLite hands an erased person's row
    number to the next follow-up booked: that follow-up then took over the erased person's
    calendar event. A random UID per follow-up, unique in the store, cannot be taken over.
    """
    _run(db, _statements("m007_calendar_uids"))


@migrations(name="m009_directory_sources")
def m009_directory_sources(db: Database) -> None:
    """The feeds ``directory pull`` reads, remembered: name, URL, when last pulled (and
    last pulled completely, for the next incremental pull), the counts and the last errors.
    """
    _run(db, _statements("m009_directory_sources"))


@migrations(name="m010_person_details")
def m010_person_details(db: Database) -> None:
    """Why a safety flag was cleared, and the person's 2021 Census ethnic group (19 groups).

    ``people.ethnicity`` keeps the heading (what the commissioner report counts); records
    made before this step have the heading only, and keep it.
    """
    _run(db, _statements("m010_person_details"))


@migrations(name="m011_find_people")
def m011_find_people(db: Database) -> None:
    """Finding people as spoken of (folded find_text) and by family name (sort_name)."""
    _run(db, _statements("m011_find_people"))
    _run(db, _m004_summary_triggers(_SUMMARY_M011.refresh))
    fill_summary(db)


@migrations(name="m008_directory_feeds")
def m008_directory_feeds(db: Database) -> None:
    """Activities keep every location, phone, contact and cost option of their feed, and
    the state a never-destructive re-import needs (feed retirement, missing pulls, hand
    edits)."""
    _run(db, _statements("m008_directory_feeds"))


#: m012: what is folded out of a name (with case) to find likely duplicates across feeds.
#: Part of a shipped migration: never change it (a new rule is a new migration).
_M012_NAME_PUNCTUATION = " .,'\u2019\"-\u2013\u2014()&!?:;/+*#@_"


def _m012_folded(column: str) -> str:
    expr = f"lower({column})"
    for ch in _M012_NAME_PUNCTUATION:
        quoted = ch.replace("'", "''")
        expr = f"replace({expr}, '{quoted}', '')"
    return expr


#: "stmaryswalk|HV21AB" for "St. Mary's Walk" at "hv2 1ab"; NULL without a postcode.
_M012_DUPLICATE_KEY = (
    "CASE WHEN postcode IS NULL OR postcode = '' THEN NULL ELSE "
    f"{_m012_folded('name')} || '|' || upper(replace(postcode, ' ', '')) END"
)


@migrations(name="m012_directory_quality")
def m012_directory_quality(db: Database) -> None:
    """What the link worker knows of an activity that feeds lack (a JSON object of dated,
    signed attributes: welcome person, how demanding, complex needs, safeguarding policy
    seen, accessibility checked in person), a pull's paging problems kept apart from its
    other errors, for the feed-quality panel, and each activity's ``duplicate_key`` (its
    name folded and its postcode, indexed): search looks up the likely duplicates of each
    page's rows on every keystroke, so the key is computed by SQLite, never stale."""
    _run(
        db,
        [
            "ALTER TABLE activities ADD COLUMN worker_knowledge TEXT NOT NULL DEFAULT '{}'",
            "ALTER TABLE directory_sources ADD COLUMN paging_problems TEXT NOT NULL DEFAULT '[]'",
            f"ALTER TABLE activities ADD COLUMN duplicate_key TEXT GENERATED ALWAYS AS "
            f"({_M012_DUPLICATE_KEY}) VIRTUAL",
            "CREATE INDEX activities_duplicate_key ON activities (duplicate_key)",
        ],
    )


@migrations(name="m013_directory_search")
def m013_directory_search(db: Database) -> None:
    """Search as you type ranks every match of a prefix: an index holding the columns the
    ranking reads (whether listed, its status, how fresh) so it need not read each whole
    activity row (bench/search_keystroke.py measured the ranking query at twice the FTS5
    query without it, and about the same with it)."""
    _run(db, _statements("m013_directory_search"))


@migrations(name="m014_team_keys")
def m014_team_keys(db: Database) -> None:
    """What working in a team needs: this worker's own key pair (the secret stays inside the
    encrypted store), colleagues' and hubs' public keys by name, and the ids of the sealed
    files already received, so the same file is never taken in twice."""
    _run(db, _statements("m014_team_keys"))


@migrations(name="m015_lone_visits_supervision_community")
def m015_lone_visits_supervision_community(db: Database) -> None:
    """Issue 16: checking in and out of a lone visit (what the buddy waits on), people
    marked for supervision with the question (and a random case reference, so the pack
    never needs their name), supervision sessions and the actions agreed in them, and the
    community development work that is no one person's case."""
    _run(db, _statements("m015_lone_visits_supervision_community"))


@migrations(name="m016_gaps_and_population")
def m016_gaps_and_population(db: Database) -> None:
    """Unmet needs (gaps): a person's need that no activity answered, or that a barrier
    blocked, with the postcode district it is in (copied from their postcode when it is
    recorded, so the gap report never reads a full postcode), and the practice population
    the worker loads to compare who is reached against (counts by group, no person's
    data)."""
    _run(db, _statements("m016_gaps_and_population"))


@migrations(name="m017_information_needs")
def m017_information_needs(db: Database) -> None:
    """A person's communication and information needs (the Accessible Information Standard:
    one row a person, with when they were last checked and when to review them), and the
    plan's sign-offs: the five personalised care and support plan criteria the worker
    ticked (a JSON list of codes), the review agreed and the plan's episode."""
    _run(db, _statements("m017_information_needs"))


#: m019: the person a row is about, as each guarded table's trigger finds it (ROW is NEW
#: or OLD). Part of a shipped migration: never change it (a new table is a new step).
_M019_GUARDED = {
    "people": "{row}.id",
    "referrals": "{row}.person_id",
    "contacts": "{row}.person_id",
    "flags": "{row}.person_id",
    "conversations": "{row}.person_id",
    "goals": "{row}.person_id",
    "measures": "{row}.person_id",
    "connections": "{row}.person_id",
    "followups": "{row}.person_id",
    "goal_reviews": "(SELECT g.person_id FROM goals g WHERE g.id = {row}.goal_id)",
    "actions": "(SELECT g.person_id FROM goals g WHERE g.id = {row}.goal_id)",
}
# The guard stands aside while store/handed_over.py's GUARD_OFF database is attached.
_M019_WHEN = (
    "EXISTS (SELECT 1 FROM handovers h WHERE h.person_id = {person} AND h.ended_on IS NULL) "
    "AND NOT EXISTS (SELECT 1 FROM pragma_database_list WHERE name = 'handover_guard_off')"
)


def _m019_guards(guarded: dict[str, str] = _M019_GUARDED) -> list[str]:
    statements = []
    for table, person in guarded.items():
        for event, row in (("INSERT", "NEW"), ("UPDATE", "OLD"), ("DELETE", "OLD")):
            when = _M019_WHEN.format(person=person.format(row=row))
            if event == "UPDATE":  # moving a row onto a handed-over person is refused too
                when = f"({when}) OR ({_M019_WHEN.format(person=person.format(row='NEW'))})"
            statements.append(
                f"CREATE TRIGGER {table}_handed_over_{event.lower()} BEFORE {event} ON {table} "
                f"WHEN {when} BEGIN SELECT RAISE(ABORT, 'this person''s case was handed over "
                "to a colleague: their record here is read-only'); END"
            )
    return statements


@migrations(name="m019_handovers")
def m019_handovers(db: Database) -> None:
    """Case handovers: to whom and when a person's case was handed over (their record is
    read-only here until the case comes back, ``ended_on``), and guard triggers on every
    table of a person's record that refuse writes to a handed-over person's rows."""
    _run(db, [*_statements("m019_handovers"), *_m019_guards()])


#: m020: the tables of a person's record that came after m019's list (lone working and
#: supervision, unmet needs, communication needs and the plan's sign-offs), guarded alike.
_M020_GUARDED = {
    table: "{row}.person_id"
    for table in (
        "visit_checks",
        "supervision_cases",
        "supervision_actions",
        "gaps",
        "information_needs",
        "plan_signoffs",
    )
}


@migrations(name="m020_handover_guard_new_tables")
def m020_handover_guard_new_tables(db: Database) -> None:
    """A handed-over person's record is read-only in every table that holds it: m019's
    guard triggers on the tables of a person's record made since."""
    _run(db, _m019_guards(_M020_GUARDED))


#: m021: the queue the small summary triggers write to; its one trigger makes the row again.
_SUMMARY_QUEUE = "summary_refresh"


def _m021_summary_triggers() -> list[str]:
    """The caseload row's triggers, each a one-line insert into the queue, and the queue's
    one trigger holding the refresh (m011's statements, once)."""
    statements = [
        f"CREATE TABLE {_SUMMARY_QUEUE} (id INTEGER PRIMARY KEY, person_id INTEGER)",
        f"CREATE TRIGGER {_SUMMARY_QUEUE}_rows AFTER INSERT ON {_SUMMARY_QUEUE}\nBEGIN"
        + _SUMMARY_M011.refresh("NEW.person_id")
        + f"\n  DELETE FROM {_SUMMARY_QUEUE} WHERE id = NEW.id;\nEND",
    ]
    queue = f"\n  INSERT INTO {_SUMMARY_QUEUE} (person_id) VALUES ({{pid}});"
    return statements + _m004_summary_triggers(lambda pid: queue.format(pid=pid))


@migrations(name="m021_small_summary_triggers")
def m021_small_summary_triggers(db: Database) -> None:
    """The caseload row's fifteen triggers each held the whole refresh (6-13 KB of SQL, 156 KB
    in all), and SQLite parses a store's whole schema on every connection it opens: 5 ms of
    the 6 ms each connection took. Each now queues the person in ``summary_refresh``, whose
    one trigger makes their row again (and empties the queue): the same rows, a schema a
    tenth the size."""
    _run(db, _m021_summary_triggers())


#: m022 and m024: every episode's outcome pairs and every referral's first contact made
#: again, through the refresh each one's triggers use (after a migration, or a bulk load
#: with those triggers off).
_FILL_COPIES = (
    "INSERT INTO outcome_pairs_refresh SELECT DISTINCT coalesce(referral_id, -person_id), "
    "kind FROM measures WHERE entered_in_error_at IS NULL",
    "INSERT INTO first_contacts_refresh SELECT DISTINCT referral_id FROM contacts "
    "WHERE referral_id IS NOT NULL AND attempt = 0 AND entered_in_error_at IS NULL",
)
#: The triggers on the records that keep m022's and m024's copies (not their refreshes).
COPY_TRIGGERS = ("%_pairs", "%_first")


def fill_copies(db: Database) -> None:
    """Every outcome pair and first contact made again from the records."""
    db.execute("DELETE FROM outcome_pairs")
    db.execute("DELETE FROM first_contacts")
    _run(db, list(_FILL_COPIES))


@migrations(name="m022_outcome_pairs")
def m022_outcome_pairs(db: Database) -> None:
    """The commissioner report's outcome scores as numbers: each follow-up measure's scores
    beside its episode's first baseline (``outcome_pairs``), kept by triggers on
    ``measures`` and made for every episode already stored. The report parsed some 20,000
    measures' scores JSON every time it was worked out (half its time at 10,000 people);
    now it reads the pairs of the period, one score at a time, month by month."""
    _run(db, [*_statements("m022_outcome_pairs"), _FILL_COPIES[0]])


@migrations(name="m023_report_indexes")
def m023_report_indexes(db: Database) -> None:
    """Indexes holding what the commissioner report's counts read: live real contacts by
    person and by referral, each person's outcome measures, and measures by kind. The
    report read each of those from the rows of contacts and measures (12 and 17 MB at
    10,000 people, more than SQLite's page cache holds), several times over."""
    _run(db, _statements("m023_report_indexes"))


@migrations(name="m024_first_contacts")
def m024_first_contacts(db: Database) -> None:
    """Each referral's first real contact that was not struck out, and the days to it from
    the referral (``first_contacts``), kept by triggers on contacts and referrals and made
    for every referral already stored. The commissioner report looked up every referral's
    first contact each time it was worked out (10,000 look-ups at 10,000 people); now it
    counts the days along this table's index."""
    _run(db, [*_statements("m024_first_contacts"), _FILL_COPIES[1]])
