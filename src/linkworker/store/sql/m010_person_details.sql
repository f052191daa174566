-- m010_person_details: released, so never edited (a change is a new migration). Run by
-- store/migrations_later.py's m010_person_details(), one statement at a time, in this order.
-- SQLite keeps a table's text as it was written, so not even the layout changes: a new
-- store's schema is the released one byte for byte (tests/fixtures/schema.json).

ALTER TABLE flags ADD COLUMN cleared_reason TEXT;

ALTER TABLE people ADD COLUMN ethnic_group TEXT;
