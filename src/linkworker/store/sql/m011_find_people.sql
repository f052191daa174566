-- m011_find_people: released, so never edited (a change is a new migration). Run by
-- store/migrations_later.py's m011_find_people(), one statement at a time, in this order.
-- SQLite keeps a table's text as it was written, so not even the layout changes: a new
-- store's schema is the released one byte for byte (tests/fixtures/schema.json).

-- The columns and indexes (the triggers and the rows are made in Python).

ALTER TABLE person_summary ADD COLUMN find_text TEXT NOT NULL DEFAULT '';

ALTER TABLE person_summary ADD COLUMN sort_name TEXT NOT NULL DEFAULT '';

CREATE INDEX person_summary_sort_name ON person_summary (sort_name COLLATE NOCASE);

CREATE INDEX person_summary_date_of_birth ON person_summary (date_of_birth);
