-- m024_first_contacts: released, so never edited (a change is a new migration). Run by
-- store/migrations_later.py's m024_first_contacts(), one statement at a time, in this order.
-- SQLite keeps a table's text as it was written, so not even the layout changes: a new
-- store's schema is the released one byte for byte (tests/fixtures/schema.json).

-- Each referral's first real contact that was not struck out, and the days to it from
-- the day the referral was received (none for a referral with no such contact), kept by
-- the triggers below. A report ending on day E counts a referral's first contact when it
-- came before E was over: the first contact made by then is the first of all, or none.
-- Keyed by the days, so the report counts them along the index.

CREATE TABLE first_contacts (
    referral_id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL,
    received_on TEXT NOT NULL,
    first_contact_at TEXT NOT NULL,
    days INTEGER
);

CREATE INDEX first_contacts_days ON first_contacts (days, received_on, first_contact_at);

-- As m022's outcome_pairs_refresh: inserting a referral's id makes its row again.

CREATE VIEW first_contacts_refresh (referral_id) AS SELECT NULL;

CREATE TRIGGER first_contacts_refresh INSTEAD OF INSERT ON first_contacts_refresh
BEGIN
  DELETE FROM first_contacts WHERE referral_id = NEW.referral_id;
  INSERT INTO first_contacts (referral_id, person_id, received_on, first_contact_at, days)
  SELECT r.id, r.person_id, r.received_on, f.first_at,
    CAST(julianday(substr(f.first_at, 1, 10)) - julianday(r.received_on) AS INTEGER)
  FROM referrals r, (SELECT min(contact_at) AS first_at FROM contacts
    WHERE referral_id = NEW.referral_id AND attempt = 0 AND entered_in_error_at IS NULL) f
  WHERE r.id = NEW.referral_id AND f.first_at IS NOT NULL;
END;

CREATE TRIGGER contacts_insert_first AFTER INSERT ON contacts WHEN NEW.referral_id IS NOT NULL
BEGIN
  INSERT INTO first_contacts_refresh VALUES (NEW.referral_id);
END;

CREATE TRIGGER contacts_update_first AFTER UPDATE OF id, referral_id, contact_at, attempt,
  entered_in_error_at ON contacts
BEGIN
  INSERT INTO first_contacts_refresh SELECT OLD.referral_id WHERE OLD.referral_id IS NOT NULL
    UNION SELECT NEW.referral_id WHERE NEW.referral_id IS NOT NULL;
END;

CREATE TRIGGER contacts_delete_first AFTER DELETE ON contacts WHEN OLD.referral_id IS NOT NULL
BEGIN
  INSERT INTO first_contacts_refresh VALUES (OLD.referral_id);
END;

CREATE TRIGGER referrals_update_first AFTER UPDATE OF id, person_id, received_on ON referrals
BEGIN
  INSERT INTO first_contacts_refresh SELECT OLD.id UNION SELECT NEW.id;
END;

CREATE TRIGGER referrals_delete_first AFTER DELETE ON referrals
BEGIN
  DELETE FROM first_contacts WHERE referral_id = OLD.id;
END;
