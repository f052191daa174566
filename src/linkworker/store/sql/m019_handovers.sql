-- m019_handovers: released, so never edited (a change is a new migration). Run by
-- store/migrations_later.py's m019_handovers(), one statement at a time, in this order.
-- SQLite keeps a table's text as it was written, so not even the layout changes: a new
-- store's schema is the released one byte for byte (tests/fixtures/schema.json).

-- The table (the guard triggers are made in Python, one a table and event).

CREATE TABLE handovers (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    to_name TEXT NOT NULL,
    to_fingerprint TEXT NOT NULL,
    handed_over_on TEXT NOT NULL,
    ended_on TEXT,
    created_at TEXT NOT NULL
);

CREATE INDEX handovers_person ON handovers (person_id, ended_on);
