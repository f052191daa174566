-- m001_domain: released, so never edited (a change is a new migration). Run by
-- store/migrations.py's m001_domain(), one statement at a time, in this order.
-- SQLite keeps a table's text as it was written, so not even the layout changes: a new
-- store's schema is the released one byte for byte (tests/fixtures/schema.json).

-- The store's own facts and the people on the caseload.

CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE people (
  id INTEGER PRIMARY KEY,
  given_name TEXT NOT NULL,
  family_name TEXT NOT NULL,
  preferred_name TEXT,
  date_of_birth TEXT,
  nhs_number TEXT UNIQUE,
  sex TEXT,
  ethnicity TEXT,
  phone TEXT,
  email TEXT,
  address TEXT,
  postcode TEXT,
  preferred_contact TEXT,
  gp_practice TEXT,
  communication_needs TEXT,
  consent_to_share_gp INTEGER,
  consent_date TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE INDEX people_name ON people (family_name COLLATE NOCASE, given_name COLLATE NOCASE);

CREATE INDEX people_dob ON people (date_of_birth);

-- Referrals (episodes), the contacts made in them and the flags on a person.

CREATE TABLE referrals (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  source TEXT NOT NULL,
  referrer_name TEXT,
  referrer_organisation TEXT,
  received_on TEXT NOT NULL,
  needs TEXT NOT NULL DEFAULT '[]',
  urgency TEXT NOT NULL DEFAULT 'routine',
  reason TEXT,
  consent_to_share_gp INTEGER,
  status TEXT NOT NULL DEFAULT 'received'
    CHECK (status IN ('received', 'contacting', 'accepted', 'declined', 'not_reached',
                      'discharged')),
  status_changed_on TEXT,
  accepted_on TEXT,
  declined_on TEXT,
  decline_reason TEXT,
  not_reached_on TEXT,
  snomed_code TEXT,
  discharged_on TEXT,
  discharge_reason TEXT,
  discharge_summary TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE INDEX referrals_person ON referrals (person_id, received_on);

CREATE INDEX referrals_status ON referrals (status);

CREATE TABLE contacts (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  referral_id INTEGER REFERENCES referrals (id) ON DELETE CASCADE,
  contact_at TEXT NOT NULL,
  mode TEXT NOT NULL,
  attempt INTEGER NOT NULL DEFAULT 0,
  outcome TEXT,
  duration_minutes INTEGER,
  initiated_by TEXT,
  note TEXT,
  followup_id INTEGER,
  created_at TEXT NOT NULL
);

CREATE INDEX contacts_person ON contacts (person_id, attempt, contact_at);

CREATE INDEX contacts_referral ON contacts (referral_id, attempt);

CREATE TABLE flags (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('safeguarding', 'lone_working', 'other')),
  note TEXT,
  raised_on TEXT NOT NULL,
  cleared_on TEXT,
  created_at TEXT NOT NULL
);

CREATE INDEX flags_person ON flags (person_id);

-- What-matters conversations and the plan: goals, their reviews and agreed actions.

CREATE TABLE conversations (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  referral_id INTEGER REFERENCES referrals (id) ON DELETE SET NULL,
  held_on TEXT NOT NULL,
  what_matters TEXT,
  strengths TEXT,
  needs TEXT NOT NULL DEFAULT '{}',
  barriers TEXT NOT NULL DEFAULT '[]',
  barriers_note TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE INDEX conversations_person ON conversations (person_id, held_on);

CREATE TABLE goals (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  referral_id INTEGER REFERENCES referrals (id) ON DELETE SET NULL,
  conversation_id INTEGER REFERENCES conversations (id) ON DELETE SET NULL,
  description TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open'
    CHECK (status IN ('open', 'achieved', 'changed', 'dropped')),
  status_changed_on TEXT,
  review_on TEXT,
  set_on TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE INDEX goals_person ON goals (person_id, status);

CREATE INDEX goals_review ON goals (status, review_on);

CREATE TABLE goal_reviews (
  id INTEGER PRIMARY KEY,
  goal_id INTEGER NOT NULL REFERENCES goals (id) ON DELETE CASCADE,
  reviewed_on TEXT NOT NULL,
  status TEXT NOT NULL,
  note TEXT,
  created_at TEXT NOT NULL
);

CREATE INDEX goal_reviews_goal ON goal_reviews (goal_id);

CREATE TABLE actions (
  id INTEGER PRIMARY KEY,
  goal_id INTEGER NOT NULL REFERENCES goals (id) ON DELETE CASCADE,
  description TEXT NOT NULL,
  owner TEXT NOT NULL DEFAULT 'person',
  owner_name TEXT,
  due_on TEXT,
  done_on TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE INDEX actions_goal ON actions (goal_id);

-- Wellbeing measures (ONS4, SWEMWBS, UCLA-3...) at baseline and follow-up.

CREATE TABLE measures (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  referral_id INTEGER REFERENCES referrals (id) ON DELETE SET NULL,
  kind TEXT NOT NULL,
  stage TEXT NOT NULL CHECK (stage IN ('baseline', 'follow_up')),
  taken_on TEXT NOT NULL,
  answers TEXT NOT NULL,
  scores TEXT NOT NULL,
  complete INTEGER NOT NULL,
  created_at TEXT NOT NULL
);

CREATE INDEX measures_person ON measures (person_id, kind, taken_on);

-- The community directory and the people connected to its activities.

CREATE TABLE activities (
  id INTEGER PRIMARY KEY,
  source_id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  organisation TEXT,
  description TEXT,
  status TEXT NOT NULL DEFAULT 'active',
  categories TEXT NOT NULL DEFAULT '[]',
  category_codes TEXT NOT NULL DEFAULT '[]',
  venue TEXT,
  address TEXT,
  town TEXT,
  postcode TEXT,
  latitude REAL,
  longitude REAL,
  schedules TEXT NOT NULL DEFAULT '[]',
  days TEXT NOT NULL DEFAULT '[]',
  schedule_text TEXT,
  cost TEXT,
  is_free INTEGER,
  eligibility TEXT,
  min_age INTEGER,
  max_age INTEGER,
  languages TEXT NOT NULL DEFAULT '[]',
  accessibility TEXT,
  phone TEXT,
  email TEXT,
  url TEXT,
  contact_name TEXT,
  assured_date TEXT,
  alert TEXT,
  extra TEXT NOT NULL DEFAULT '{}',
  origin TEXT NOT NULL DEFAULT 'import' CHECK (origin IN ('import', 'hand')),
  retired INTEGER NOT NULL DEFAULT 0,
  notes TEXT,
  favourite INTEGER NOT NULL DEFAULT 0,
  verified_on TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE INDEX activities_name ON activities (name COLLATE NOCASE);

CREATE TABLE connections (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  activity_id INTEGER NOT NULL REFERENCES activities (id),
  referral_id INTEGER REFERENCES referrals (id) ON DELETE SET NULL,
  kind TEXT NOT NULL DEFAULT 'signpost' CHECK (kind IN ('signpost', 'referral')),
  status TEXT NOT NULL DEFAULT 'suggested'
    CHECK (status IN ('suggested', 'referred', 'attended', 'attending', 'stopped')),
  suggested_on TEXT NOT NULL,
  referred_on TEXT,
  attended_on TEXT,
  stopped_on TEXT,
  status_changed_on TEXT NOT NULL,
  feedback TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE INDEX connections_person ON connections (person_id);

CREATE INDEX connections_activity ON connections (activity_id);

-- Planned follow-ups and the append-only audit trail.

CREATE TABLE followups (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  referral_id INTEGER REFERENCES referrals (id) ON DELETE SET NULL,
  goal_id INTEGER REFERENCES goals (id) ON DELETE SET NULL,
  connection_id INTEGER REFERENCES connections (id) ON DELETE SET NULL,
  due_on TEXT NOT NULL,
  due_time TEXT,
  duration_minutes INTEGER,
  kind TEXT NOT NULL,
  location TEXT,
  purpose TEXT,
  status TEXT NOT NULL DEFAULT 'planned'
    CHECK (status IN ('planned', 'done', 'missed', 'cancelled')),
  series_id TEXT,
  contact_id INTEGER REFERENCES contacts (id) ON DELETE SET NULL,
  cancel_reason TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE INDEX followups_person ON followups (person_id, status, due_on);

CREATE INDEX followups_due ON followups (status, due_on, due_time);

CREATE TABLE audit (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete', 'erase')),
  table_name TEXT NOT NULL,
  record_id INTEGER,
  person_id INTEGER,
  field TEXT,
  old TEXT,
  new TEXT
);

CREATE INDEX audit_person ON audit (person_id, at);

CREATE TRIGGER audit_is_append_only BEFORE UPDATE ON audit
BEGIN
  SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
