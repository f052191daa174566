-- m016_gaps_and_population: released, so never edited (a change is a new migration). Run by
-- store/migrations_later.py's m016_gaps_and_population(), one statement at a time, in this order.
-- SQLite keeps a table's text as it was written, so not even the layout changes: a new
-- store's schema is the released one byte for byte (tests/fixtures/schema.json).

CREATE TABLE gaps (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  recorded_on TEXT NOT NULL,
  need TEXT NOT NULL,
  barrier TEXT NOT NULL,
  area TEXT,
  searched TEXT,
  note TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  entered_in_error_at TEXT,
  entered_in_error_reason TEXT
);

CREATE INDEX gaps_person ON gaps (person_id);

CREATE INDEX gaps_recorded ON gaps (recorded_on);

CREATE TABLE population (
  grouping TEXT NOT NULL,
  grouped TEXT NOT NULL,
  people INTEGER NOT NULL CHECK (people >= 0),
  loaded_at TEXT NOT NULL,
  source TEXT,
  PRIMARY KEY (grouping, grouped)
);
