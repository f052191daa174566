-- m023_report_indexes: released, so never edited (a change is a new migration). Run by
-- store/migrations_later.py's m023_report_indexes(), one statement at a time, in this order.
-- SQLite keeps a table's text as it was written, so not even the layout changes: a new
-- store's schema is the released one byte for byte (tests/fixtures/schema.json).

-- What the commissioner report counts, each an index holding every column its query reads
-- (so it never reads the rows): real contacts that were not struck out, by person and by
-- referral (contacts per person in the period, days to the first contact, contacts per
-- completed episode); the outcome measures of each person's episodes (measures recorded
-- against those due); and measures by kind (involvement, CollaboRATE). The columns a
-- partial index is limited by are in it too: SQLite reads them from the row otherwise.

CREATE INDEX contacts_live_person ON contacts (person_id, contact_at, attempt, entered_in_error_at)
WHERE attempt = 0 AND entered_in_error_at IS NULL;

CREATE INDEX contacts_live_referral ON contacts (referral_id, contact_at, attempt, entered_in_error_at)
WHERE attempt = 0 AND entered_in_error_at IS NULL;

CREATE INDEX measures_in_episode ON measures (person_id, stage, taken_on, kind, referral_id, entered_in_error_at)
WHERE entered_in_error_at IS NULL;

CREATE INDEX measures_kind ON measures (kind, taken_on);

-- Each person's facts the report counts by (sex, ethnicity, date of birth and postcode
-- district, the district worked out once, when the postcode is written), read by the
-- report through this index rather than the person's row.

CREATE INDEX people_report ON people (id, sex, ethnicity, date_of_birth,
  (CASE WHEN instr(trim(postcode), ' ') > 1
   THEN upper(substr(trim(postcode), 1, instr(trim(postcode), ' ') - 1)) END));

-- Each activity's connections (its connections in the period, and whether people went),
-- and the referrals discharged in a period (why, the contacts of each, and whether a
-- follow-up measure was taken).

CREATE INDEX connections_report ON connections (activity_id, suggested_on, entered_in_error_at,
  attended_on, status, person_id);

CREATE INDEX referrals_discharged ON referrals (discharged_on, discharge_reason, accepted_on,
  person_id);

-- The referrals received in a period by month and source, and by their needs as stored:
-- in the order the report groups them, so it counts along the index without sorting.

CREATE INDEX referrals_month_source ON referrals (substr(received_on, 1, 7), source, received_on);

CREATE INDEX referrals_needs ON referrals (needs, received_on);
