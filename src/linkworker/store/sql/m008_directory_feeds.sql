-- m008_directory_feeds: released, so never edited (a change is a new migration). Run by
-- store/migrations_later.py's m008_directory_feeds(), one statement at a time, in this order.
-- SQLite keeps a table's text as it was written, so not even the layout changes: a new
-- store's schema is the released one byte for byte (tests/fixtures/schema.json).

-- What a feed gives beyond the first place, phone and contact (kept whole, with the
-- feed's own ids), and the state that makes re-imports never destructive.

ALTER TABLE activities ADD COLUMN locations TEXT NOT NULL DEFAULT '[]';
ALTER TABLE activities ADD COLUMN phones TEXT NOT NULL DEFAULT '[]';
ALTER TABLE activities ADD COLUMN contacts TEXT NOT NULL DEFAULT '[]';
ALTER TABLE activities ADD COLUMN cost_options TEXT NOT NULL DEFAULT '[]';
ALTER TABLE activities ADD COLUMN organisation_id TEXT;
-- The feed (file name or URL) that last listed the activity.
ALTER TABLE activities ADD COLUMN feed_source TEXT;
-- 1 when a feed retired it (listed again: active again); the worker's own retirement
-- leaves it 0 and is never undone by a feed.
ALTER TABLE activities ADD COLUMN retired_by_feed INTEGER NOT NULL DEFAULT 0;
-- Complete whole-directory pulls in a row that did not list it; retired at two.
ALTER TABLE activities ADD COLUMN missing_pulls INTEGER NOT NULL DEFAULT 0;
-- JSON list of the imported columns the worker edited by hand: imports leave them be.
ALTER TABLE activities ADD COLUMN hand_edited TEXT NOT NULL DEFAULT '[]';
