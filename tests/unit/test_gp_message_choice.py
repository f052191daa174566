"""The GP message the person may read: what goes by default, what the worker can leave out
or include, the codes-only version, the sender, and the same fields in text, Markdown and
JSON (and from the command line, with the same safe defaults)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from linkworker import people, reports
from linkworker.cli import main
from linkworker.clock import fixed
from linkworker.formats.gp_message import render_gp_message
from linkworker.models import FlagDetails
from linkworker.reports import gp_parts
from linkworker.reports.content import GPMessage
from linkworker.settings import Settings
from linkworker.store.db import Database, open_store

TODAY = date(2026, 11, 23)
SENDER = Settings(
    worker_name="Sam Okafor",
    worker_organisation="Riverside PCN",
    worker_phone="01632 960 123",
)
SAFEGUARDING_NOTE = "Partner controls the money; do not phone at home"
LONE_WORKING_NOTE = "Dog in the house; visit in pairs"
CONTACT_NOTE = "Spoke with her daughter Jane about Jane's drinking"
FORMATS = ("text", "md", "json")


def _shared_person(db: Database) -> int:
    return int(
        db.execute(
            "SELECT p.id FROM people p JOIN referrals r ON r.person_id = p.id "
            "WHERE r.status = 'discharged' AND p.consent_to_share_gp = 1 "
            "AND r.consent_to_share_gp IS NOT 0 ORDER BY p.id LIMIT 1"
        ).fetchone()[0]
    )


def _flag(db: Database, pid: int, kind: str, note: str) -> None:
    details = FlagDetails.model_validate({"kind": kind, "note": note}, context={"today": TODAY})
    people.add_flag(db, pid, details, fixed(TODAY))


@pytest.fixture
def flagged(demo_db: Database) -> tuple[Database, int]:
    """A person who consented, with a safeguarding flag, a lone-working flag and a note."""
    pid = _shared_person(demo_db)
    _flag(demo_db, pid, "safeguarding", SAFEGUARDING_NOTE)
    _flag(demo_db, pid, "lone_working", LONE_WORKING_NOTE)
    latest = reports.gp_message(demo_db, pid, TODAY)
    demo_db.execute(
        "UPDATE contacts SET note = ? WHERE id = (SELECT min(id) FROM contacts "
        "WHERE referral_id = ? AND attempt = 0)",
        [CONTACT_NOTE, latest.referral_id],
    )
    demo_db.conn.commit()
    return demo_db, pid


@pytest.fixture(params=FORMATS)
def fmt(request: pytest.FixtureRequest) -> str:
    """Each test of what goes runs on text, Markdown and JSON alike."""
    return str(request.param)


def _whole(flagged: tuple[Database, int]) -> GPMessage:
    db, pid = flagged
    return reports.gp_message(db, pid, TODAY, sender=SENDER.signature())


def test_the_whole_message_holds_the_flags_and_notes_to_choose_from(
    flagged: tuple[Database, int],
) -> None:
    whole = _whole(flagged)
    assert [f.kind for f in whole.flags] == ["safeguarding", "lone_working"]
    assert CONTACT_NOTE in [n.text for n in whole.notes]
    sections = {p.section for p in gp_parts.parts(whole) if not p.default}
    assert sections >= {"flags", "flag_notes", "notes"}


def test_a_default_message_has_no_safeguarding_note_no_flag_text_and_names_the_sender(
    flagged: tuple[Database, int], fmt: str
) -> None:
    rendered = render_gp_message(gp_parts.with_defaults(_whole(flagged)), fmt)
    for words in (SAFEGUARDING_NOTE, LONE_WORKING_NOTE, "Jane", "afeguarding", "Lone-working"):
        assert words not in rendered, words
    assert "Sam Okafor" in rendered
    assert "Social prescribing link worker, Riverside PCN" in rendered
    assert "01632 960 123" in rendered


def test_the_worker_can_include_a_flag_without_its_note(
    flagged: tuple[Database, int], fmt: str
) -> None:
    whole = _whole(flagged)
    leave_out = gp_parts.default_leave_out(whole) - {"flags:1"}
    rendered = render_gp_message(gp_parts.choose(whole, leave_out), fmt)
    assert "Lone-working" in rendered or "lone_working" in rendered
    assert LONE_WORKING_NOTE not in rendered and "afeguarding" not in rendered
    with_note = render_gp_message(gp_parts.choose(whole, leave_out - {"flag_notes:1"}), fmt)
    assert LONE_WORKING_NOTE in with_note


def test_any_line_or_section_can_be_left_out(flagged: tuple[Database, int], fmt: str) -> None:
    whole = _whole(flagged)
    assert whole.what_matters and whole.goals
    first_words = whole.what_matters[0]
    goal = whole.goals[0].description
    defaults = gp_parts.default_leave_out(whole)
    kept = render_gp_message(gp_parts.choose(whole, defaults), fmt)
    assert first_words in kept.replace("\\", "") and goal in kept.replace("\\", "")
    fewer = render_gp_message(gp_parts.choose(whole, defaults | {"what_matters:0", "goals"}), fmt)
    assert first_words not in fewer.replace("\\", "") and goal not in fewer.replace("\\", "")
    assert "Sam Okafor" in fewer


def test_codes_only_keeps_who_the_codes_and_the_sender(
    flagged: tuple[Database, int], fmt: str
) -> None:
    whole = _whole(flagged)
    rendered = render_gp_message(gp_parts.choose(whole, (), codes_only=True), fmt)
    assert "871731000000106" in rendered and "Sam Okafor" in rendered
    assert "chosen to send the codes only" in rendered
    for words in (*whole.what_matters, SAFEGUARDING_NOTE, CONTACT_NOTE):
        assert words not in rendered


def test_the_three_shapes_carry_the_same_fields(flagged: tuple[Database, int]) -> None:
    whole = _whole(flagged)
    chosen = gp_parts.choose(whole, gp_parts.default_leave_out(whole) - {"flags:0", "notes"})
    data = json.loads(render_gp_message(chosen, "json"))
    text = render_gp_message(chosen, "text")
    markdown = render_gp_message(chosen, "md").replace("\\", "")
    assert data["sender"]["lines"] == SENDER.signature()
    assert [f["kind"] for f in data["flags"]] == ["safeguarding"]
    assert data["flags"][0]["note"] is None
    for shape in (text, markdown):
        assert "Safeguarding, raised" in shape
        assert all(line in shape for line in SENDER.signature())
        assert all(n["text"] in shape for n in data["notes"])
        assert all(w in shape for w in data["what_matters"])


def test_an_unknown_part_is_named(flagged: tuple[Database, int]) -> None:
    with pytest.raises(ValueError, match="wishes is not a part of the message"):
        gp_parts.choose(_whole(flagged), ["wishes"])


# --- from the command line ----------------------------------------------------------------


def _export(store: Path, home: Path, *args: str) -> tuple[int, str, str]:
    home.mkdir(exist_ok=True)
    (home / "settings.toml").write_text('worker_name = "Sam Okafor"\n', encoding="utf-8")
    result = CliRunner(env={"LINKWORKER_HOME": str(home)}).invoke(
        main, ["export", "person", *args, "--db", str(store), "--today", TODAY.isoformat()]
    )
    return result.exit_code, result.stdout, result.stderr


def test_the_command_has_the_same_safe_defaults_and_says_who_can_read_it(
    demo_path: Path, tmp_path: Path
) -> None:
    db = open_store(demo_path)
    pid = _shared_person(db)
    _flag(db, pid, "safeguarding", SAFEGUARDING_NOTE)
    db.close()
    home = tmp_path / "home"
    code, out, err = _export(demo_path, home, str(pid))
    assert code == 0, err
    assert "NHS App" in err
    assert "afeguarding" not in out and SAFEGUARDING_NOTE not in out
    assert "FROM\nSam Okafor\n" in out
    code, out, _ = _export(demo_path, home, str(pid), "--include", "flags")
    assert code == 0 and "Safeguarding, raised" in out and SAFEGUARDING_NOTE not in out
    code, out, _ = _export(
        demo_path, home, str(pid), "--include", "flags", "--include", "flag_notes"
    )
    assert code == 0 and SAFEGUARDING_NOTE in out
    code, out, _ = _export(demo_path, home, str(pid), "--codes-only", "--format", "json")
    assert code == 0 and json.loads(out)["codes_only"] is True
    both = ("--leave-out", "what_matters", "--leave-out", "strengths")
    code, out, _ = _export(demo_path, home, str(pid), *both)
    assert code == 0 and "WHAT MATTERED" not in out and "Strengths" not in out
    code, _, err = _export(demo_path, home, str(pid), "--leave-out", "wishes")
    assert code == 2 and "wishes is not a part of the message" in err and "Traceback" not in err
