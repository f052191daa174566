-- m022_outcome_pairs: released, so never edited (a change is a new migration). Run by
-- store/migrations_later.py's m022_outcome_pairs(), one statement at a time, in this order.
-- SQLite keeps a table's text as it was written, so not even the layout changes: a new
-- store's schema is the released one byte for byte (tests/fixtures/schema.json).

-- An episode's measures of one kind (the commissioner report pairs within these): the
-- measures of one referral, or a person's measures linked to no referral.

CREATE INDEX measures_episode ON measures (coalesce(referral_id, -person_id), kind, stage)
WHERE entered_in_error_at IS NULL;

-- Each follow-up measure's scores beside its episode's first baseline (earliest day, then
-- first recorded), one row a score, kept by the triggers below; struck-out measures count
-- nowhere. next_on is the day of the episode's next follow-up (NULL for its last), so a
-- report ending on day E takes the follow-up whose next_on is NULL or after E. The values
-- are as the scores JSON holds them (no type affinity). Only scores named in letters,
-- digits and _ are paired (every score linkworker writes; another name is no JSON path and
-- never was a reported score), so no measure's scores can refuse its write. Keyed for the
-- report's reading: one score, month by month (part is the score's place in the JSON,
-- json_each's id, so a name written twice in one measure's scores is kept twice, as the
-- report always read it).

CREATE TABLE outcome_pairs (
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    month TEXT NOT NULL,
    follow_up_id INTEGER NOT NULL,
    part INTEGER NOT NULL,
    person_id INTEGER NOT NULL,
    episode INTEGER NOT NULL,
    taken_on TEXT NOT NULL,
    next_on TEXT,
    baseline_on TEXT NOT NULL,
    baseline,
    follow_up,
    PRIMARY KEY (kind, name, month, follow_up_id, part)
) WITHOUT ROWID;

CREATE INDEX outcome_pairs_episode ON outcome_pairs (episode, kind);

-- A view with nothing in it: inserting (episode, kind) into it makes that episode's pairs
-- again, so the refresh is written once, for every trigger that needs it.

CREATE VIEW outcome_pairs_refresh (episode, kind) AS SELECT NULL, NULL;

-- (+kind: without statistics SQLite would rather walk the key's kind than the episode.)

CREATE TRIGGER outcome_pairs_refresh INSTEAD OF INSERT ON outcome_pairs_refresh
BEGIN
  DELETE FROM outcome_pairs WHERE episode = NEW.episode AND +kind = NEW.kind;
  INSERT INTO outcome_pairs (kind, name, month, follow_up_id, part, person_id, episode,
    taken_on, next_on, baseline_on, baseline, follow_up)
  WITH g AS (SELECT id, person_id, stage, taken_on, scores,
      printf('%s %012d', taken_on, id) AS k FROM measures
      WHERE coalesce(referral_id, -person_id) = NEW.episode AND kind = NEW.kind
      AND entered_in_error_at IS NULL),
    b AS (SELECT taken_on, scores FROM g WHERE stage = 'baseline' ORDER BY k LIMIT 1)
  SELECT NEW.kind, jb.key, substr(f.taken_on, 1, 7), f.id, jb.id, f.person_id, NEW.episode,
    f.taken_on,
    (SELECT n.taken_on FROM g n WHERE n.stage = 'follow_up' AND n.k > f.k ORDER BY n.k LIMIT 1),
    b.taken_on, jb.value, json_extract(f.scores, '$.values.' || jb.key)
  FROM g f CROSS JOIN b CROSS JOIN json_each(CASE WHEN json_valid(b.scores)
    AND json_valid(f.scores) THEN b.scores ELSE '{}' END, '$.values') jb
  WHERE f.stage = 'follow_up' AND jb.key GLOB '[A-Za-z0-9_]*'
    AND NOT jb.key GLOB '*[^A-Za-z0-9_]*';
END;

CREATE TRIGGER measures_insert_pairs AFTER INSERT ON measures
BEGIN
  INSERT INTO outcome_pairs_refresh VALUES (coalesce(NEW.referral_id, -NEW.person_id), NEW.kind);
END;

CREATE TRIGGER measures_update_pairs AFTER UPDATE OF id, person_id, referral_id, kind, stage,
  taken_on, scores, entered_in_error_at ON measures
BEGIN
  INSERT INTO outcome_pairs_refresh SELECT coalesce(OLD.referral_id, -OLD.person_id), OLD.kind
    UNION SELECT coalesce(NEW.referral_id, -NEW.person_id), NEW.kind;
END;

CREATE TRIGGER measures_delete_pairs AFTER DELETE ON measures
BEGIN
  INSERT INTO outcome_pairs_refresh VALUES (coalesce(OLD.referral_id, -OLD.person_id), OLD.kind);
END;
