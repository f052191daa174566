"""The commissioner report's figures, checked against an independent count.

Each figure of ``reports.caseload_report`` (aggregated in SQL) is recomputed here in plain
Python from the raw rows of the fixed 60-person demo caseload, with the definitions written
out again, so a mistake in the SQL cannot hide behind the same mistake in the check.
"""

from __future__ import annotations

import json
import random
import statistics
from collections import Counter, defaultdict
from datetime import date
from typing import Any

import pytest

from linkworker import measures, reports
from linkworker.formats.caseload_report import caseload_document
from linkworker.reports import Disclosure, Period
from linkworker.store.db import Database
from linkworker.validation import age_on, outward_code

PERIODS = [
    Period(date(2026, 7, 1), date(2026, 9, 30)),
    Period(date(2025, 12, 1), date(2026, 11, 23)),
]


def rows(db: Database, table: str) -> list[dict[str, Any]]:
    return list(db.query(f"SELECT * FROM [{table}] ORDER BY id"))


def within(day: str | None, period: Period) -> bool:
    return day is not None and period.start.isoformat() <= day[:10] <= period.end.isoformat()


def on_or_before(day: str | None, end: date) -> bool:
    return day is not None and day[:10] <= end.isoformat()


@pytest.fixture(params=PERIODS, ids=["quarter", "year"])
def period(request: pytest.FixtureRequest) -> Period:
    return request.param  # type: ignore[no-any-return]


def test_referrals_received_by_month_source_and_need(
    demo_db: Database, period: Period, today: date
) -> None:
    report = reports.caseload_report(demo_db, period, today)
    received = [r for r in rows(demo_db, "referrals") if within(r["received_on"], period)]
    assert received, "the period must hold referrals for this test to mean anything"
    assert report.referrals_received == len(received)
    months = Counter(r["received_on"][:7] for r in received)
    assert {m: n for m, n in report.referrals_by_month.items() if n} == dict(months)
    assert list(report.referrals_by_month) == period.months
    assert report.referrals_by_source == dict(Counter(r["source"] for r in received))
    needs = Counter(n for r in received for n in json.loads(r["needs"]))
    assert report.referrals_by_need == dict(needs)


def test_what_happened_to_referrals(demo_db: Database, period: Period, today: date) -> None:
    report = reports.caseload_report(demo_db, period, today)
    referrals = rows(demo_db, "referrals")
    assert report.accepted == sum(within(r["accepted_on"], period) for r in referrals)
    assert report.declined == sum(within(r["declined_on"], period) for r in referrals)
    assert report.not_reached == sum(within(r["not_reached_on"], period) for r in referrals)
    assert report.discharges == sum(within(r["discharged_on"], period) for r in referrals)
    active = {
        r["person_id"]
        for r in referrals
        if on_or_before(r["accepted_on"], period.end)
        and not on_or_before(r["discharged_on"], period.end)
    }
    assert report.active_at_end == len(active) > 0
    awaiting = [
        r
        for r in referrals
        if on_or_before(r["received_on"], period.end)
        and not any(
            on_or_before(r[k], period.end) for k in ("accepted_on", "declined_on", "not_reached_on")
        )
    ]
    assert report.awaiting_at_end == len(awaiting)
    reasons = Counter(
        r["discharge_reason"] for r in referrals if within(r["discharged_on"], period)
    )
    assert report.discharges_by_reason == dict(reasons)


def test_contacts_and_days_to_first_contact(demo_db: Database, period: Period, today: date) -> None:
    report = reports.caseload_report(demo_db, period, today)
    contacts = [c for c in rows(demo_db, "contacts") if not c["attempt"]]
    in_period = [c for c in contacts if within(c["contact_at"], period)]
    assert report.contacts_total == len(in_period) > 0
    per_person = Counter(c["person_id"] for c in in_period)
    assert report.people_contacted == len(per_person)
    assert report.contacts_per_person_median == statistics.median(per_person.values())

    days = []
    for r in rows(demo_db, "referrals"):
        if not within(r["received_on"], period):
            continue
        mine = [
            c["contact_at"][:10]
            for c in contacts
            if c["referral_id"] == r["id"] and on_or_before(c["contact_at"], period.end)
        ]
        if mine:
            days.append((date.fromisoformat(min(mine)) - date.fromisoformat(r["received_on"])).days)
    assert report.first_contact_n == len(days) > 0
    assert report.first_contact_days_median == statistics.median(days)

    episode_contacts = [
        sum(
            1
            for c in contacts
            if c["referral_id"] == r["id"] and on_or_before(c["contact_at"], period.end)
        )
        for r in rows(demo_db, "referrals")
        if within(r["discharged_on"], period)
    ]
    assert report.completed_episodes == len(episode_contacts) > 0
    assert report.completed_contacts_median == statistics.median(episode_contacts)
    assert report.completed_within_norm == sum(6 <= n <= 12 for n in episode_contacts)
    assert report.completed_below_norm == sum(n < 6 for n in episode_contacts)
    assert report.completed_above_norm == sum(n > 12 for n in episode_contacts)


