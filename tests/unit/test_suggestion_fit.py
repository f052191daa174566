"""Suggestions weigh what matters to the person, their language, cost when money is a
barrier and the season, say why in words, and let stale records sink (issue 15 item 7)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from linkworker import directory
from linkworker.directory import suggestion_fit
from linkworker.directory.quality import freshness_rank
from linkworker.store import audit
from linkworker.store.db import Database

from factories import CLOCK, TODAY, add_person


def _service(sid: str, name: str, **fields: Any) -> dict[str, Any]:
    svc: dict[str, Any] = {
        "id": sid,
        "name": name,
        "status": "active",
        "assured_date": TODAY.replace(month=TODAY.month - 1).isoformat(),
        "attributes": [{"taxonomy_term": {"code": "befriending", "name": "Befriending"}}],
    }
    svc.update(fields)
    return svc


def _weekly(**dates: str) -> list[dict[str, Any]]:
    return [{"freq": "WEEKLY", "byday": "TU", "opens_at": "10:00", **dates}]


def _load(db: Database, tmp_path: Path, services: list[dict[str, Any]]) -> None:
    path = tmp_path / "feed.json"
    path.write_text(json.dumps({"contents": services}), encoding="utf-8")
    report = directory.import_feed(db, path, CLOCK)
    assert report.skipped == 0, report.problems


def _talked(db: Database, person_id: int, **fields: Any) -> None:
    audit.insert(
        db,
        "conversations",
        {"person_id": person_id, "held_on": TODAY.isoformat(), "needs": {}, **fields},
        person_id=person_id,
        clock=CLOCK,
    )


def test_freshness_rank_is_stale_after_twelve_months_or_never() -> None:
    today = date(2026, 11, 23)
    assert freshness_rank(date(2026, 1, 5), today) == 0
    assert freshness_rank(date(2025, 11, 23), today) == 0
    assert freshness_rank(date(2025, 11, 22), today) == 1
    assert freshness_rank(None, today) == 1


def test_suggestions_say_why_in_words_language_cost_and_what_matters(
    db: Database, tmp_path: Path
) -> None:
    _load(
        db,
        tmp_path,
        [
            _service(
                "welsh",
                "Cerdded Cymraeg walking group",
                languages=[{"name": "Welsh"}, {"name": "English"}],
                cost_options=[{"amount": 0}],
            ),
            _service("paid", "Walking Football", cost_options=[{"amount": 5}]),
            _service("other", "Coffee Morning"),
        ],
    )
    pid = add_person(db, communication_needs="First language Welsh; an interpreter helps.")
    _talked(
        db,
        pid,
        what_matters="Getting out walking again, like she used to.",
        barriers=["cost"],
    )
    context = directory.person_context(db, pid, TODAY)
    assert context.languages == ["Welsh"]
    assert "walking" in context.what_matters and "again" not in context.what_matters
    found = directory.suggest_activities(db, pid, TODAY)
    why = {s.activity["name"]: s.why for s in found}
    assert why["Cerdded Cymraeg walking group"] == (
        "Welsh spoken; matches 'walking'; free (cost is a barrier)"
    )
    assert why["Walking Football"] == "matches 'walking'; costs £5 (cost is a barrier)"
    assert [s.activity["name"] for s in found] == [
        "Cerdded Cymraeg walking group",
        "Walking Football",
        "Coffee Morning",
    ]


def test_open_goals_wording_counts_as_what_matters(db: Database, tmp_path: Path) -> None:
    _load(db, tmp_path, [_service("garden", "Allotment gardeners"), _service("x", "Chess")])
    pid = add_person(db)
    audit.insert(
        db,
        "goals",
        {
            "person_id": pid,
            "description": "Do some gardening",
            "set_on": TODAY.isoformat(),
        },
        person_id=pid,
        clock=CLOCK,
    )
    [first, _] = directory.suggest_activities(db, pid, TODAY)
    assert first.activity["name"] == "Allotment gardeners"
    assert first.why == "matches 'gardening'"


def test_out_of_season_is_not_suggested_and_a_later_start_says_when(
    db: Database, tmp_path: Path
) -> None:
    _load(
        db,
        tmp_path,
        [
            _service("over", "Summer swimming", schedules=_weekly(valid_to="2026-09-30")),
            _service("later", "Spring bulbs club", schedules=_weekly(valid_from="2027-03-02")),
            _service("now", "Winter warmers", schedules=_weekly(valid_from="2026-11-01")),
        ],
    )
    pid = add_person(db)
    found = {s.activity["name"]: s for s in directory.suggest_activities(db, pid, TODAY)}
    assert set(found) == {"Spring bulbs club", "Winter warmers"}
    assert found["Spring bulbs club"].why == "starts on 2 March 2027"
    assert found["Winter warmers"].score > found["Spring bulbs club"].score
    assert suggestion_fit.season(found["Winter warmers"].activity, TODAY).over is False


def test_stale_records_sink_below_fresh_ones(db: Database, tmp_path: Path) -> None:
    _load(
        db,
        tmp_path,
        [
            # It matches what matters, but was last assured two years ago.
            _service("old", "Old walking club", assured_date="2024-11-01"),
            _service("fresh", "New coffee club"),
        ],
    )
    pid = add_person(db)
    _talked(db, pid, what_matters="walking")
    names = [s.activity["name"] for s in directory.suggest_activities(db, pid, TODAY)]
    assert names == ["New coffee club", "Old walking club"]
