-- m013_directory_search: released, so never edited (a change is a new migration). Run by
-- store/migrations_later.py's m013_directory_search(), one statement at a time, in this order.
-- SQLite keeps a table's text as it was written, so not even the layout changes: a new
-- store's schema is the released one byte for byte (tests/fixtures/schema.json).

CREATE INDEX activities_ranking ON activities (id, retired, status, assured_date, verified_on);