def test_demographics_of_people_referred(demo_db: Database, period: Period, today: date) -> None:
    report = reports.caseload_report(demo_db, period, today)
    first_referral: dict[int, str] = {}
    for r in rows(demo_db, "referrals"):
        if within(r["received_on"], period):
            pid = r["person_id"]
            first_referral[pid] = min(first_referral.get(pid, "9999"), r["received_on"])
    people = {p["id"]: p for p in rows(demo_db, "people")}
    assert report.people_referred == len(first_referral) > 0
    bands: Counter[str] = Counter()
    for pid, day in first_referral.items():
        dob = people[pid]["date_of_birth"]
        age = age_on(date.fromisoformat(dob), date.fromisoformat(day)) if dob else None
        bands[reports.age_band(age)] += 1
    assert report.age_bands == dict(bands)
    assert report.sex == dict(Counter(people[pid]["sex"] for pid in first_referral))
    assert report.ethnicity == dict(Counter(people[pid]["ethnicity"] for pid in first_referral))
    areas = Counter(outward_code(people[pid]["postcode"]) for pid in first_referral)
    assert report.outward_codes == dict(areas)


def add_measure(db: Database, referral: dict[str, Any], kind: str, stage: str, day: str) -> None:
    """Another measure on an episode, with answers picked at random but valid."""
    definition = measures.definition(kind)
    rng = random.Random(day + kind + stage)
    answers = {i.key: rng.randint(i.min_value, i.max_value) for i in definition.items}
    scored = measures.score(kind, answers)
    db.execute(
        "INSERT INTO measures (person_id, referral_id, kind, stage, taken_on, answers, scores, "
        "complete, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            referral["person_id"],
            referral["id"],
            kind,
            stage,
            day,
            json.dumps(answers),
            scored.model_dump_json(),
            int(scored.complete),
            "2026-11-23T09:00:00",
        ],
    )


@pytest.fixture
def repeated_measures(demo_db: Database) -> Database:
    """Episodes measured more than once: a later baseline and an earlier follow-up that the
    report must ignore, and a follow-up after the period that it must not use."""
    paired = list(
        demo_db.query(
            "SELECT DISTINCT r.* FROM referrals r JOIN measures m ON m.referral_id = r.id "
            "AND m.stage = 'follow_up' ORDER BY r.id LIMIT 6"
        )
    )
    for referral in paired:
        first = demo_db.execute(
            "SELECT min(taken_on), max(taken_on) FROM measures WHERE referral_id = ?",
            [referral["id"]],
        ).fetchone()
        for kind in ("ons4", "swemwbs", "ucla3"):
            add_measure(demo_db, referral, kind, "baseline", first[0])  # same day, later id
            add_measure(demo_db, referral, kind, "follow_up", first[0])  # an early follow-up
            add_measure(demo_db, referral, kind, "follow_up", "2026-11-23")
    return demo_db


@pytest.mark.parametrize("extra", [False, True], ids=["demo", "repeated"])
def test_outcome_change_pairs_first_baseline_with_last_follow_up(
    demo_db: Database, period: Period, today: date, extra: bool, request: pytest.FixtureRequest
) -> None:
    if extra:
        request.getfixturevalue("repeated_measures")
    report = reports.caseload_report(demo_db, period, today)
    by_episode: dict[tuple[int, str], list[dict[str, Any]]] = defaultdict(list)
    for m in rows(demo_db, "measures"):
        if on_or_before(m["taken_on"], period.end):
            by_episode[(m["referral_id"], m["kind"])].append(m)
    changes: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    for (_, kind), taken in by_episode.items():
        baselines = sorted(
            (m for m in taken if m["stage"] == "baseline"), key=lambda m: (m["taken_on"], m["id"])
        )
        follow_ups = sorted(
            (m for m in taken if m["stage"] == "follow_up"), key=lambda m: (m["taken_on"], m["id"])
        )
        if not baselines or not follow_ups or not within(follow_ups[-1]["taken_on"], period):
            continue
        before = json.loads(baselines[0]["scores"])["values"]
        after = json.loads(follow_ups[-1]["scores"])["values"]
        for name in measures.comparable_names(kind):
            if name in before and name in after:
                changes[(kind, name)].append((before[name], after[name]))
    assert changes, "the period must hold follow-ups for this test to mean anything"
    for outcome in report.outcomes:
        pairs = changes.get((outcome.kind, outcome.name), [])
        assert outcome.n == len(pairs), outcome
        if not pairs:
            assert outcome.mean_change is None
            continue
        better_high = measures.HIGHER_IS_BETTER[(measures.MeasureKind(outcome.kind), outcome.name)]
        improved = sum((a > b) if better_high else (a < b) for b, a in pairs)
        assert outcome.improved == improved
        assert outcome.mean_baseline == pytest.approx(statistics.mean(b for b, _ in pairs))
        assert outcome.mean_follow_up == pytest.approx(statistics.mean(a for _, a in pairs))
        assert outcome.mean_change == pytest.approx(statistics.mean(a - b for b, a in pairs))
        assert outcome.improved + outcome.worse + outcome.same == outcome.n
    names = [(o.kind, o.name) for o in report.outcomes]
    assert ("swemwbs", "metric") in names and ("swemwbs", "raw") not in names
    assert [n for k, n in names if k == "ons4"] == [
        "life_satisfaction",
        "worthwhile",
        "happiness",
        "anxiety",
    ]
    assert ("ucla3", "total") in names


