-- m002_caseload_summary: released, so never edited (a change is a new migration). Run by
-- store/migrations.py's m002_caseload_summary(), one statement at a time, in this order.
-- SQLite keeps a table's text as it was written, so not even the layout changes: a new
-- store's schema is the released one byte for byte (tests/fixtures/schema.json).

-- The table and its indexes (the triggers that keep it, and its first rows, are made in
-- Python from one query).

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
);

CREATE INDEX person_summary_status ON person_summary (status, received_on);

CREATE INDEX person_summary_received ON person_summary (received_on);

CREATE INDEX person_summary_name ON person_summary (full_name COLLATE NOCASE);

CREATE INDEX person_summary_last_contact ON person_summary (last_contact_at);

CREATE INDEX person_summary_next ON person_summary (next_followup_on);
