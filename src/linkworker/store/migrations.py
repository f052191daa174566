"""The schema, as a sequence of sqlite-utils migrations. Never edit a released step; add one.

Each step is a function registered on :data:`migrations`; sqlite-utils runs each one in a
transaction with the record that it ran, so a failing step leaves the store as it was.
Every step has a test in tests/unit/test_migrations.py that builds the schema before it,
inserts rows, migrates and checks them.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("linkworker")


def _run(db: Database, statements: list[str]) -> None:
    # One db.execute per statement, inside the migration's open transaction: sqlite-utils'
    # script splitter (executescript) is quadratic in a statement's length, and m002's
    # trigger bodies made it most of the cost of creating a store.
    for statement in statements:
        db.execute(statement)


def _people_tables() -> list[str]:
    """The store's own facts and the people on the caseload."""
    return [
        """
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
)
""",
        """
CREATE TABLE people (
  id INTEGER PRIMARY KEY,
  given_name TEXT NOT NULL,
  family_name TEXT NOT NULL,
  preferred_name TEXT,
  date_of_birth TEXT,
  nhs_number TEXT UNIQUE,
  sex TEXT,
  ethnicity TEXT,
  phone TEXT,
  email TEXT,
  address TEXT,
  postcode TEXT,
  preferred_contact TEXT,
  gp_practice TEXT,
  communication_needs TEXT,
  consent_to_share_gp INTEGER,
  consent_date TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
)
""",
        "CREATE INDEX people_name ON people "
        "(family_name COLLATE NOCASE, given_name COLLATE NOCASE)",
        "CREATE INDEX people_dob ON people (date_of_birth)",
    ]


def _referral_tables() -> list[str]:
    """Referrals (episodes), the contacts made in them and the flags on a person."""
    return [
        """
CREATE TABLE referrals (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  source TEXT NOT NULL,
  referrer_name TEXT,
  referrer_organisation TEXT,
  received_on TEXT NOT NULL,
  needs TEXT NOT NULL DEFAULT '[]',
  urgency TEXT NOT NULL DEFAULT 'routine',
  reason TEXT,
  consent_to_share_gp INTEGER,
  status TEXT NOT NULL DEFAULT 'received'
    CHECK (status IN ('received', 'contacting', 'accepted', 'declined', 'not_reached',
                      'discharged')),
  status_changed_on TEXT,
  accepted_on TEXT,
  declined_on TEXT,
  decline_reason TEXT,
  not_reached_on TEXT,
  snomed_code TEXT,
  discharged_on TEXT,
  discharge_reason TEXT,
  discharge_summary TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
)
""",
        "CREATE INDEX referrals_person ON referrals (person_id, received_on)",
        "CREATE INDEX referrals_status ON referrals (status)",
        """
CREATE TABLE contacts (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  referral_id INTEGER REFERENCES referrals (id) ON DELETE CASCADE,
  contact_at TEXT NOT NULL,
  mode TEXT NOT NULL,
  attempt INTEGER NOT NULL DEFAULT 0,
  outcome TEXT,
  duration_minutes INTEGER,
  initiated_by TEXT,
  note TEXT,
  followup_id INTEGER,
  created_at TEXT NOT NULL
)
""",
        "CREATE INDEX contacts_person ON contacts (person_id, attempt, contact_at)",
        "CREATE INDEX contacts_referral ON contacts (referral_id, attempt)",
        """
CREATE TABLE flags (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('safeguarding', 'lone_working', 'other')),
  note TEXT,
  raised_on TEXT NOT NULL,
  cleared_on TEXT,
  created_at TEXT NOT NULL
)
""",
        "CREATE INDEX flags_person ON flags (person_id)",
    ]


def _plan_tables() -> list[str]:
    """What-matters conversations and the plan: goals, their reviews and agreed actions."""
    return [
        """
CREATE TABLE conversations (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  referral_id INTEGER REFERENCES referrals (id) ON DELETE SET NULL,
  held_on TEXT NOT NULL,
  what_matters TEXT,
  strengths TEXT,
  needs TEXT NOT NULL DEFAULT '{}',
  barriers TEXT NOT NULL DEFAULT '[]',
  barriers_note TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
)
""",
        "CREATE INDEX conversations_person ON conversations (person_id, held_on)",
        """
CREATE TABLE goals (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  referral_id INTEGER REFERENCES referrals (id) ON DELETE SET NULL,
  conversation_id INTEGER REFERENCES conversations (id) ON DELETE SET NULL,
  description TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open'
    CHECK (status IN ('open', 'achieved', 'changed', 'dropped')),
  status_changed_on TEXT,
  review_on TEXT,
  set_on TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
)
""",
        "CREATE INDEX goals_person ON goals (person_id, status)",
        "CREATE INDEX goals_review ON goals (status, review_on)",
        """
CREATE TABLE goal_reviews (
  id INTEGER PRIMARY KEY,
  goal_id INTEGER NOT NULL REFERENCES goals (id) ON DELETE CASCADE,
  reviewed_on TEXT NOT NULL,
  status TEXT NOT NULL,
  note TEXT,
  created_at TEXT NOT NULL
)
""",
        "CREATE INDEX goal_reviews_goal ON goal_reviews (goal_id)",
        """
CREATE TABLE actions (
  id INTEGER PRIMARY KEY,
  goal_id INTEGER NOT NULL REFERENCES goals (id) ON DELETE CASCADE,
  description TEXT NOT NULL,
  owner TEXT NOT NULL DEFAULT 'person',
  owner_name TEXT,
  due_on TEXT,
  done_on TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
)
""",
        "CREATE INDEX actions_goal ON actions (goal_id)",
    ]


