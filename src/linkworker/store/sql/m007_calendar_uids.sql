-- m007_calendar_uids: released, so never edited (a change is a new migration). Run by
-- store/migrations_later.py's m007_calendar_uids(), one statement at a time, in this order.
-- SQLite keeps a table's text as it was written, so not even the layout changes: a new
-- store's schema is the released one byte for byte (tests/fixtures/schema.json).

ALTER TABLE followups ADD COLUMN calendar_uid TEXT;

UPDATE followups SET calendar_uid = lower(hex(randomblob(16))) || '@linkworker';

CREATE UNIQUE INDEX followups_calendar_uid ON followups (calendar_uid);
