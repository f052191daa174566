"""Storing outcome measures and reading their change (linkworker.outcomes)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from linkworker import measures as m
from linkworker import outcomes
from linkworker.clock import Clock
from linkworker.store.db import Database
from linkworker.timeline import person_timeline

import factories

SWEMWBS_KEYS = m.definition("swemwbs").item_keys


RAY = {"given_name": "Ray", "family_name": "Penrose"}
#: When Ray's referral was received: every measure below is taken in that episode.
RAYS_REFERRAL = date(2026, 1, 5)


def _ray(db: Database, clock: Clock) -> int:
    """Ray, with an open referral received on RAYS_REFERRAL (a measure needs an episode)."""
    referral = {"received_on": RAYS_REFERRAL}
    pid, _ = factories.add_person_with_referral(db, clock, referral=referral, **RAY)
    return pid


def _swemwbs(*values: int | None) -> dict[str, int | None]:
    return dict(zip(SWEMWBS_KEYS, values, strict=True))


def _ons4(life: int, worth: int, happy: int, anxious: int) -> dict[str, int]:
    return {
        "life_satisfaction": life,
        "worthwhile": worth,
        "happiness": happy,
        "anxiety": anxious,
    }


def _counts(db: Database) -> tuple[int, int]:
    return db["measures"].count, db["audit"].count


def test_a_measure_keeps_answers_date_stage_and_scores(db: Database, clock: Clock) -> None:
    pid = _ray(db, clock)
    mid = outcomes.record_measure(
        db, pid, "swemwbs", "baseline", "02/11/2026", _swemwbs(3, 3, 3, 3, 3, 3, 4), clock
    )
    row = db["measures"].get(mid)
    assert (row["kind"], row["stage"], row["taken_on"], row["complete"]) == (
        "swemwbs",
        "baseline",
        "2026-11-02",
        1,
    )
    assert json.loads(row["answers"]) == _swemwbs(3, 3, 3, 3, 3, 3, 4)
    expected = m.score("swemwbs", _swemwbs(3, 3, 3, 3, 3, 3, 4)).model_dump(mode="json")
    assert json.loads(row["scores"]) == expected
    assert json.loads(row["scores"])["values"] == {"raw": 22.0, "metric": 19.98}
    audit_rows = list(db.query("SELECT * FROM audit WHERE table_name = 'measures'"))
    assert [(a["action"], a["record_id"], a["person_id"]) for a in audit_rows] == [
        ("insert", mid, pid)
    ]
    record = outcomes.measure_history(db, pid, "swemwbs")[0]
    assert record.answers == _swemwbs(3, 3, 3, 3, 3, 3, 4)
    assert record.score.values["metric"] == 19.98 and record.complete


def test_an_incomplete_swemwbs_is_stored_but_not_scored(db: Database, clock: Clock) -> None:
    pid = _ray(db, clock)
    mid = outcomes.record_measure(
        db, pid, "swemwbs", "baseline", date(2026, 11, 2), _swemwbs(3, 4, None, 3, 3, 3, 4), clock
    )
    row = db["measures"].get(mid)
    assert row["complete"] == 0
    assert json.loads(row["answers"])["relaxed"] is None
    scores = json.loads(row["scores"])
    assert scores["values"] == {} and scores["missing"] == ["relaxed"]
    assert "not scored" in scores["summary"]
    assert outcomes.score_series(db, pid, "swemwbs") == {"metric": []}


def test_out_of_range_answers_name_the_item_and_save_nothing(db: Database, clock: Clock) -> None:
    pid = _ray(db, clock)
    before = _counts(db)
    with pytest.raises(m.MeasureError, match=r"^anxiety: 11 is out of range \(0-10\)$") as caught:
        outcomes.record_measure(
            db, pid, "ons4", "baseline", "2026-11-02", _ons4(5, 5, 5, 11), clock
        )
    assert caught.value.item == "anxiety"
    with pytest.raises(m.MeasureError, match=r"^useful: 6 is out of range \(1-5\)$"):
        outcomes.record_measure(
            db, pid, "swemwbs", "baseline", "2026-11-02", _swemwbs(3, 6, 3, 3, 3, 3, 3), clock
        )
    with pytest.raises(m.MeasureError, match=r"^left_out: not a whole number \('two'\)$"):
        outcomes.record_measure(
            db, pid, "ucla3", "baseline", "2026-11-02", {"left_out": "two"}, clock
        )
    with pytest.raises(m.MeasureError, match=r"^lonely: 0 is out of range \(1-5\)$"):
        outcomes.record_measure(
            db, pid, "ons_loneliness", "baseline", "2026-11-02", {"lonely": 0}, clock
        )
    assert _counts(db) == before


def test_other_bad_requests_are_refused_with_a_reason(db: Database, clock: Clock) -> None:
    pid = _ray(db, clock)
    cases = [
        (("ons4", "baseline", "2026-11-02", {}), "ONS4: no answers given"),
        (("ons4", "baseline", "2026-11-24", _ons4(5, 5, 5, 5)), "taken on: 24 Nov 2026 is in"),
        (("ons4", "baseline", "31/02/2026", _ons4(5, 5, 5, 5)), "taken on: '31/02/2026' is not"),
        (("ons4", "later", "2026-11-02", _ons4(5, 5, 5, 5)), "stage: 'later' is not"),
        (("ons4", "follow_up", "2026-11-02", _ons4(5, 5, 5, 5)), "stage: there is no baseline"),
        (("ucla3", "baseline", "2026-11-02", {"lonely": 2}), "lonely: not an item of UCLA3"),
    ]
    for (kind, stage, day, answers), message in cases:
        with pytest.raises(m.MeasureError, match=message):
            outcomes.record_measure(db, pid, kind, stage, day, answers, clock)
    with pytest.raises(m.MeasureError, match="unknown measure"):
        outcomes.record_measure(db, pid, "pam", "baseline", "2026-11-02", {}, clock)
    with pytest.raises(LookupError):
        outcomes.record_measure(db, 999, "ons4", "baseline", "2026-11-02", _ons4(5, 5, 5, 5), clock)
    assert db["measures"].count == 0


def test_change_follows_the_direction_that_is_better(db: Database, clock: Clock) -> None:
    pid = _ray(db, clock)
    record = outcomes.record_measure
    record(db, pid, "ons4", "baseline", "2026-09-01", _ons4(4, 5, 5, 7), clock)
    record(db, pid, "ons4", "follow_up", "2026-10-01", _ons4(1, 1, 1, 10), clock)
    record(db, pid, "ons4", "follow_up", "2026-11-20", _ons4(7, 5, 3, 2), clock)
    change = outcomes.latest_change(db, pid, "ons4")
    assert change is not None
    assert change.baseline.taken_on == date(2026, 9, 1)
    assert change.latest.taken_on == date(2026, 11, 20)
    by_name = {c.name: (c.difference, c.direction, c.arrow) for c in change.changes}
    assert by_name == {
        "life_satisfaction": (3.0, "better", "▲ better"),
        "worthwhile": (0.0, "same", "= same"),
        "happiness": (-2.0, "worse", "▼ worse"),
        "anxiety": (-5.0, "better", "▲ better"),  # anxiety: lower is better
    }
    record(db, pid, "ucla3", "baseline", "2026-09-01", {k: 1 for k in ("companionship",
           "left_out", "isolated")}, clock)  # fmt: skip
    assert outcomes.latest_change(db, pid, "ucla3") is None  # no follow-up yet
    record(db, pid, "ucla3", "follow_up", "2026-11-01", {"companionship": 2, "left_out": 1,
           "isolated": 2}, clock)  # fmt: skip
    ucla = outcomes.latest_change(db, pid, "ucla3")
    assert ucla is not None
    assert [(c.name, c.difference, c.direction) for c in ucla.changes] == [("total", 2.0, "worse")]


def test_swemwbs_change_is_on_the_metric_score_and_skips_unscored(
    db: Database, clock: Clock
) -> None:
    pid = _ray(db, clock)
    record = outcomes.record_measure
    record(db, pid, "swemwbs", "baseline", "2026-09-01", _swemwbs(3, 3, 3, 3, 3, 3, 4), clock)
    record(db, pid, "swemwbs", "follow_up", "2026-10-01", _swemwbs(4, 4, 3, 4, 3, 4, 4), clock)
    change = outcomes.latest_change(db, pid, "swemwbs")
    assert change is not None
    assert [(c.name, c.baseline, c.latest, c.difference, c.arrow) for c in change.changes] == [
        ("metric", 19.98, 23.21, 3.23, "▲ better")
    ]
    record(db, pid, "swemwbs", "follow_up", "2026-11-01", _swemwbs(4, 4, 3, 4, 3, None, 4), clock)
    change = outcomes.latest_change(db, pid, "swemwbs")
    assert change is not None and not change.latest.complete and change.changes == []
    summary = next(s for s in outcomes.outcome_summary(db, pid) if s.kind is m.MeasureKind.SWEMWBS)
    assert "the follow-up on 1 Nov 2026 is incomplete and not scored" in summary.note
    series = outcomes.score_series(db, pid, "swemwbs")["metric"]
    assert [(p.taken_on, p.value) for p in series] == [
        (date(2026, 9, 1), 19.98),
        (date(2026, 10, 1), 23.21),
    ]


def test_a_new_baseline_starts_the_comparison_again(db: Database, clock: Clock) -> None:
    pid = _ray(db, clock)
    record = outcomes.record_measure
    record(db, pid, "ons_loneliness", "baseline", "2026-01-10", {"lonely": 5}, clock)
    record(db, pid, "ons_loneliness", "follow_up", "2026-03-10", {"lonely": 2}, clock)
    record(db, pid, "ons_loneliness", "baseline", "2026-10-01", {"lonely": 4}, clock)
    assert outcomes.latest_change(db, pid, "ons_loneliness") is None
    assert outcomes.suggested_stage(db, pid, "ons_loneliness") is m.Stage.FOLLOW_UP
    assert outcomes.suggested_stage(db, pid, "ucla3") is m.Stage.BASELINE
    record(db, pid, "ons_loneliness", "follow_up", "2026-11-10", {"lonely": 3}, clock)
    change = outcomes.latest_change(db, pid, "ons_loneliness")
    assert change is not None
    assert (change.changes[0].baseline, change.changes[0].latest) == (4.0, 3.0)
    assert change.changes[0].arrow == "▲ better"  # less lonely


def test_bars_show_where_a_value_sits_on_the_scale() -> None:
    assert outcomes.bar(0, 0, 10) == "░" * 10
    assert outcomes.bar(10, 0, 10) == "█" * 10
    assert outcomes.bar(7, 0, 10) == "███████░░░"
    assert outcomes.bar(21, 7, 35, width=4) == "██░░"
    assert outcomes.bar(19.98, 7, 35, width=10) == "████▋░░░░░"
    assert len(outcomes.bar(3.3, 0, 10, width=10)) == 10


def test_outcomes_text_shows_change_in_words_and_the_swemwbs_copyright(
    db: Database, clock: Clock, today: date
) -> None:
    pid = _ray(db, clock)
    record = outcomes.record_measure
    record(db, pid, "ons4", "baseline", "2026-09-01", _ons4(4, 5, 5, 7), clock)
    record(db, pid, "ons4", "follow_up", "2026-11-20", _ons4(7, 5, 3, 2), clock)
    text = outcomes.outcomes_text(db, pid, today)
    assert "Anxiety (lower is better)" in text
    assert "baseline 7 high  ·  latest 2 low  ·  change -5 ▲ better" in text
    assert "baseline 4 low  ·  latest 7 high  ·  change +3 ▲ better" in text
    assert m.SWEMWBS_COPYRIGHT not in text  # no SWEMWBS shown, no line
    record(db, pid, "swemwbs", "baseline", "2026-09-01", _swemwbs(3, 3, 3, 3, 3, 3, 4), clock)
    text = outcomes.outcomes_text(db, pid, today)
    assert m.SWEMWBS_COPYRIGHT in text
    assert "No follow-up yet" in text
    assert "1 Sep 26  baseline  █████████▎░░░░░░░░░░ 19.98" in text


def test_measures_are_on_the_timeline_with_their_stage(db: Database, clock: Clock) -> None:
    pid = _ray(db, clock)
    outcomes.record_measure(
        db, pid, "swemwbs", "baseline", "2026-11-02", _swemwbs(3, 4, None, 3, 3, 3, 4), clock
    )
    events = [e.summary for e in person_timeline(db, pid) if e.kind == "measure"]
    assert events == ["SWEMWBS incomplete: 1 of 7 items missing, not scored (baseline)"]


def test_a_measure_before_1900_or_before_the_person_was_born_is_refused(
    db: Database, clock: Clock
) -> None:
    pid = factories.add_person(db, clock, date_of_birth="1950-03-03", **RAY)
    factories.add_referral(db, pid, clock, received_on=date(1930, 1, 1))
    cases = {
        "0001-01-01": "taken on: 0001-01-01 is out of range (give a date between 1900 and 2199)",
        "1899-12-31": "taken on: 1899-12-31 is out of range (give a date between 1900 and 2199)",
        "1940-01-01": "taken on: 1 Jan 1940 is before their date of birth (3 Mar 1950)",
    }
    for day, message in cases.items():
        with pytest.raises(m.MeasureError) as caught:
            outcomes.record_measure(db, pid, "ons4", "baseline", day, _ons4(5, 5, 5, 5), clock)
        assert (str(caught.value), caught.value.item) == (message, "taken_on")
    assert db["measures"].count == 0


def test_a_measure_is_taken_in_one_of_the_persons_episodes(db: Database, clock: Clock) -> None:
    answers = {"companionship": 1, "left_out": 1, "isolated": 1}

    def refused(pid: int, day: date) -> str:
        with pytest.raises(m.MeasureError) as caught:
            outcomes.record_measure(db, pid, "ucla3", "baseline", day, answers, clock)
        assert caught.value.item == "taken_on"
        return str(caught.value)

    nobody = factories.add_person(db, clock, given_name="Nia")
    assert refused(nobody, factories.TODAY) == (
        f"taken on: person {nobody} has no referral: record their referral first"
    )
    closed_on = date(2026, 11, 20)
    for status in ("discharged", "declined", "not_reached"):
        pid, _ = factories.add_person_with_referral(
            db, clock, status=status, referral={"on": closed_on}, given_name=status
        )
        assert refused(pid, factories.TODAY) == (
            f"taken on: person {pid} has no referral open on 23 Nov 2026 (the last closed on "
            "20 Nov 2026): record a measure taken by then, or reopen the referral"
        ), status
        assert refused(pid, date(2026, 11, 1)) == (
            f"taken on: person {pid} has no referral open on 1 Nov 2026 (the first was "
            "received on 2 Nov 2026): record a measure taken since"
        ), status
    assert db["measures"].count == 0
    # The day of discharge is inside the episode (the CollaboRATE offered at discharge).
    pid, first = factories.add_person_with_referral(
        db, clock, status="discharged", referral={"on": closed_on}, given_name="Ola"
    )
    on_the_day = outcomes.record_measure(db, pid, "ucla3", "baseline", closed_on, answers, clock)
    assert db["measures"].get(on_the_day)["referral_id"] == first
    # A second episode: each measure is kept with the referral whose episode holds its day,
    # an open referral has no end, and a day between the two episodes is refused.
    second = factories.add_referral(db, pid, clock, received_on=date(2026, 11, 22))
    today = outcomes.record_measure(db, pid, "ucla3", "follow_up", factories.TODAY, answers, clock)
    assert db["measures"].get(today)["referral_id"] == second
    assert "the last closed on 20 Nov 2026" in refused(pid, date(2026, 11, 21))
    with pytest.raises(m.MeasureError, match=f"referral {first} of person {pid} was not open"):
        outcomes.record_measure(
            db, pid, "ucla3", "follow_up", factories.TODAY, answers, clock, referral_id=first
        )
