-- m017_information_needs: released, so never edited (a change is a new migration). Run by
-- store/migrations_later.py's m017_information_needs(), one statement at a time, in this order.
-- SQLite keeps a table's text as it was written, so not even the layout changes: a new
-- store's schema is the released one byte for byte (tests/fixtures/schema.json).

CREATE TABLE information_needs (id INTEGER PRIMARY KEY, person_id INTEGER NOT NULL UNIQUE REFERENCES people(id), large_print INTEGER NOT NULL DEFAULT 0, large_print_size INTEGER, easy_read INTEGER NOT NULL DEFAULT 0, interpreter TEXT, interpreter_language TEXT, braille INTEGER NOT NULL DEFAULT 0, audio INTEGER NOT NULL DEFAULT 0, advocate_name TEXT, advocate_contact TEXT, contact_times TEXT, review_on TEXT, last_checked_on TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);

CREATE TABLE plan_signoffs (id INTEGER PRIMARY KEY, person_id INTEGER NOT NULL REFERENCES people(id), referral_id INTEGER REFERENCES referrals(id), signed_on TEXT NOT NULL, criteria TEXT NOT NULL DEFAULT '[]', review_on TEXT, note TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);

CREATE INDEX plan_signoffs_person ON plan_signoffs (person_id, signed_on);
