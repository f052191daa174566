"""This worker's key pair and the public keys of colleagues and hubs, kept by name.

The secret half of the worker's identity lives only in the store (which is encrypted), is
made on first use, and never leaves it. A colleague's key is added by name with its
fingerprint shown, to be read out and compared over the phone.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from linkworker.clock import Clock
from linkworker.formats.sealed import (
    Identity,
    KnownKeys,
    Opened,
    PublicKey,
    SealError,
    new_identity,
    parse_identity,
    parse_public_key,
    seal,
    unseal,
)


@dataclass(frozen=True)
class TeamKey:
    """A colleague's or hub's public key, kept under the name the worker gave it."""

    name: str
    key: PublicKey
    added_at: str

    @property
    def fingerprint(self) -> str:
        return self.key.fingerprint


def has_identity(db: Database) -> bool:
    """Whether this store has made its key pair yet."""
    return db.execute("SELECT 1 FROM team_identity").fetchone() is not None


def my_identity(db: Database, clock: Clock) -> Identity:
    """This worker's key pair, made (and kept in the store) on first use."""
    row = db.execute("SELECT secret FROM team_identity").fetchone()
    if row is not None:
        return parse_identity(str(row[0]))
    identity = new_identity()
    with db.atomic():
        db.execute(
            "INSERT INTO team_identity (id, secret, public_key, created_at) VALUES (1, ?, ?, ?)",
            [identity.secret_text, identity.public().text, clock.stamp()],
        )
    return identity


def team_keys(db: Database) -> list[TeamKey]:
    """Every kept key, by name."""
    rows = db.execute(
        "SELECT name, public_key, added_at FROM team_keys ORDER BY name COLLATE NOCASE"
    ).fetchall()
    return [TeamKey(str(n), parse_public_key(str(k)), str(a)) for n, k, a in rows]


def add_key(db: Database, name: str, key_text: str, clock: Clock) -> TeamKey:
    """Keep a colleague's (or hub's) public key under ``name``; refuses what would confuse."""
    name = " ".join(name.split())
    if not name:
        raise ValueError("give the colleague a name (as you will type it with --to)")
    key = parse_public_key(key_text)
    for kept in team_keys(db):
        if kept.name.casefold() == name.casefold():
            raise ValueError(
                f"you already have a key called {kept.name} (fingerprint {kept.fingerprint}); "
                "remove it first to replace it"
            )
        if kept.key.text == key.text:
            raise ValueError(f"that key is already kept, as {kept.name}")
    if has_identity(db) and my_identity(db, clock).public().text == key.text:
        raise ValueError("that is your own key: add your colleague's instead")
    kept_key = TeamKey(name, key, clock.stamp())
    with db.atomic():
        db.execute(
            "INSERT INTO team_keys (name, public_key, fingerprint, added_at) VALUES (?, ?, ?, ?)",
            [name, key.text, key.fingerprint, kept_key.added_at],
        )
    return kept_key


def remove_key(db: Database, name: str) -> None:
    """Forget the key kept under ``name``."""
    with db.atomic():
        removed = db.execute("DELETE FROM team_keys WHERE name = ?", [name.strip()]).rowcount
    if not removed:
        raise LookupError(_no_key(db, name))


def _no_key(db: Database, name: str) -> str:
    names = ", ".join(k.name for k in team_keys(db))
    known = f" (you have: {names})" if names else ""
    return f"no key called {name.strip()}{known}; add one with `linkworker contacts add NAME KEY`"


def key_of(db: Database, name: str) -> TeamKey:
    """The key kept under ``name`` (any case); LookupError names the ones there are."""
    for kept in team_keys(db):
        if kept.name.casefold() == " ".join(name.split()).casefold():
            return kept
    raise LookupError(_no_key(db, name))


def seal_for(
    db: Database, kind: str, payload: bytes, readers: list[str], clock: Clock
) -> tuple[bytes, list[TeamKey]]:
    """Seal ``payload`` for the named colleagues or hubs, signed with this worker's key."""
    keys = [key_of(db, name) for name in readers]
    sealed = seal(
        kind,
        payload,
        sender=my_identity(db, clock),
        recipients=[k.key for k in keys],
        now=clock.now(),
    )
    return sealed, keys


def open_sealed(db: Database, blob: bytes, kind: str, clock: Clock) -> Opened:
    """Open a sealed file for this worker from a kept key; refuses one already received.

    Nothing is recorded: call :func:`record_received` in the transaction that takes the
    file's contents in, so a failed import can be tried again.
    """
    known = {k.name: k.key for k in team_keys(db)}
    opened = unseal(blob, kind=kind, me=my_identity(db, clock), known=known)
    row = db.execute(
        "SELECT received_at FROM sealed_received WHERE sealed_id = ?", [opened.sealed_id]
    ).fetchone()
    if row is not None:
        raise SealError(f"this file was already received, on {str(row[0])[:10]}")
    return opened


def sealed_reader(db: Database) -> Callable[[bytes, str], Opened]:
    """Open sealed files for this worker from the kept keys, without taking them in.

    For files that are read again and again and never imported (a hub reports on the same
    bundles in several formats), so neither the once-only check nor a new key pair: a
    store that has none cannot have been written to (LookupError says what to do). The
    identity and keys are read once, for a reader that opens many files.
    """
    row = db.execute("SELECT secret FROM team_identity").fetchone()
    if row is None:
        raise LookupError(
            "this store has no key pair yet, so nothing can have been sealed for it: run "
            "`linkworker identity` and give that key to the people who will send you files"
        )
    me = parse_identity(str(row[0]))
    known = KnownKeys({k.name: k.key for k in team_keys(db)})

    def read(blob: bytes, kind: str) -> Opened:
        return unseal(blob, kind=kind, me=me, known=known)

    return read


def read_sealed(db: Database, blob: bytes, kind: str) -> Opened:
    """Open one sealed file without taking it in (see :func:`sealed_reader`)."""
    return sealed_reader(db)(blob, kind)


def record_received(db: Database, opened: Opened, clock: Clock) -> None:
    """Remember that ``opened`` was taken in (inside the caller's transaction)."""
    db.execute(
        "INSERT INTO sealed_received (sealed_id, kind, sender, created_at, received_at) "
        "VALUES (?, ?, ?, ?, ?)",
        [opened.sealed_id, opened.kind, opened.sender_name, opened.created_at, clock.stamp()],
    )


def opened_document(opened: Opened, fmt: str, version: int, what: str) -> dict[str, Any]:
    """The JSON document an opened file carries, of format ``fmt`` and ``version``; SealError
    (naming ``what`` the file should hold) when it is not that."""
    try:
        document = json.loads(opened.payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise SealError(f"the sealed file's contents cannot be read as {what}") from None
    if not isinstance(document, dict) or document.get("format") != fmt:
        raise SealError(f"the sealed file does not hold {what}")
    if document.get("version") != version:
        raise SealError(f"this file holds {what} of version {document.get('version')}: upgrade")
    return document