def _measure_tables() -> list[str]:
    """Wellbeing measures (ONS4, SWEMWBS, UCLA-3...) at baseline and follow-up."""
    return [
        """
CREATE TABLE measures (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  referral_id INTEGER REFERENCES referrals (id) ON DELETE SET NULL,
  kind TEXT NOT NULL,
  stage TEXT NOT NULL CHECK (stage IN ('baseline', 'follow_up')),
  taken_on TEXT NOT NULL,
  answers TEXT NOT NULL,
  scores TEXT NOT NULL,
  complete INTEGER NOT NULL,
  created_at TEXT NOT NULL
)
""",
        "CREATE INDEX measures_person ON measures (person_id, kind, taken_on)",
    ]


def _directory_tables() -> list[str]:
    """The community directory and the people connected to its activities."""
    return [
        """
CREATE TABLE activities (
  id INTEGER PRIMARY KEY,
  source_id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  organisation TEXT,
  description TEXT,
  status TEXT NOT NULL DEFAULT 'active',
  categories TEXT NOT NULL DEFAULT '[]',
  category_codes TEXT NOT NULL DEFAULT '[]',
  venue TEXT,
  address TEXT,
  town TEXT,
  postcode TEXT,
  latitude REAL,
  longitude REAL,
  schedules TEXT NOT NULL DEFAULT '[]',
  days TEXT NOT NULL DEFAULT '[]',
  schedule_text TEXT,
  cost TEXT,
  is_free INTEGER,
  eligibility TEXT,
  min_age INTEGER,
  max_age INTEGER,
  languages TEXT NOT NULL DEFAULT '[]',
  accessibility TEXT,
  phone TEXT,
  email TEXT,
  url TEXT,
  contact_name TEXT,
  assured_date TEXT,
  alert TEXT,
  extra TEXT NOT NULL DEFAULT '{}',
  origin TEXT NOT NULL DEFAULT 'import' CHECK (origin IN ('import', 'hand')),
  retired INTEGER NOT NULL DEFAULT 0,
  notes TEXT,
  favourite INTEGER NOT NULL DEFAULT 0,
  verified_on TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
)
""",
        "CREATE INDEX activities_name ON activities (name COLLATE NOCASE)",
        """
CREATE TABLE connections (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  activity_id INTEGER NOT NULL REFERENCES activities (id),
  referral_id INTEGER REFERENCES referrals (id) ON DELETE SET NULL,
  kind TEXT NOT NULL DEFAULT 'signpost' CHECK (kind IN ('signpost', 'referral')),
  status TEXT NOT NULL DEFAULT 'suggested'
    CHECK (status IN ('suggested', 'referred', 'attended', 'attending', 'stopped')),
  suggested_on TEXT NOT NULL,
  referred_on TEXT,
  attended_on TEXT,
  stopped_on TEXT,
  status_changed_on TEXT NOT NULL,
  feedback TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
)
""",
        "CREATE INDEX connections_person ON connections (person_id)",
        "CREATE INDEX connections_activity ON connections (activity_id)",
    ]


