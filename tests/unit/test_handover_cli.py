"""`linkworker handover` and `linkworker handover receive` (issue 17 item 2): each refusal
(tampered, for someone else, already received, from an unknown key) is one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.factories import open_store

from linkworker.cli import main

import factories


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [*args, "--today", "2026-11-23"])
    return result.exit_code, result.stdout, result.stderr


def _key(db: str) -> str:
    code, out, _ = _run("identity", "--json", "--db", db)
    assert code == 0
    return str(json.loads(out)["public_key"])


@pytest.fixture
def team(tmp_path: Path) -> dict[str, str]:
    """Ann (with Joan Smith on her caseload), Bea and Cat, Ann and Bea knowing each other."""
    stores = {name: str(tmp_path / f"{name}.db") for name in ("ann", "bea", "cat")}
    for path in stores.values():
        open_store(Path(path)).close()
    with factories.store_at(Path(stores["ann"])) as db:
        factories.add_person_with_referral(db, nhs_number="9434765919")
    assert _run("contacts", "add", "Bea", _key(stores["bea"]), "--db", stores["ann"])[0] == 0
    assert _run("contacts", "add", "Cat", _key(stores["cat"]), "--db", stores["ann"])[0] == 0
    assert _run("contacts", "add", "Ann", _key(stores["ann"]), "--db", stores["bea"])[0] == 0
    return stores


def _one_line_refusal(args: list[str], words: str) -> None:
    code, out, err = _run(*args)
    assert code == 1 and out == "" and err.count("\n") == 1, err
    assert words in err, err


def test_a_case_handed_over_and_received_from_the_command_line(
    team: dict[str, str], tmp_path: Path
) -> None:
    case = str(tmp_path / "joan.sealed")
    code, out, _ = _run("handover", "1", "--to", "bea", "--output", case, "--db", team["ann"])
    assert code == 0, out
    assert out.startswith("handed Joan Smith's case over to Bea (fingerprint ")
    assert "read-only" in out
    code, out, _ = _run("people", "list", "--db", team["ann"])
    assert "handed over to Bea on 23 Nov 2026" in out
    code, out, _ = _run("people", "list", "--json", "--db", team["ann"])
    assert json.loads(out)[0]["handed_over"] == {"to": "Bea", "on": "2026-11-23"}
    _one_line_refusal(
        ["handover", "1", "--to", "Bea", "--output", str(tmp_path / "b"), "--db", team["ann"]],
        "this person's case was handed over to Bea on 23 Nov 2026",
    )
    code, out, err = _run("handover", "receive", case, "--db", team["bea"])
    assert code == 0, err
    assert out.startswith(
        "received Joan Smith's case from Ann (as person 1): people 1, referrals 1"
    )
    _one_line_refusal(
        ["handover", "receive", case, "--db", team["bea"]],
        "joan.sealed: this file was already received, on 2026-11-23; nothing was taken in",
    )


def test_tampered_misdirected_and_unknown_files_are_refused_in_one_line(
    team: dict[str, str], tmp_path: Path
) -> None:
    to_cat = str(tmp_path / "for-cat.sealed")
    assert _run("handover", "1", "--to", "Cat", "--output", to_cat, "--db", team["ann"])[0] == 0
    _one_line_refusal(["handover", "receive", to_cat, "--db", team["bea"]], "for someone else")
    _one_line_refusal(
        ["handover", "receive", to_cat, "--db", team["cat"]], "signed by a key you have not added"
    )
    blob = bytearray(Path(to_cat).read_bytes())
    blob[len(blob) // 2] ^= 0x01
    changed = tmp_path / "changed.sealed"
    changed.write_bytes(bytes(blob))
    assert _run("contacts", "add", "Ann", _key(team["ann"]), "--db", team["cat"])[0] == 0
    _one_line_refusal(
        ["handover", "receive", str(changed), "--db", team["cat"]],
        "this file was changed after it was written",
    )
    _one_line_refusal(
        ["handover", "receive", str(tmp_path / "nothing"), "--db", team["cat"]], "no such file"
    )


def test_a_person_already_on_record_needs_a_choice(team: dict[str, str], tmp_path: Path) -> None:
    with factories.store_at(Path(team["bea"])) as db:
        factories.add_person(db, nhs_number="9434765919", given_name="Jo")
    case = str(tmp_path / "joan.sealed")
    assert (
        _run("handover", "1", "--to", "Bea", "--output", case, "--erase", "--db", team["ann"])[0]
        == 0
    )
    assert "No one on record yet." in _run("people", "list", "--db", team["ann"])[1]
    _one_line_refusal(
        ["handover", "receive", case, "--db", team["bea"]],
        "Joan Smith may already be on record: Jo Smith (id 1, same NHS number); receive again "
        "with --merge-into PERSON_ID or --as-new",
    )
    _one_line_refusal(
        ["handover", "receive", case, "--as-new", "--db", team["bea"]],
        "an NHS number belongs to one person",
    )
    code, out, err = _run("handover", "receive", case, "--merge-into", "1", "--db", team["bea"])
    assert code == 0, err
    assert "(merged into person 1)" in out
