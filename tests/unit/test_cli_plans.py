"""`linkworker plan` and `linkworker outcomes`."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from click.testing import CliRunner
from tests.factories import open_store

from linkworker import information_needs, measures, outcomes, people, plans
from linkworker.cli import main
from linkworker.clock import Clock
from linkworker.models import ConversationDetails, InformationNeeds, PersonDetails

import factories


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def _store(path: Path, clock: Clock) -> int:
    db = open_store(path)
    pid = people.add_person(db, PersonDetails(given_name="Ray", family_name="Penrose"), clock)
    factories.add_referral(db, pid, clock)  # received 2 Nov 2026: the measure's episode
    plans.record_conversation(
        db, pid, ConversationDetails(held_on=date(2026, 11, 2), what_matters="Fishing again"), clock
    )
    keys = measures.definition("swemwbs").item_keys
    outcomes.record_measure(
        db, pid, "swemwbs", "baseline", "2026-11-02", dict(zip(keys, [3] * 7, strict=True)), clock
    )
    db.close()
    return pid


def test_plan_prints_or_writes_and_never_replaces_silently(
    store_path: Path, clock: Clock, tmp_path: Path
) -> None:
    pid = _store(store_path, clock)
    code, out, _ = run("plan", str(pid), "--db", str(store_path), "--today", "2026-11-23")
    assert code == 0
    assert "Name: Ray Penrose\nDate: 23 Nov 2026" in out and "Fishing again" in out
    target = tmp_path / "plan.md"
    code, out, _ = run(
        "plan", str(pid), "--markdown", "--out", str(target), "--db", str(store_path)
    )
    assert code == 0 and f"wrote the plan to {target}" in out
    assert target.read_text().startswith("# My personalised care and support plan")
    code, _, err = run("plan", str(pid), "--out", str(target), "--db", str(store_path))
    assert code == 1 and "already exists; use --force to replace it" in err
    code, _, _ = run("plan", str(pid), "--out", str(target), "--force", "--db", str(store_path))
    assert code == 0 and target.read_text().startswith("My personalised care and support plan")
    code, _, err = run("plan", "99", "--db", str(store_path))
    assert code == 1 and err.strip() == "linkworker: no person with id 99"


def test_outcomes_text_and_json(store_path: Path, clock: Clock) -> None:
    pid = _store(store_path, clock)
    code, out, _ = run("outcomes", str(pid), "--db", str(store_path))
    assert code == 0
    assert "SWEMWBS metric score (higher is better)" in out
    assert measures.SWEMWBS_COPYRIGHT in out
    code, out, _ = run("outcomes", str(pid), "--json", "--db", str(store_path))
    assert code == 0
    [record] = json.loads(out)
    assert record["measure"] == "swemwbs" and record["stage"] == "baseline"
    assert record["taken_on"] == "2026-11-02" and record["complete"] is True
    assert record["answers"]["useful"] == 3
    assert record["scores"]["values"] == {"raw": 21.0, "metric": 19.25}
    code, _, err = run("outcomes", "99", "--json", "--db", str(store_path))
    assert code == 1 and "no person with id 99" in err


def test_plan_copy_obeys_the_persons_needs_in_every_format(
    store_path: Path, clock: Clock, tmp_path: Path
) -> None:
    pid = _store(store_path, clock)
    code, out, _ = run("plan", "copy", str(pid), "--db", str(store_path), "--today", "2026-11-23")
    assert code == 0 and out.startswith("RAY'S PLAN\n") and "Fishing again" in out
    db = open_store(store_path)
    needs = InformationNeeds(large_print=True, large_print_size=20)
    information_needs.save_needs(db, pid, needs, clock)
    db.close()
    target = tmp_path / "ray.html"
    args = ("--db", str(store_path), "--today", "2026-11-23")
    code, out, _ = run("plan", "copy", str(pid), "--format", "html", "--output", str(target), *args)
    assert code == 0 and "(large print (20 point))" in out
    assert "font-size: 20pt" in target.read_text()
    code, _, err = run("plan", "copy", str(pid), "--format", "html", "--output", str(target), *args)
    assert code == 1 and "already exists; use --force to replace it" in err
    code, out, _ = run("plan", "copy", str(pid), "--format", "txt", *args)
    assert max(len(line) for line in out.splitlines()) <= 40
    code, _, err = run("plan", "copy", "99", *args)
    assert code == 1 and err.strip() == "linkworker: no person with id 99"
    # `plan PERSON_ID` is still the plan page, as `plan show PERSON_ID` is.
    code, out, _ = run("plan", "show", str(pid), *args)
    assert code == 0 and "Name: Ray Penrose" in out


def test_the_referral_to_a_provider_carries_the_needs_to_meet(
    store_path: Path, clock: Clock, tmp_path: Path
) -> None:
    pid = _store(store_path, clock)
    db = open_store(store_path)
    walk = factories.add_walk(db, clock)
    needs = InformationNeeds(
        large_print=True, large_print_size=18, interpreter="bsl", contact_method="text"
    )
    information_needs.save_needs(db, pid, needs, clock)
    db.close()
    args = ("--db", str(store_path), "--today", "2026-11-23")
    code, out, _ = run("directory", "referral", str(pid), str(walk), *args)
    assert code == 0 and out.startswith("REFERRAL TO HEALTH WALKS\n")
    assert "Ray Penrose" in out and "- British Sign Language interpreter" in out
    assert "Please send anything written for them in large print (18 point)." in out
    assert "They prefer to be contacted by text." in out
    target = tmp_path / "referral.md"
    code, out, _ = run(
        "directory",
        "referral",
        str(pid),
        str(walk),
        "--format",
        "md",
        "--output",
        str(target),
        *args,
    )
    assert code == 0 and target.read_text().startswith("# Referral to Health Walks\n")
    code, _, err = run("directory", "referral", str(pid), "999", *args)
    assert code == 1 and err.startswith("linkworker: ")
