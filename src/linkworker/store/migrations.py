"""The schema, as a sequence of sqlite-utils migrations. Never edit a released step; add one.

Each step is a function registered on :data:`migrations`; sqlite-utils runs each one in a
transaction with the record that it ran, so a failing step leaves the store as it was.
Every step has a test in tests/unit/test_migrations.py that builds the schema before it,
inserts rows, migrates and checks them. A released step's fixed SQL is data, in
``sql/<step>.sql`` beside this module; what a step makes from a rule (a trigger for each table
and event, the caseload row's query) is made here.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from importlib import resources

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("linkworker")


def _run(db: Database, statements: list[str]) -> None:
    # One db.execute per statement, inside the migration's open transaction: sqlite-utils'
    # script splitter (executescript) is quadratic in a statement's length, and m002's
    # trigger bodies made it most of the cost of creating a store.
    for statement in statements:
        db.execute(statement)


def _statements(name: str) -> list[str]:
    """The statements of a released step's ``sql/<name>.sql``, in order, without their ";"."""
    # Package data: released SQL is data that never changes, kept as SQL beside this module.
    path = resources.files(__package__).joinpath("sql", f"{name}.sql")
    statements: list[str] = []
    lines: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
        if not lines and (not line.strip() or line.startswith("--")):
            continue  # blank lines and comments between statements
        lines.append(line)
        # complete_statement knows a trigger's body runs on to its END;
        if sqlite3.complete_statement("".join(lines)):
            statements.append("".join(lines).strip().removesuffix(";"))
            lines = []
    if lines:
        raise ValueError(f"sql/{name}.sql ends inside a statement")
    return statements


@migrations(name="m001_domain")
def m001_domain(db: Database) -> None:
    """The whole domain of DESIGN.md section 4 (sql/m001_domain.sql)."""
    _run(db, _statements("m001_domain"))


# The caseload screen sorts and filters 10,000 people on derived facts (current referral,
# last contact, next follow-up, flags). Computing those per keystroke costs ~100 ms; keeping
# them in one row per person, maintained by triggers, makes every filter an indexed query
# and cannot drift from the source rows whoever writes them (app, importer, demo).
_SUMMARY_SELECT = """
  INSERT INTO person_summary (
    person_id, full_name, search_text, date_of_birth, nhs_number, postcode,
    referral_id, status, source, needs, urgency, received_on,
    contacts, attempts, last_contact_at, next_followup_on, flags
  )
  SELECT
    p.id,
    p.given_name || ' ' || p.family_name,
    lower(p.given_name || ' ' || p.family_name || ' ' || coalesce(p.preferred_name, '')
          || ' ' || coalesce(p.nhs_number, '')),
    p.date_of_birth, p.nhs_number, p.postcode,
    r.id, r.status, r.source, coalesce(r.needs, '[]'), r.urgency, r.received_on,
    (SELECT count(*) FROM contacts c WHERE c.referral_id = r.id AND c.attempt = 0),
    (SELECT count(*) FROM contacts c WHERE c.referral_id = r.id AND c.attempt = 1),
    (SELECT max(c.contact_at) FROM contacts c WHERE c.person_id = p.id AND c.attempt = 0),
    (SELECT min(f.due_on) FROM followups f WHERE f.person_id = p.id AND f.status = 'planned'),
    (SELECT group_concat(kind, ',') FROM
       (SELECT DISTINCT kind FROM flags g WHERE g.person_id = p.id AND g.cleared_on IS NULL
        ORDER BY kind))
  FROM people p
  LEFT JOIN referrals r ON r.id = (
    SELECT id FROM referrals WHERE person_id = p.id ORDER BY received_on DESC, id DESC LIMIT 1)
  WHERE {where};
"""
_REFRESH_SUMMARY = (
    "\n  DELETE FROM person_summary WHERE person_id = {pid};"
    + _SUMMARY_SELECT.replace("{where}", "p.id = {pid}")
)


def rebuild_summary(db: Database) -> None:
    """Recompute every person's caseload row (after bulk loads or a repair)."""
    from linkworker.store.migrations_later import fill_summary  # the newest row's shape

    with db.atomic():
        fill_summary(db)


def rebuild_copies(db: Database) -> None:
    """Make every outcome pair (m022) and first contact (m024) again from the records (after
    a bulk load with their triggers off, or a repair)."""
    from linkworker.store.migrations_later import fill_copies

    with db.atomic():
        fill_copies(db)


def _summary_triggers() -> list[str]:
    triggers = []
    sources = {
        "people": ("id",),
        "referrals": ("person_id",),
        "contacts": ("person_id",),
        "followups": ("person_id",),
        "flags": ("person_id",),
    }
    for table, (column,) in sources.items():
        for event in ("INSERT", "UPDATE", "DELETE"):
            rows = (
                ["NEW"] if event == "INSERT" else ["OLD"] if event == "DELETE" else ["OLD", "NEW"]
            )
            body = "".join(_REFRESH_SUMMARY.format(pid=f"{row}.{column}") for row in rows)
            triggers.append(
                f"CREATE TRIGGER {table}_{event.lower()}_summary AFTER {event} ON {table}\n"
                f"BEGIN{body}END"
            )
    return triggers


