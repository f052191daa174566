-- m015_lone_visits_supervision_community: released, so never edited (a change is a new migration). Run by
-- store/migrations_later.py's m015_lone_visits_supervision_community(), one statement at a time, in this order.
-- SQLite keeps a table's text as it was written, so not even the layout changes: a new
-- store's schema is the released one byte for byte (tests/fixtures/schema.json).

CREATE TABLE visit_checks (id INTEGER PRIMARY KEY, followup_id INTEGER NOT NULL UNIQUE REFERENCES followups (id) ON DELETE CASCADE, person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE, checked_in_at TEXT NOT NULL, expected_back_at TEXT NOT NULL, checked_out_at TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);

CREATE INDEX visit_checks_out ON visit_checks (checked_out_at);

CREATE TABLE supervision_cases (id INTEGER PRIMARY KEY, person_id INTEGER NOT NULL UNIQUE REFERENCES people (id) ON DELETE CASCADE, case_ref TEXT NOT NULL UNIQUE, question TEXT NOT NULL, marked_on TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);

CREATE TABLE supervision_sessions (id INTEGER PRIMARY KEY, held_on TEXT NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('practice', 'clinical', 'professional')), supervisor TEXT NOT NULL, note TEXT, created_at TEXT NOT NULL);

CREATE INDEX supervision_sessions_held ON supervision_sessions (held_on);

CREATE TABLE supervision_actions (id INTEGER PRIMARY KEY, session_id INTEGER NOT NULL REFERENCES supervision_sessions (id) ON DELETE CASCADE, person_id INTEGER REFERENCES people (id) ON DELETE CASCADE, action TEXT NOT NULL, due_on TEXT NOT NULL, followup_id INTEGER REFERENCES followups (id) ON DELETE SET NULL, done_on TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);

CREATE INDEX supervision_actions_session ON supervision_actions (session_id);

CREATE TABLE community_work (id INTEGER PRIMARY KEY, worked_on TEXT NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('supporting_group', 'starting_group', 'outreach', 'mdt_meeting', 'training', 'other')), organisation TEXT, minutes INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 1440), note TEXT, created_at TEXT NOT NULL);

CREATE INDEX community_work_day ON community_work (worked_on);
