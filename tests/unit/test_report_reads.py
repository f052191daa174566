"""The commissioner report reads copies and indexes kept for it (m022-m024): its figures stay
what the plain queries over the records gave, and it reads what was kept for it.

The reference queries below are the report's queries as they were before outcome_pairs,
first_contacts and m023's indexes: scores parsed from the measures' JSON, every referral
joined to its contacts, needs parsed one referral at a time. The demo caseload is first
given what the copies must follow: struck-out and restored entries, measures moved off
their referral, on one day, with unreadable scores, later follow-ups, baselines after
their follow-ups, contacts moved, re-dated, turned into attempts and deleted, a referral
deleted.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest

from linkworker import erasure, reports, subject_access
from linkworker.clock import Clock
from linkworker.reports.caseload import STEPS
from linkworker.reports.counting import counts, histogram, merge_counts
from linkworker.reports.episodes import outcome_months
from linkworker.store.db import Database
from linkworker.store.migrations import rebuild_copies

CHANGES = [
    "UPDATE measures SET entered_in_error_at = 't', entered_in_error_reason = 'x' WHERE id % 7 = 0",
    "UPDATE measures SET referral_id = NULL WHERE id % 5 = 1",
    "UPDATE measures SET taken_on = (SELECT min(b.taken_on) FROM measures b "
    "WHERE b.person_id = measures.person_id AND b.kind = measures.kind) WHERE id % 9 = 2",
    "UPDATE measures SET scores = 'not json' WHERE id % 17 = 3",
    "UPDATE measures SET scores = '{\"values\": 5}' WHERE id % 37 = 8",
    # names that are no JSON path (the plain query never looked them up)
    "UPDATE measures SET scores = "
    'replace(scores, \'"values": {\', \'"values": {"": 1, "a.b": 2, "a b": 3, \') '
    "WHERE kind = 'ons4' AND id % 8 = 5 AND json_valid(scores)",
    # a score named twice in one measure's scores (hand-made JSON)
    "UPDATE measures SET scores = "
    'replace(scores, \'"values": {\', \'"values": {"total": 1.0, \') '
    "WHERE kind = 'ucla3' AND id % 6 = 1 AND json_valid(scores)",
    "UPDATE measures SET stage = 'baseline' WHERE id % 29 = 5",
    "UPDATE measures SET entered_in_error_at = NULL WHERE id % 49 = 0",
    # later follow-ups (an episode's last one by the end of a period counts) and baselines
    # taken after their follow-ups (a baseline counts once taken by the period's end)
    "INSERT INTO measures (person_id, referral_id, kind, stage, taken_on, answers, scores, "
    "complete, created_at) SELECT person_id, referral_id, kind, 'follow_up', "
    "date(taken_on, '+' || (id % 90) || ' days'), answers, "
    "CASE WHEN id % 2 THEN replace(scores, '.0,', '.5,') ELSE scores END, complete, created_at "
    "FROM measures WHERE stage = 'follow_up' AND id % 3 = 0",
    "INSERT INTO measures (person_id, referral_id, kind, stage, taken_on, answers, scores, "
    "complete, created_at) SELECT person_id, referral_id, kind, stage, "
    "date(taken_on, '+' || (id % 120) || ' days'), answers, replace(scores, '.0,', '.5,'), "
    "complete, created_at FROM measures WHERE id % 4 = 0",
    # the same day twice with other scores (earliest day, then first or last recorded),
    # and follow-ups on the last day of a period with one before them
    "INSERT INTO measures (person_id, referral_id, kind, stage, taken_on, answers, scores, "
    "complete, created_at) SELECT person_id, referral_id, kind, stage, taken_on, answers, "
    "replace(scores, '.0,', '.25,'), complete, created_at FROM measures WHERE id % 10 = 2",
    "UPDATE measures SET taken_on = '2026-09-30' WHERE stage = 'follow_up' AND id % 10 = 7",
    "UPDATE measures SET taken_on = date(taken_on, '+150 days') "
    "WHERE stage = 'baseline' AND id % 4 = 3",
    "DELETE FROM measures WHERE id % 23 = 4",
    # and so that each of those is met for certain: three episodes' loneliness measures
    # (no demo measure is one), two baselines on one day, a follow-up on the quarter's last
    # day after one in the quarter, and one after the quarter
    "WITH v (stage, day, score) AS (VALUES ('baseline', '2026-06-01', 2), "
    "('baseline', '2026-06-01', 4), ('follow_up', '2026-08-01', 3), "
    "('follow_up', '2026-09-30', 1), ('follow_up', '2026-10-15', 5)) "
    "INSERT INTO measures (person_id, referral_id, kind, stage, taken_on, answers, scores, "
    "complete, created_at) SELECT r.person_id, r.id, 'ons_loneliness', v.stage, v.day, '{}', "
    "'{\"values\": {\"lonely\": ' || v.score || '}}', 1, 't' "
    "FROM (SELECT * FROM referrals ORDER BY id LIMIT 3) r, v",
    "UPDATE contacts SET entered_in_error_at = 't' WHERE id % 11 = 0",
    "UPDATE contacts SET contact_at = '2025-12-01T09:00:00' WHERE id % 19 = 7",
    "UPDATE contacts SET referral_id = NULL WHERE id % 43 = 9",
    "UPDATE contacts SET attempt = 1 WHERE id % 27 = 10",
    "DELETE FROM contacts WHERE id % 33 = 11",
    "UPDATE referrals SET received_on = date(received_on, '+20 days') WHERE id % 9 = 4",
    "UPDATE referrals SET needs = '[]' WHERE id % 8 = 1",
    "DELETE FROM referrals WHERE id % 31 = 6",
]
PERIODS = [
    reports.Period(date(2026, 7, 1), date(2026, 9, 30)),
    reports.Period(date(2025, 12, 1), date(2026, 11, 30)),
    reports.Period(date(2025, 1, 1), date(2026, 11, 30)),
    reports.Period(date(2026, 10, 1), date(2026, 10, 31)),
]

_NAMES = ", ".join(f"'{kind}.{name}'" for kind, name in reports.OUTCOME_SCORES)
REFERENCE_OUTCOMES = (
    "WITH firsts AS (SELECT kind, "
    "  min(CASE WHEN stage = 'baseline' THEN printf('%s %012d', taken_on, id) END) AS b, "
    "  max(CASE WHEN stage = 'follow_up' THEN printf('%s %012d', taken_on, id) END) AS f "
    "  FROM measures WHERE taken_on <= :end AND entered_in_error_at IS NULL "
    "  GROUP BY coalesce(referral_id, -person_id), kind), "
    "pairs AS (SELECT kind, substr(f, 1, 7) AS month, "
    "  CAST(substr(b, -12) AS INTEGER) AS before_id, CAST(substr(f, -12) AS INTEGER) AS after_id "
    "  FROM firsts WHERE b IS NOT NULL AND substr(f, 1, length(f) - 13) >= :start), "
    "paired AS MATERIALIZED (SELECT x.kind, jb.key AS name, x.month, jb.value AS b, "
    "  json_extract(f.scores, '$.values.' || jb.key) AS f "
    "  FROM pairs x CROSS JOIN measures b ON b.id = x.before_id "
    "  CROSS JOIN measures f ON f.id = x.after_id "
    "  CROSS JOIN json_each(CASE WHEN json_valid(b.scores) AND json_valid(f.scores) "
    "    THEN b.scores ELSE '{}' END, '$.values') jb "
    f"  WHERE x.kind || '.' || jb.key IN ({_NAMES})) "
    "SELECT kind, name, month, count(*), sum(b), sum(f), sum(f > b), sum(f < b), sum(f = b) "
    "FROM paired WHERE b IS NOT NULL AND f IS NOT NULL GROUP BY kind, name, month"
)
REFERENCE_FIRST_CONTACTS = (
    "SELECT days, count(*) FROM (SELECT CAST(julianday(substr(min(c.contact_at), 1, 10)) "
    "  - julianday(r.received_on) AS INTEGER) AS days "
    "  FROM referrals r JOIN contacts c ON c.referral_id = r.id AND c.attempt = 0 "
    "  AND c.entered_in_error_at IS NULL AND c.contact_at < :after "
    "  WHERE r.received_on BETWEEN :start AND :end GROUP BY r.id) GROUP BY days"
)
_NEEDS = "CASE WHEN json_valid(r.needs) THEN r.needs ELSE '[]' END"
REFERENCE_NEEDS = (
    f"SELECT j.value, count(*) FROM referrals r, json_each({_NEEDS}) j "
    "WHERE r.received_on BETWEEN :start AND :end GROUP BY 1 "
    "UNION ALL SELECT NULL, count(*) FROM referrals r "
    f"WHERE r.received_on BETWEEN :start AND :end AND json_array_length({_NEEDS}) = 0"
)
REFERENCE_SOURCES = (
    "SELECT source, count(*) FROM referrals WHERE received_on BETWEEN :start AND :end "
    "GROUP BY 1 ORDER BY 2 DESC, 1"
)
_ATTENDED = (
    "(c.attended_on IS NOT NULL AND c.attended_on <= :end OR "
    "(c.attended_on IS NULL AND c.status IN ('attended', 'attending')))"
)
REFERENCE_CATEGORIES = (
    f"SELECT j.value, count(DISTINCT c.id), count(DISTINCT CASE WHEN {_ATTENDED} THEN c.id END) "
    "FROM connections c JOIN activities a ON a.id = c.activity_id "
    "LEFT JOIN json_each(CASE WHEN json_valid(a.categories) THEN a.categories ELSE '[]' END) j "
    "WHERE c.suggested_on BETWEEN :start AND :end AND c.entered_in_error_at IS NULL "
    "GROUP BY 1 ORDER BY 2 DESC, 1"
)
_REFERRED = (
    "WITH referred AS (SELECT person_id, min(received_on) AS first_on FROM referrals "
    "WHERE received_on BETWEEN :start AND :end GROUP BY person_id) "
)
REFERENCE_PEOPLE = {
    "age": _REFERRED + "SELECT CASE WHEN p.date_of_birth IS NULL OR p.date_of_birth = '' "
    "THEN NULL ELSE CAST(substr(x.first_on, 1, 4) AS INTEGER) "
    "  - CAST(substr(p.date_of_birth, 1, 4) AS INTEGER) "
    "  - (substr(x.first_on, 6, 5) < substr(p.date_of_birth, 6, 5)) END AS age, count(*) "
    "FROM referred x JOIN people p ON p.id = x.person_id GROUP BY 1",
    "sex": _REFERRED + "SELECT p.sex, count(*) FROM referred x JOIN people p "
    "ON p.id = x.person_id GROUP BY 1 ORDER BY 2 DESC, 1",
    "ethnicity": _REFERRED + "SELECT p.ethnicity, count(*) FROM referred x "
    "JOIN people p ON p.id = x.person_id GROUP BY 1 ORDER BY 2 DESC, 1",
    "outward": _REFERRED + "SELECT CASE WHEN instr(trim(p.postcode), ' ') > 1 "
    "THEN upper(substr(trim(p.postcode), 1, instr(trim(p.postcode), ' ') - 1)) END, "
    "count(*) FROM referred x JOIN people p ON p.id = x.person_id GROUP BY 1 ORDER BY 1",
}


@pytest.fixture
def changed(demo_db: Database) -> Database:
    with demo_db.atomic():
        for change in CHANGES:
            demo_db.execute(change)
    return demo_db


def _params(period: reports.Period) -> dict[str, str]:
    return {
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "after": (period.end + timedelta(days=1)).isoformat(),
    }


@pytest.mark.parametrize("period", PERIODS, ids=lambda p: f"{p.start}..{p.end}")
def test_every_rewritten_figure_is_what_the_plain_queries_give(
    changed: Database, period: reports.Period, today: date
) -> None:
    db, p = changed, _params(period)
    report = reports.caseload_report(db, period, today)
    reference = [
        (k, n, m, int(c), float(b or 0), float(f or 0), int(u or 0), int(d or 0), int(s or 0))
        for k, n, m, c, b, f, u, d, s in db.execute(REFERENCE_OUTCOMES, p).fetchall()
    ]
    assert [tuple(m) for m in outcome_months(db, p)] == reference
    assert report.outcome_months == outcome_months(db, p)
    assert report.first_contact_days == histogram(db, REFERENCE_FIRST_CONTACTS, p)
    by_need = counts(db, REFERENCE_NEEDS, p)
    assert report.referrals_by_need == dict(
        sorted(((k, n) for k, n in by_need.items() if n), key=lambda kv: (-kv[1], kv[0]))
    )
    # Dictionaries in the order the plain queries gave them (the files list them so).
    assert list(report.referrals_by_source.items()) == list(
        counts(db, REFERENCE_SOURCES, p).items()
    )
    assert [(c.category, c.connections, c.attended) for c in report.connections_by_category] == [
        (str(cat) if cat else "Uncategorised", int(n), int(a or 0))
        for cat, n, a in db.execute(REFERENCE_CATEGORIES, p).fetchall()
    ]
    ages = db.execute(REFERENCE_PEOPLE["age"], p).fetchall()
    bands = merge_counts((reports.age_band(a) if a is not None else None, n) for a, n in ages)
    assert list(report.age_bands.items()) == list(bands.items())
    assert list(report.sex.items()) == list(counts(db, REFERENCE_PEOPLE["sex"], p).items())
    assert list(report.ethnicity.items()) == list(
        counts(db, REFERENCE_PEOPLE["ethnicity"], p).items()
    )
    assert list(report.outward_codes.items()) == list(
        counts(db, REFERENCE_PEOPLE["outward"], p).items()
    )


def _statements(db: Database, period: reports.Period, today: date) -> Iterator[str]:
    """Each statement the report runs (with the identifiable list), with its query plan."""
    seen: list[tuple[str, Any]] = []
    execute = db.execute

    def recording(sql: str, params: Any = None) -> Any:
        seen.append((sql, params))
        return execute(sql, params) if params is not None else execute(sql)

    db.execute = recording  # type: ignore[method-assign]
    try:
        reports.caseload_report(db, period, today, with_episodes=True)
    finally:
        db.execute = execute  # type: ignore[method-assign]
    for sql, params in seen:
        plan = execute(f"EXPLAIN QUERY PLAN {sql}", params or []).fetchall()
        yield sql + "\n" + "\n".join(str(row[3]) for row in plan)


def test_the_report_reads_what_was_kept_for_it_not_the_records_rows(
    demo_db: Database, today: date
) -> None:
    statements = list(_statements(demo_db, PERIODS[1], today))
    assert len(statements) >= len(STEPS)
    for text in statements:
        sql, plan = text.split("\n", 1)
        # No score is parsed from a measure's JSON but CollaboRATE's (found by kind).
        assert "json_each(b.scores" not in sql and "json_extract(f.scores" not in sql
        for line in plan.splitlines():
            # Contacts and measures are read along an index holding what is counted,
            # never row by row.
            if line.startswith(("SCAN contacts", "SCAN c ", "SEARCH c ")) and "contacts" in sql:
                assert "COVERING INDEX contacts_live_" in line, text
            if line.startswith(("SCAN measures", "SEARCH measures", "SCAN m ", "SEARCH m ")):
                assert "measures_in_episode" in line or "measures_kind" in line, text
    joined = "\n".join(statements)
    for kept in ("outcome_pairs USING PRIMARY KEY", "first_contacts_days", "people_report"):
        assert kept in joined


def test_erasure_takes_a_persons_copies_and_subject_access_lists_none(
    demo_db: Database, clock: Clock
) -> None:
    db = demo_db
    pid, other = (
        int(r[0])
        for r in db.execute(
            "SELECT person_id FROM outcome_pairs WHERE person_id IN "
            "(SELECT person_id FROM first_contacts) GROUP BY person_id ORDER BY person_id LIMIT 2"
        ).fetchall()
    )
    held = subject_access.subject_access(db, pid, clock.stamp())
    assert "outcome_pairs" not in held["tables"] and "first_contacts" not in held["tables"]
    # What the copies hold is in the record the export holds: each pair's scores are its
    # follow-up's, and each first contact is one of the person's contacts.
    scores = {m["id"]: m["scores"]["values"] for m in held["tables"]["measures"]}
    for follow_up, name, value in db.execute(
        "SELECT follow_up_id, name, follow_up FROM outcome_pairs WHERE person_id = ?", [pid]
    ).fetchall():
        assert scores[follow_up][name] == value
    contacts = {c["contact_at"] for c in held["tables"]["contacts"]}
    for (first,) in db.execute(
        "SELECT first_contact_at FROM first_contacts WHERE person_id = ?", [pid]
    ).fetchall():
        assert first in contacts

    erasure.erase_person(db, pid, clock)
    for table in ("outcome_pairs", "first_contacts"):
        left = db.execute(f"SELECT count(*) FROM {table} WHERE person_id = ?", [pid]).fetchone()
        kept = db.execute(f"SELECT count(*) FROM {table} WHERE person_id = ?", [other])
        assert left == (0,) and kept.fetchone()[0] > 0, table


def test_the_copies_the_triggers_kept_are_the_copies_made_again(changed: Database) -> None:
    # The demo is loaded with the copies' triggers off and made again after; every change
    # since went through the triggers, row by row.
    names = {r[0] for r in changed.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert {"measures_update_pairs", "contacts_update_first", "referrals_delete_first"} <= names
    read = {
        "outcome_pairs": "SELECT * FROM outcome_pairs ORDER BY follow_up_id, name",
        "first_contacts": "SELECT * FROM first_contacts ORDER BY referral_id",
    }
    kept = {table: changed.execute(sql).fetchall() for table, sql in read.items()}
    assert all(kept.values())
    rebuild_copies(changed)
    assert {table: changed.execute(sql).fetchall() for table, sql in read.items()} == kept
