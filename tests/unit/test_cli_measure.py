"""`linkworker measure add`: the app's validation (outcomes.record_measure), one-line errors."""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database
from tests.unit.test_cli_plans import run

from linkworker import outcomes
from linkworker.clock import Clock

import factories


def _ray(db: Database, clock: Clock) -> int:
    """Ray, with an open referral (received on factories.RECEIVED): a measure needs one."""
    pid, _ = factories.add_person_with_referral(db, clock, given_name="Ray")
    return pid


def _person(path: Path, clock: Clock) -> int:
    return factories.build_in(path, _ray, clock)


def _add(path: Path, *args: str) -> tuple[int, str, str]:
    return run("measure", "add", *args, "--db", str(path), "--today", "2026-11-23")


def test_collaborate_is_recorded_and_scored_with_its_attribution(
    store_path: Path, clock: Clock
) -> None:
    pid = _person(store_path, clock)
    code, out, err = _add(
        store_path, str(pid), "collaborate", "--answers", "9,9,9", "--on", "2026-11-20"
    )
    assert (code, err) == (0, "")
    assert "recorded CollaboRATE mean 9 of 9, top score (all three 9) (baseline, 2026-11-20)" in out
    assert "CollaboRATE: Elwyn G, Barr PJ et al. 2013; CC BY-NC-ND 3.0" in out
    code, out, _ = _add(store_path, str(pid), "collaborate", "--answers", "9, 7,8")
    assert code == 0 and "mean 8 of 9, not the top score (follow-up, 2026-11-23)" in out
    db = Database(store_path)
    history = outcomes.measure_history(db, pid, "collaborate")
    assert [r.answers for r in history] == [
        {"understand": 9, "listen": 9, "include": 9},
        {"understand": 9, "listen": 7, "include": 8},
    ]


def test_every_wrong_answer_is_named_in_one_line_and_nothing_is_saved(
    store_path: Path, clock: Clock
) -> None:
    pid = _person(store_path, clock)
    cases = [
        (["ons4", "--answers", "5,11,5,5"], "answer 2 (worthwhile, 0-10): 11 is out of range"),
        (["swemwbs", "--answers", "3,3,x,3,3,3,3"], "answer 3 (relaxed, 1-5): not a whole number"),
        (["ucla3", "--answers", "1,2"], "UCLA3 has 3 items and 2 answers were given"),
        (["collaborate", "--answers", "10,9,9"], "answer 1 (understand, 0-9): 10 is out of range"),
        (["wellbeing", "--answers", "1"], "unknown measure: 'wellbeing' (give one of ons4, "),
        (["ons4", "--answers", "5,5,5,5", "--on", "2026-12-01"], "is in the future"),
        (
            ["ons4", "--answers", "1,2,3,4", "--on", "0001-01-01", "--stage", "baseline"],
            "--on: 0001-01-01 is out of range (give a date between 1900 and 2199)",
        ),
        (["ons4", "--answers", "1,2,3,4", "--on", "someday"], "--on: 'someday' is not a date"),
        (["ons4", "--answers", "1,2,3,4", "--on", "2026-11-01"], "has no referral open on"),
        (["ons4", "--answers", ",,,"], "no answers given; nothing to save"),
        (
            ["ons4", "--answers", "1,２,3,4"],
            "answer 2 (worthwhile, 0-10): not a whole number ('２'): type it with the digits 0-9",
        ),
        (
            ["ucla3", "--answers", "1," + "9" * 5000 + ",3"],
            "answer 2 (left_out, 1-3): a number of more than 6 digits is not an answer (1-3)",
        ),
        (["ucla3", "--answers", "1,2,3", "--stage", "follow_up"], "no baseline UCLA3"),
    ]
    for args, expected in cases:
        code, out, err = _add(store_path, str(pid), *args)
        assert code == 1, args
        assert out == ""
        assert err.startswith("linkworker: ") and expected in err, (args, err)
        assert err.count("\n") == 1 and "Traceback" not in err
    code, _, err = _add(store_path, "99", "ons4", "--answers", "5,5,5,5")
    assert code == 1 and err.strip() == "linkworker: no person with id 99"
    assert Database(store_path)["measures"].count == 0


def test_a_skipped_answer_keeps_an_incomplete_measure_unscored(
    store_path: Path, clock: Clock
) -> None:
    pid = _person(store_path, clock)
    code, out, _ = _add(store_path, str(pid), "ucla3", "--answers", "1,,3")
    assert code == 0 and "UCLA3 incomplete: 1 of 3 items missing, not scored" in out
