"""Keys for working in a team: sealed files (age + ed25519), the worker's identity and the
colleagues' keys kept by name, `linkworker identity` and `linkworker contacts`."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database
from tests.factories import open_store

from linkworker.cli import main
from linkworker.clock import Clock
from linkworker.formats.sealed import (
    Identity,
    SealError,
    new_identity,
    parse_identity,
    parse_public_key,
    seal,
    unseal,
)
from linkworker.team import keys

NOW = datetime(2026, 12, 2, 10, 0)


def _sealed_from_ann(payload: bytes = b'{"case": 1}') -> tuple[bytes, Identity, Identity]:
    """A handover sealed by Ann for Bea: (the file, Ann, Bea)."""
    ann, bea = new_identity(), new_identity()
    blob = seal("handover", payload, sender=ann, recipients=[bea.public()], now=NOW)
    return blob, ann, bea


def test_a_sealed_file_opens_for_its_reader_and_names_its_sender() -> None:
    blob, ann, bea = _sealed_from_ann()
    opened = unseal(blob, kind="handover", me=bea, known={"Ann": ann.public()})
    assert (opened.sender_name, opened.kind, opened.payload) == ("Ann", "handover", b'{"case": 1}')
    assert opened.created_at == "2026-12-02T10:00:00" and len(opened.sealed_id) == 36
    assert b"case" not in blob  # the payload travels encrypted


def test_one_changed_byte_anywhere_is_refused_in_one_line() -> None:
    blob, ann, bea = _sealed_from_ann(b"x" * 200)
    start = blob.index(b"\n\n") + 2
    refused = set()
    for at in range(start, len(blob), max(1, (len(blob) - start) // 40)):
        changed = bytearray(blob)
        changed[at] ^= 0x01
        with pytest.raises(SealError) as caught:
            unseal(bytes(changed), kind="handover", me=bea, known={"Ann": ann.public()})
        assert "\n" not in str(caught.value)
        refused.add(str(caught.value))
    assert refused == {
        "this file was changed after it was written (it fails its integrity check): "
        "ask the sender for a new copy"
    }


def test_a_file_for_someone_else_an_unknown_sender_and_another_kind_are_refused() -> None:
    blob, ann, bea = _sealed_from_ann()
    cat = new_identity()
    with pytest.raises(SealError, match=r"^this file is for someone else \(for "):
        unseal(blob, kind="handover", me=cat, known={"Ann": ann.public()})
    with pytest.raises(SealError, match="signed by a key you have not added"):
        unseal(blob, kind="handover", me=bea, known={"Cat": cat.public()})
    with pytest.raises(SealError, match="this is a sealed handover file, not a bundle file"):
        unseal(blob, kind="bundle", me=bea, known={"Ann": ann.public()})
    # Claiming in the clear header that it is for Cat gains nothing: Cat still cannot open it.
    forged = blob.replace(bea.public().fingerprint.encode(), cat.public().fingerprint.encode())
    with pytest.raises(SealError, match="changed after it was written"):
        unseal(forged, kind="handover", me=cat, known={"Ann": ann.public()})
    with pytest.raises(SealError, match="not a linkworker sealed file"):
        unseal(b"age-encryption.org/v1\n", kind="handover", me=bea, known={})


def test_a_signature_by_another_key_is_refused() -> None:
    ann, bea, mallory = new_identity(), new_identity(), new_identity()
    # Mallory seals a file claiming to be Ann: the sender key inside is Mallory's, not Ann's.
    blob = seal("handover", b"{}", sender=mallory, recipients=[bea.public()], now=NOW)
    with pytest.raises(SealError, match=mallory.public().fingerprint):
        unseal(blob, kind="handover", me=bea, known={"Ann": ann.public()})


def test_public_keys_and_identities_read_back_and_bad_ones_are_named() -> None:
    me = new_identity()
    public = me.public()
    assert parse_public_key(f"  {public.text}\n") == public
    assert parse_identity(me.secret_text).public() == public
    assert len(public.fingerprint) == 19 and public.fingerprint.count("-") == 3
    for text, reason in [
        ("age1abc", "should start with lw1:"),
        ("lw1:age1abc", "lw1:<age key>:<signing key>"),
        ("lw1:age1abc:AAAA", "age part is not valid"),
        (f"lw1:{public.age}:AAAA", "signing part is not valid"),
    ]:
        with pytest.raises(SealError, match=reason):
            parse_public_key(text)


def test_the_identity_is_made_once_and_kept_inside_the_store(db: Database, clock: Clock) -> None:
    assert not keys.has_identity(db)
    first = keys.my_identity(db, clock)
    assert keys.my_identity(db, clock) == first and keys.has_identity(db)
    stored = db.execute("SELECT secret, public_key FROM team_identity").fetchone()
    assert stored == (first.secret_text, first.public().text)


def test_colleagues_keys_are_kept_by_name_and_confusions_refused(
    db: Database, clock: Clock
) -> None:
    bea = new_identity().public()
    kept = keys.add_key(db, "  Bea   Jones ", bea.text, clock)
    assert kept.name == "Bea Jones" and kept.fingerprint == bea.fingerprint
    assert keys.key_of(db, "bea jones").key == bea
    with pytest.raises(ValueError, match="already have a key called Bea Jones"):
        keys.add_key(db, "BEA JONES", new_identity().public().text, clock)
    with pytest.raises(ValueError, match="already kept, as Bea Jones"):
        keys.add_key(db, "Beatrice", bea.text, clock)
    own = keys.my_identity(db, clock).public().text
    with pytest.raises(ValueError, match="your own key"):
        keys.add_key(db, "Me", own, clock)
    with pytest.raises(ValueError, match="give the colleague a name"):
        keys.add_key(db, "  ", new_identity().public().text, clock)
    with pytest.raises(LookupError, match=r"no key called Cat \(you have: Bea Jones\)"):
        keys.key_of(db, "Cat")
    keys.remove_key(db, "Bea Jones")
    assert keys.team_keys(db) == []


def test_a_sealed_file_is_received_once(tmp_path: Path, clock: Clock) -> None:
    ann_db, bea_db = open_store(tmp_path / "ann.db"), open_store(tmp_path / "bea.db")
    keys.add_key(ann_db, "Bea", keys.my_identity(bea_db, clock).public().text, clock)
    keys.add_key(bea_db, "Ann", keys.my_identity(ann_db, clock).public().text, clock)
    blob, readers = keys.seal_for(ann_db, "handover", b"{}", ["bea"], clock)
    assert [r.name for r in readers] == ["Bea"]
    opened = keys.open_sealed(bea_db, blob, "handover", clock)
    assert opened.sender_name == "Ann"
    with bea_db.atomic():
        keys.record_received(bea_db, opened, clock)
    with pytest.raises(SealError, match=r"^this file was already received, on 2026-"):
        keys.open_sealed(bea_db, blob, "handover", clock)
    ann_db.close()
    bea_db.close()


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_identity_and_contacts_from_the_command_line(tmp_path: Path) -> None:
    ann, bea = str(tmp_path / "ann.db"), str(tmp_path / "bea.db")
    open_store(Path(ann)).close()
    open_store(Path(bea)).close()
    code, out, _ = _run("identity", "--json", "--db", bea)
    assert code == 0
    bea_key = json.loads(out)
    code, out, err = _run("identity", "--db", bea)
    assert out == (f"public key:  {bea_key['public_key']}\nfingerprint: {bea_key['fingerprint']}\n")
    assert "not encrypted" in err
    code, out, _ = _run("contacts", "add", "Bea", bea_key["public_key"], "--db", ann)
    assert code == 0 and out.startswith(f"added Bea: fingerprint {bea_key['fingerprint']}\n")
    code, out, _ = _run("contacts", "list", "--db", ann)
    assert out.startswith("Bea") and bea_key["fingerprint"] in out
    code, _, err = _run("contacts", "add", "Cat", "lw1:nonsense", "--db", ann)
    assert code == 1 and err.count("\n") == 1 and "lw1:<age key>:<signing key>" in err
    code, _, err = _run("contacts", "remove", "Cat", "--db", ann)
    assert code == 1 and "no key called Cat (you have: Bea)" in err
    code, out, _ = _run("contacts", "remove", "bea", "--db", ann)
    assert code == 0 and out == "removed bea\n"
    code, out, _ = _run("contacts", "list", "--db", ann)
    assert out.startswith("no keys kept yet")
