-- m009_directory_sources: released, so never edited (a change is a new migration). Run by
-- store/migrations_later.py's m009_directory_sources(), one statement at a time, in this order.
-- SQLite keeps a table's text as it was written, so not even the layout changes: a new
-- store's schema is the released one byte for byte (tests/fixtures/schema.json).

CREATE TABLE directory_sources (id INTEGER PRIMARY KEY, name TEXT NOT NULL, url TEXT NOT NULL UNIQUE, last_pulled TEXT, last_complete TEXT, services INTEGER NOT NULL DEFAULT 0, new INTEGER NOT NULL DEFAULT 0, updated INTEGER NOT NULL DEFAULT 0, unchanged INTEGER NOT NULL DEFAULT 0, skipped INTEGER NOT NULL DEFAULT 0, retired INTEGER NOT NULL DEFAULT 0, last_errors TEXT NOT NULL DEFAULT '[]', created_at TEXT NOT NULL);