def test_activities_connected_by_category_and_attended(
    demo_db: Database, period: Period, today: date
) -> None:
    report = reports.caseload_report(demo_db, period, today)
    activities = {a["id"]: json.loads(a["categories"]) for a in rows(demo_db, "activities")}
    made = [c for c in rows(demo_db, "connections") if within(c["suggested_on"], period)]

    def attended(c: dict[str, Any]) -> bool:
        if c["attended_on"]:
            return on_or_before(c["attended_on"], period.end)
        return c["status"] in ("attended", "attending")

    assert report.connections_total == len(made) > 0
    assert report.connections_attended == sum(attended(c) for c in made)
    assert report.people_connected == len({c["person_id"] for c in made})
    per_category: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for c in made:
        for category in activities[c["activity_id"]] or ["Uncategorised"]:
            per_category[category][0] += 1
            per_category[category][1] += attended(c)
    assert {c.category: [c.connections, c.attended] for c in report.connections_by_category} == {
        k: v for k, v in per_category.items()
    }


def test_the_episode_list_exists_only_when_asked(demo_db: Database, today: date) -> None:
    period = PERIODS[0]
    assert reports.caseload_report(demo_db, period, today).episodes is None
    episodes = reports.caseload_report(demo_db, period, today, with_episodes=True).episodes
    assert episodes is not None
    expected = [
        r["id"]
        for r in rows(demo_db, "referrals")
        if on_or_before(r["received_on"], period.end)
        and (r["discharged_on"] or r["declined_on"] or r["not_reached_on"] or "9999")
        >= period.start.isoformat()
    ]
    assert sorted(e.referral_id for e in episodes) == sorted(expected)


def test_an_empty_store_gives_zeros_not_errors(db: Database, today: date) -> None:
    report = reports.caseload_report(db, PERIODS[0], today)
    assert report.referrals_received == 0
    assert report.referrals_by_month == {"2026-07": 0, "2026-08": 0, "2026-09": 0}
    assert report.contacts_per_person_median is None
    assert report.first_contact_days_median is None
    assert all(o.n == 0 and o.mean_change is None for o in report.outcomes)


def test_a_measure_with_unreadable_scores_is_left_out_not_fatal(
    demo_db: Database, today: date
) -> None:
    before = reports.caseload_report(demo_db, PERIODS[1], today)
    demo_db.execute(
        "UPDATE measures SET scores = 'not json' WHERE id = "
        "(SELECT id FROM measures WHERE stage = 'follow_up' AND kind = 'ucla3' ORDER BY id LIMIT 1)"
    )
    after = reports.caseload_report(demo_db, PERIODS[1], today)
    n = {(o.kind, o.name): o.n for o in before.outcomes}
    assert {(o.kind, o.name): o.n for o in after.outcomes}[("ucla3", "total")] == (
        n[("ucla3", "total")] - 1
    )


# --- periods and small helpers ----------------------------------------------------------


