"""`linkworker visits`, `supervision` and `community` (issue 16 items 1, 2 and 5)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from tests.factories import TODAY, VISITED, add_episode, add_visit, store_at

from linkworker.cli import main


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


def _store(path: Path) -> tuple[int, int]:
    with store_at(path) as db:
        episode = add_episode(db, followups_due=(), **VISITED)
        return episode.person_id, add_visit(db, episode.person_id)


def test_visits_plan_list_check_in_and_out(store_path: Path, tmp_path: Path) -> None:
    _, visit = _store(store_path)
    db = ("--db", str(store_path), "--today", TODAY.isoformat())
    code, out, _ = run("visits", "plan", *db)
    assert code == 0 and "10:00-10:30 Home visit with J.S." in out
    code, out, _ = run("visits", "plan", "--names", "full", *db)
    assert "Home visit with Joan Smith" in out
    target = tmp_path / "plan.txt"
    code, out, _ = run("visits", "plan", "--output", str(target), *db)
    assert code == 0 and target.read_text().startswith("Lone working plan")
    code, _, err = run("visits", "plan", "--output", str(target), *db)
    assert code == 1 and "exists" in err  # never replaced unless --force
    code, out, _ = run("visits", "check-in", str(visit), *db)
    assert code == 0 and f"follow-up {visit}: checked in" in out
    code, out, _ = run("visits", "list", *db)
    assert "checked in" in out
    code, out, _ = run("visits", "check-out", str(visit), *db)
    assert code == 0 and "checked out" in out
    code, _, err = run("visits", "check-out", str(visit), *db)
    assert code == 1 and err.startswith("linkworker: this visit was already checked out")


def test_supervision_mark_pack_record_list_and_done(store_path: Path, tmp_path: Path) -> None:
    person_id, _ = _store(store_path)
    db = ("--db", str(store_path), "--today", TODAY.isoformat())
    code, out, _ = run("supervision", "mark", str(person_id), "--question", "Endings?", *db)
    assert code == 0 and "marked for supervision as case SV-" in out
    pack = tmp_path / "pack.html"
    code, out, _ = run("supervision", "pack", "--output", str(pack), "--format", "html", *db)
    assert code == 0 and "(1 case)" in out
    assert "Endings?" in pack.read_text() and "Joan" not in pack.read_text()
    code, _, err = run(
        "supervision", "pack", "--output", str(tmp_path / "p.md"), "--period", "x", *db
    )
    assert code == 2 and "--period: 'x' is not one of this_quarter" in err
    code, out, _ = run(
        "supervision", "record", "--kind", "clinical", "--with", "Dr A Lee",
        "--action", f"{person_id}:Phone her GP", "--task", "Read the policy", *db,
    )  # fmt: skip
    assert code == 0 and "(2 actions)" in out
    code, _, err = run("supervision", "record", "--kind", "clinical", "--with", "X",
                       "--action", "Phone", *db)  # fmt: skip
    assert code == 2 and "PERSON_ID:what was agreed" in err
    code, out, _ = run("supervision", "list", *db)
    assert out.startswith("Last supervision: 23 Nov 2026 (clinical, today)")
    assert "[2] Read the policy (task, due 24 Nov 2026, open)" in out
    assert "as SV-" in out
    code, out, _ = run("supervision", "done", "2", *db)
    assert code == 0 and "task 2 done" in out
    code, out, _ = run("supervision", "unmark", str(person_id), *db)
    assert code == 0 and "no longer for supervision" in out


def test_community_add_and_list(store_path: Path) -> None:
    _store(store_path)
    db = ("--db", str(store_path), "--today", TODAY.isoformat())
    code, out, _ = run(
        "community", "add", "--kind", "outreach", "--minutes", "90",
        "--organisation", "Hove Food Bank", *db,
    )  # fmt: skip
    assert code == 0 and "logged 90 minutes" in out
    code, _, err = run("community", "add", "--kind", "knitting", "--minutes", "9", *db)
    assert code == 1 and "kind: choose one of" in err
    code, out, _ = run("community", "list", *db)
    assert "Outreach" in out and "1 sessions, 1.5 hours" not in out
    assert "1 session, 1.5 hours from 25 Aug 2026 to 23 Nov 2026" in out


def test_bad_ids_days_and_periods_are_named_once(store_path: Path) -> None:
    _store(store_path)
    db = ("--db", str(store_path), "--today", TODAY.isoformat())
    code, _, err = run("visits", "check-in", "9" * 30, *db)
    assert code == 2 and "FOLLOWUP_ID" in err and "is not in the range" in err
    assert "date" not in err
    code, _, err = run("supervision", "done", "0", *db)
    assert code == 2 and "is not in the range" in err
    code, _, err = run(
        "community", "add", "--day", "1/1/1800", "--kind", "outreach", "--minutes", "30", *db
    )
    assert code == 2 and err.count("--day") == 1 and "out of range" in err
    code, _, err = run("community", "list", "--from", "2026-11-20", "--to", "2026-11-01", *db)
    assert code == 2 and "--from 2026-11-20 is after --to 2026-11-01" in err