@migrations(name="m002_caseload_summary")
def m002_caseload_summary(db: Database) -> None:
    """One derived row per person for the caseload table, kept current by triggers."""
    _run(db, _statements("m002_caseload_summary"))
    _run(db, _summary_triggers())
    db.execute(_SUMMARY_SELECT.replace("{where}", "1").strip().rstrip(";"))


@migrations(name="m003_search")
def m003_search(db: Database) -> None:
    """Full-text search (FTS5) over activities, kept in step with triggers."""
    db.table("activities").enable_fts(
        ["name", "description", "organisation", "categories", "venue", "town", "postcode"],
        fts_version="FTS5",
        create_triggers=True,
        tokenize="unicode61 remove_diacritics 2",
    )


#: The tables whose entries can be struck out ("entered in error"): each keeps the row and
#: gains when and why it was struck out, so the record shows it and nothing counts it.
CORRECTABLE_TABLES = (
    "referrals",
    "contacts",
    "flags",
    "conversations",
    "goals",
    "goal_reviews",
    "actions",
    "measures",
    "connections",
    "followups",
)

# m004's caseload row: as m002's, but a struck-out contact, follow-up or flag counts nowhere.
_LIVE = " AND {alias}.entered_in_error_at IS NULL"
_SUMMARY_SELECT_M004 = (
    _SUMMARY_SELECT.replace("c.attempt = 0)", "c.attempt = 0" + _LIVE.format(alias="c") + ")")
    .replace("c.attempt = 1)", "c.attempt = 1" + _LIVE.format(alias="c") + ")")
    .replace("f.status = 'planned')", "f.status = 'planned'" + _LIVE.format(alias="f") + ")")
    .replace("g.cleared_on IS NULL", "g.cleared_on IS NULL" + _LIVE.format(alias="g"))
)
_REFRESH_SUMMARY_M004 = (
    "\n  DELETE FROM person_summary WHERE person_id = {pid};"
    + _SUMMARY_SELECT_M004.replace("{where}", "p.id = {pid}")
)
_SUMMARY_SOURCES = {
    "people": "id",
    "referrals": "person_id",
    "contacts": "person_id",
    "followups": "person_id",
    "flags": "person_id",
}


def _m004_summary_triggers(
    refresh: Callable[[str], str] = lambda pid: _REFRESH_SUMMARY_M004.format(pid=pid),
) -> list[str]:
    """Every summary trigger, dropped and made again, each running ``refresh`` per row."""
    statements = []
    for table, column in _SUMMARY_SOURCES.items():
        for event in ("INSERT", "UPDATE", "DELETE"):
            rows = (
                ["NEW"] if event == "INSERT" else ["OLD"] if event == "DELETE" else ["OLD", "NEW"]
            )
            body = "".join(refresh(f"{row}.{column}") for row in rows)
            name = f"{table}_{event.lower()}_summary"
            statements.append(f"DROP TRIGGER IF EXISTS {name}")
            statements.append(f"CREATE TRIGGER {name} AFTER {event} ON {table}\nBEGIN{body}END")
    return statements


@migrations(name="m004_corrections")
def m004_corrections(db: Database) -> None:
    """Entries can be struck out (kept, counted nowhere); audit rows say why and which worker."""
    statements = []
    for table in CORRECTABLE_TABLES:
        statements.append(f"ALTER TABLE {table} ADD COLUMN entered_in_error_at TEXT")
        statements.append(f"ALTER TABLE {table} ADD COLUMN entered_in_error_reason TEXT")
    statements.append("ALTER TABLE audit ADD COLUMN reason TEXT")
    statements.append("ALTER TABLE audit ADD COLUMN worker TEXT")
    _run(db, statements)
    _run(db, _m004_summary_triggers())
    db.execute("DELETE FROM person_summary")
    db.execute(_SUMMARY_SELECT_M004.replace("{where}", "1").strip().rstrip(";"))


# IF NOT EXISTS: a restore gives a backup made before m006 the ledger it must carry on.
ERASURE_LEDGER_TABLE = """
CREATE TABLE IF NOT EXISTS erasure_ledger (
  erasure_id TEXT PRIMARY KEY,
  people_row INTEGER NOT NULL,
  erased_at TEXT NOT NULL
)
"""


@migrations(name="m006_store_identity")
def m006_store_identity(db: Database) -> None:
    """A random id for the store (copied into every backup) and the erasure ledger.

    ``store_id`` is how ``passphrase``, ``encrypt`` and erasure tell this store's backups
    from another store's in the same folder. The ledger holds, for each erasure, a random
    erasure id, the erased person's row number and when: no name, no NHS number, nothing
    that identifies anyone; a restore re-applies the erasures its backup has not seen.
    """
    _run(
        db,
        [
            "INSERT OR IGNORE INTO meta (key, value) "
            "VALUES ('store_id', lower(hex(randomblob(16))))",
            ERASURE_LEDGER_TABLE,
        ],
    )


# m007 on are in migrations_later.py; importing it here registers them after m006, in order.
from linkworker.store import migrations_later  # noqa: E402, F401


def schema_version(db: Database) -> int:
    """How many of linkworker's migrations this store has applied."""
    return len(migrations.applied(db))


def latest_version() -> int:
    """How many migrations this version of linkworker knows."""
    return len(migrations._migrations)


def known_names() -> list[str]:
    """The names of every migration this version knows, in order."""
    return [m.name for m in migrations._migrations]
