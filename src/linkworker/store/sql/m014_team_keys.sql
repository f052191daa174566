-- m014_team_keys: released, so never edited (a change is a new migration). Run by
-- store/migrations_later.py's m014_team_keys(), one statement at a time, in this order.
-- SQLite keeps a table's text as it was written, so not even the layout changes: a new
-- store's schema is the released one byte for byte (tests/fixtures/schema.json).

CREATE TABLE team_identity (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    secret TEXT NOT NULL,
    public_key TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE team_keys (
    name TEXT PRIMARY KEY COLLATE NOCASE CHECK (trim(name) <> ''),
    public_key TEXT NOT NULL UNIQUE,
    fingerprint TEXT NOT NULL,
    added_at TEXT NOT NULL
);

CREATE TABLE sealed_received (
    sealed_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    sender TEXT NOT NULL,
    created_at TEXT NOT NULL,
    received_at TEXT NOT NULL
);