def _followup_and_audit_tables() -> list[str]:
    """Planned follow-ups and the append-only audit trail."""
    return [
        """
CREATE TABLE followups (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  referral_id INTEGER REFERENCES referrals (id) ON DELETE SET NULL,
  goal_id INTEGER REFERENCES goals (id) ON DELETE SET NULL,
  connection_id INTEGER REFERENCES connections (id) ON DELETE SET NULL,
  due_on TEXT NOT NULL,
  due_time TEXT,
  duration_minutes INTEGER,
  kind TEXT NOT NULL,
  location TEXT,
  purpose TEXT,
  status TEXT NOT NULL DEFAULT 'planned'
    CHECK (status IN ('planned', 'done', 'missed', 'cancelled')),
  series_id TEXT,
  contact_id INTEGER REFERENCES contacts (id) ON DELETE SET NULL,
  cancel_reason TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
)
""",
        "CREATE INDEX followups_person ON followups (person_id, status, due_on)",
        "CREATE INDEX followups_due ON followups (status, due_on, due_time)",
        """
CREATE TABLE audit (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete', 'erase')),
  table_name TEXT NOT NULL,
  record_id INTEGER,
  person_id INTEGER,
  field TEXT,
  old TEXT,
  new TEXT
)
""",
        "CREATE INDEX audit_person ON audit (person_id, at)",
        """
CREATE TRIGGER audit_is_append_only BEFORE UPDATE ON audit
BEGIN
  SELECT RAISE(ABORT, 'the audit trail is append-only');
END
""",
    ]


@migrations(name="m001_domain")
def m001_domain(db: Database) -> None:
    """The whole domain of DESIGN.md section 4."""
    for statements in (
        _people_tables(),
        _referral_tables(),
        _plan_tables(),
        _measure_tables(),
        _directory_tables(),
        _followup_and_audit_tables(),
    ):
        _run(db, statements)


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
    with db.atomic():
        db.execute("DELETE FROM person_summary")
        db.execute(_SUMMARY_SELECT_M004.replace("{where}", "1").strip().rstrip(";"))


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
    _run(
        db,
        [
            """
CREATE TABLE person_summary (
  person_id INTEGER PRIMARY KEY,
  full_name TEXT NOT NULL,
  search_text TEXT NOT NULL,
  date_of_birth TEXT,
  nhs_number TEXT,
  postcode TEXT,
  referral_id INTEGER,
  status TEXT,
  source TEXT,
  needs TEXT NOT NULL DEFAULT '[]',
  urgency TEXT,
  received_on TEXT,
  contacts INTEGER NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_contact_at TEXT,
  next_followup_on TEXT,
  flags TEXT
)
""",
            "CREATE INDEX person_summary_status ON person_summary (status, received_on)",
            "CREATE INDEX person_summary_received ON person_summary (received_on)",
            "CREATE INDEX person_summary_name ON person_summary (full_name COLLATE NOCASE)",
            "CREATE INDEX person_summary_last_contact ON person_summary (last_contact_at)",
            "CREATE INDEX person_summary_next ON person_summary (next_followup_on)",
        ],
    )
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


def _m004_summary_triggers() -> list[str]:
    statements = []
    for table, column in _SUMMARY_SOURCES.items():
        for event in ("INSERT", "UPDATE", "DELETE"):
            rows = (
                ["NEW"] if event == "INSERT" else ["OLD"] if event == "DELETE" else ["OLD", "NEW"]
            )
            body = "".join(_REFRESH_SUMMARY_M004.format(pid=f"{row}.{column}") for row in rows)
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


#: The columns m008 adds to activities: what a feed gives beyond the first place, phone
#: and contact (kept whole, with the feed's own ids), and the state that makes re-imports
#: never destructive.
M008_ACTIVITY_COLUMNS = (
    "locations TEXT NOT NULL DEFAULT '[]'",
    "phones TEXT NOT NULL DEFAULT '[]'",
    "contacts TEXT NOT NULL DEFAULT '[]'",
    "cost_options TEXT NOT NULL DEFAULT '[]'",
    "organisation_id TEXT",
    # The feed (file name or URL) that last listed the activity.
    "feed_source TEXT",
    # 1 when a feed retired it (listed again: active again); the worker's own retirement
    # leaves it 0 and is never undone by a feed.
    "retired_by_feed INTEGER NOT NULL DEFAULT 0",
    # Complete whole-directory pulls in a row that did not list it; retired at two.
    "missing_pulls INTEGER NOT NULL DEFAULT 0",
    # JSON list of the imported columns the worker edited by hand: imports leave them be.
    "hand_edited TEXT NOT NULL DEFAULT '[]'",
)


@migrations(name="m008_directory_feeds")
def m008_directory_feeds(db: Database) -> None:
    """Activities keep every location, phone, contact and cost option of their feed, and
    the state a never-destructive re-import needs (feed retirement, missing pulls, hand
    edits)."""
    _run(db, [f"ALTER TABLE activities ADD COLUMN {column}" for column in M008_ACTIVITY_COLUMNS])


def schema_version(db: Database) -> int:
    """How many of linkworker's migrations this store has applied."""
    return len(migrations.applied(db))


def latest_version() -> int:
    """How many migrations this version of linkworker knows."""
    return len(migrations._migrations)


def known_names() -> list[str]:
    """The names of every migration this version knows, in order."""
    return [m.name for m in migrations._migrations]