def test_a_period_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError, match="2026-10-01, after it ends on 2026-09-30"):
        Period(date(2026, 10, 1), date(2026, 9, 30))


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (
            date(2026, 11, 23),
            {
                "this_quarter": ("2026-10-01", "2026-11-30"),
                "last_month": ("2026-10-01", "2026-10-31"),
                "last_quarter": ("2026-07-01", "2026-09-30"),
                "financial_year": ("2026-04-01", "2026-11-30"),
                "last_12_months": ("2025-11-01", "2026-10-31"),
            },
        ),
        (
            date(2026, 1, 5),
            {
                "this_quarter": ("2026-01-01", "2026-01-31"),
                "last_month": ("2025-12-01", "2025-12-31"),
                "last_quarter": ("2025-10-01", "2025-12-31"),
                "financial_year": ("2025-04-01", "2026-01-31"),
                "last_12_months": ("2025-01-01", "2025-12-31"),
            },
        ),
    ],
)
def test_period_presets(today: date, expected: dict[str, tuple[str, str]]) -> None:
    presets = reports.period_presets(today)
    assert {k: (p.start.isoformat(), p.end.isoformat()) for k, _, p in presets} == expected
    assert all(p.is_whole_months and p.asked is None for _, _, p in presets)


def test_a_period_is_widened_to_whole_months_and_says_so() -> None:
    asked = Period(date(2026, 1, 3), date(2026, 2, 17))
    widened = asked.whole_months()
    assert (widened.start, widened.end) == (date(2026, 1, 1), date(2026, 2, 28))
    assert widened.asked == (date(2026, 1, 3), date(2026, 2, 17))
    assert widened.widened_words() == (
        "The period asked for, 3 Jan 2026 to 17 Feb 2026, was widened to whole calendar "
        "months (1 Jan 2026 to 28 Feb 2026) so that reports cannot be compared day by day."
    )
    whole = Period(date(2024, 2, 1), date(2024, 2, 29))  # a leap year's February
    assert whole.whole_months() is whole and whole.widened_words() is None
    assert widened == Period(date(2026, 1, 1), date(2026, 2, 28))  # what was asked aside


def test_every_report_covers_whole_months(demo_db: Database, today: date) -> None:
    report = reports.caseload_report(demo_db, Period(date(2026, 10, 2), date(2026, 10, 30)), today)
    assert (report.period.start, report.period.end) == (date(2026, 10, 1), date(2026, 10, 31))
    assert report.period.asked == (date(2026, 10, 2), date(2026, 10, 30))
    doc = caseload_document(report)
    assert doc.notices[0] == report.period.widened_words()


def test_median_of_histogram_matches_the_statistics_module() -> None:
    rng = random.Random(3)
    for _ in range(200):
        values = [rng.randrange(0, 15) for _ in range(rng.randrange(1, 30))]
        assert reports.median_of_histogram(dict(Counter(values))) == statistics.median(values)
    assert reports.median_of_histogram({}) is None


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (None, "not_known"),
        (17, "Under 18"),
        (18, "18-24"),
        (24, "18-24"),
        (25, "25-34"),
        (84, "75-84"),
        (85, "85 and over"),
        (104, "85 and over"),
    ],
)
def test_age_bands(age: int | None, band: str) -> None:
    assert reports.age_band(age) == band


# --- the disclosure rule ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "shown"),
    [(0, 0), (1, "<5"), (4, "<5"), (5, 5), (7, 5), (8, 10), (12, 10), (13, 15), (250, 250)],
)
def test_counts_are_suppressed_below_5_and_rounded_to_5(n: int, shown: int | str) -> None:
    assert Disclosure().count(n) == shown
    assert Disclosure(identifiable=True).count(n) == n


def test_shares_come_from_the_rounded_counts_and_hide_small_groups() -> None:
    d = Disclosure()
    assert d.share(0, 0) is None
    # 15 of 20 as shown, not the exact 62%: of the counts that round to 15 and 20, only
    # 13 of 21 gives 62%, so the exact share would give back both exact counts.
    assert d.share(13, 21) == 75
    exact = {(k, n) for k in range(13, 18) for n in range(18, 23) if round(100 * k / n) == 62}
    assert exact == {(13, 21)}
    assert d.share(3, 40) == reports.WITHHELD  # the part is small
    assert d.share(38, 40) == reports.WITHHELD  # the rest of the group is small
    assert d.share(0, 12) == 0 and d.share(12, 12) == 100
    assert d.share(0, 9) == reports.WITHHELD  # fewer than 10 behind it
    assert Disclosure(identifiable=True).share(13, 21) == 62


@pytest.mark.parametrize("statistic", ["mean", "median"])
def test_means_and_medians_describe_at_least_ten_and_are_to_one_decimal(statistic: str) -> None:
    shown = getattr(Disclosure(), statistic)
    assert shown(2.345, 9) == reports.WITHHELD
    assert shown(2.345, 10) == 2.3
    assert shown(2.25, 10) == 2.3  # halves go up, as a reader rounds (round() gives 2.2)
    assert shown(-0.25, 40) == -0.3
    assert shown(None, 9) is None and shown(1.0, 0) is None
    assert getattr(Disclosure(identifiable=True), statistic)(2.345, 1) == 2.35
