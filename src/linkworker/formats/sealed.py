"""Sealed files: what travels between link workers, encrypted to its readers and signed.

A sealed file is the ``age`` format (through pyrage) behind a short clear header, and inside
it a signed body: who sent it, for whom, what kind of file it is, and the payload (plain
JSON bytes, as the caller made them). Nothing here knows about stores; `linkworker.team`
keeps the keys.

The layout, so that a reader can tell at once what went wrong::

    linkworker sealed file v1
    kind: handover
    for: 7F3A-92C1-QQ4D-M2ZA, ...
    <blank line>
    <age file>: ed25519 signature (64 bytes) + header JSON + "\\n" + payload

The clear ``for:`` line names the readers' fingerprints, so a file meant for someone else is
refused as that rather than as damage; the signed header repeats the readers' keys and the
kind, so changing the clear lines gains nothing. A worker's public key is
``lw1:<age recipient>:<ed25519 key, base64url>``: age encrypts, ed25519 signs (age itself
does not sign, and the receiver must know who sent a case).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import pyrage
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)
from pyrage import x25519

MAGIC = b"linkworker sealed file v1\n"
KEY_PREFIX = "lw1:"
SECRET_PREFIX = "LWSECRET1:"
# Signed with this in front, so a signature over a sealed body means nothing anywhere else.
_DOMAIN = b"linkworker-sealed-v1\x00"
_SIGNATURE_BYTES = 64


class SealError(ValueError):
    """A sealed file or key that cannot be used, with the one-line reason."""


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class PublicKey:
    """A worker's (or a hub's) public key: what a colleague adds to their contacts."""

    age: str  # "age1..."
    signing: bytes  # the raw 32-byte ed25519 public key

    # Cached (the dataclass is frozen, so they never change): a hub compares its own key
    # and each sender's with every bundle it opens.
    @functools.cached_property
    def text(self) -> str:
        return f"{KEY_PREFIX}{self.age}:{_b64(self.signing)}"

    @functools.cached_property
    def verifier(self) -> Ed25519PublicKey:
        """The signing half, ready to check signatures with (read once)."""
        return Ed25519PublicKey.from_public_bytes(self.signing)

    @functools.cached_property
    def fingerprint(self) -> str:
        """Sixteen letters and digits in fours, short enough to read out over the phone."""
        digest = hashlib.sha256(self.text.encode("ascii")).digest()
        letters = base64.b32encode(digest).decode("ascii")[:16]
        return "-".join(letters[i : i + 4] for i in range(0, 16, 4))


def parse_public_key(text: str) -> PublicKey:
    """Read a public key as ``linkworker identity`` prints it; SealError says what is wrong."""
    text = text.strip()
    if not text.startswith(KEY_PREFIX):
        raise SealError(
            f"not a linkworker public key: it should start with {KEY_PREFIX} "
            "(as `linkworker identity` prints it)"
        )
    parts = text[len(KEY_PREFIX) :].split(":")
    if len(parts) != 2:
        raise SealError("not a linkworker public key: it should be lw1:<age key>:<signing key>")
    age_text, signing_text = parts
    try:
        x25519.Recipient.from_str(age_text)
    except pyrage.RecipientError as exc:
        raise SealError(f"the key's age part is not valid ({exc})") from None
    try:
        signing = _unb64(signing_text)
    except ValueError:
        signing = b""
    if len(signing) != 32:
        raise SealError("the key's signing part is not valid (it should be 43 letters)")
    return PublicKey(age=age_text, signing=signing)


@dataclass(frozen=True)
class Identity:
    """A worker's own key pair; its text form is kept only inside the encrypted store."""

    age_secret: str  # "AGE-SECRET-KEY-1..."
    signing_seed: bytes  # the raw 32-byte ed25519 private key

    def public(self) -> PublicKey:
        return self._public

    @functools.cached_property
    def _public(self) -> PublicKey:
        # Worked out once: a hub opening hundreds of bundles asks for it several times each.
        age = str(x25519.Identity.from_str(self.age_secret).to_public())
        signing = self._signer().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return PublicKey(age=age, signing=signing)

    @property
    def secret_text(self) -> str:
        return f"{SECRET_PREFIX}{self.age_secret}:{_b64(self.signing_seed)}"

    @functools.cached_property
    def age_identity(self) -> x25519.Identity:
        """The age half, ready to decrypt with (read once)."""
        return x25519.Identity.from_str(self.age_secret)

    def _signer(self) -> Ed25519PrivateKey:
        return Ed25519PrivateKey.from_private_bytes(self.signing_seed)

    def sign(self, message: bytes) -> bytes:
        return self._signer().sign(_DOMAIN + message)


def new_identity() -> Identity:
    """A fresh key pair (age X25519 to encrypt, ed25519 to sign)."""
    signing = Ed25519PrivateKey.generate()
    seed = signing.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return Identity(age_secret=str(x25519.Identity.generate()), signing_seed=seed)


def parse_identity(text: str) -> Identity:
    """Read back :attr:`Identity.secret_text`."""
    if not text.startswith(SECRET_PREFIX):
        raise SealError("the stored identity is not in the expected form")
    age_secret, _, seed_text = text[len(SECRET_PREFIX) :].partition(":")
    try:
        x25519.Identity.from_str(age_secret)
        seed = _unb64(seed_text)
    except (pyrage.IdentityError, ValueError):
        raise SealError("the stored identity is damaged") from None
    if len(seed) != 32:
        raise SealError("the stored identity is damaged")
    return Identity(age_secret=age_secret, signing_seed=seed)


@dataclass(frozen=True)
class Opened:
    """A sealed file opened and checked: who sent it, what it is, and its payload."""

    sealed_id: str
    kind: str
    sender_name: str
    sender: PublicKey
    created_at: str
    recipients: tuple[str, ...]  # the readers' key texts, as signed
    payload: bytes


def seal(
    kind: str,
    payload: bytes,
    *,
    sender: Identity,
    recipients: Sequence[PublicKey],
    now: datetime,
) -> bytes:
    """Encrypt ``payload`` to every recipient and sign it as ``sender``."""
    if not recipients:
        raise SealError("a sealed file needs at least one reader")
    header = {
        "format": "linkworker-sealed",
        "version": 1,
        "id": str(uuid.uuid4()),
        "kind": kind,
        "sender": sender.public().text,
        "recipients": [r.text for r in recipients],
        "created_at": now.isoformat(timespec="seconds"),
    }
    body = json.dumps(header, sort_keys=True).encode("utf-8") + b"\n" + payload
    signed = sender.sign(body) + body
    encrypted: bytes = pyrage.encrypt(
        signed, [x25519.Recipient.from_str(r.age) for r in recipients]
    )
    clear = f"kind: {kind}\nfor: {', '.join(r.fingerprint for r in recipients)}\n\n"
    return MAGIC + clear.encode("ascii") + encrypted


def _clear_header(blob: bytes) -> tuple[str, list[str], bytes]:
    if not blob.startswith(MAGIC):
        raise SealError("not a linkworker sealed file (its first line is not ours)")
    head, sep, encrypted = blob[len(MAGIC) :].partition(b"\n\n")
    if not sep:
        raise SealError("the sealed file is damaged: its header does not end")
    fields: dict[str, str] = {}
    for line in head.decode("ascii", "replace").splitlines():
        name, _, value = line.partition(": ")
        fields[name] = value
    readers = [f.strip() for f in fields.get("for", "").split(",") if f.strip()]
    return fields.get("kind", ""), readers, encrypted


def _decrypt(encrypted: bytes, me: Identity, readers: list[str]) -> bytes:
    mine = me.public().fingerprint
    if mine not in readers:
        shown = ", ".join(readers) or "nobody"
        raise SealError(f"this file is for someone else (for {shown}; your key is {mine})")
    try:
        opened: bytes = pyrage.decrypt(encrypted, [me.age_identity])
        return opened
    except pyrage.DecryptError:
        raise SealError(
            "this file was changed after it was written (it fails its integrity check): "
            "ask the sender for a new copy"
        ) from None


def _signed_parts(signed: bytes) -> tuple[bytes, dict[str, object], bytes, bytes]:
    signature, body = signed[:_SIGNATURE_BYTES], signed[_SIGNATURE_BYTES:]
    line, sep, payload = body.partition(b"\n")
    try:
        header = json.loads(line) if sep else None
    except ValueError:
        header = None
    if not isinstance(header, dict) or header.get("format") != "linkworker-sealed":
        raise SealError("the sealed file is damaged: its signed header cannot be read")
    return signature, header, body, payload


def _named_sender(sender: PublicKey, known: Mapping[str, PublicKey]) -> str:
    names = known if isinstance(known, KnownKeys) else KnownKeys(known)
    name = names.name_of(sender)
    if name is None:
        raise SealError(
            f"signed by a key you have not added (fingerprint {sender.fingerprint}): "
            "check it with the sender and add it with `linkworker contacts add NAME KEY`"
        )
    return name


class KnownKeys(Mapping[str, PublicKey]):
    """Kept keys by name that also find a key's name at once: a hub opening hundreds of
    bundles looks each sender up among hundreds of kept keys."""

    def __init__(self, keys: Mapping[str, PublicKey]) -> None:
        self._keys = dict(keys)
        # The first name wins when one key is kept under two, as a scan in order would.
        self._names = {key: name for name, key in reversed(self._keys.items())}
        self._texts = {key.text: key for key in self._names}

    def __getitem__(self, name: str) -> PublicKey:
        return self._keys[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def name_of(self, key: PublicKey) -> str | None:
        """The name ``key`` is kept under, or None."""
        return self._names.get(key)

    def key_of_text(self, text: str) -> PublicKey | None:
        """The kept key whose text is ``text`` exactly (already read), or None."""
        return self._texts.get(text)


def _sender_key(text: str, known: Mapping[str, PublicKey]) -> PublicKey:
    """The signed sender's key: a kept one as it was read when kept, else read now."""
    kept = known.key_of_text(text) if isinstance(known, KnownKeys) else None
    if kept is not None:
        return kept
    try:
        return parse_public_key(text)
    except SealError:
        raise SealError("the sealed file is damaged: its sender's key cannot be read") from None


def unseal(blob: bytes, *, kind: str, me: Identity, known: Mapping[str, PublicKey]) -> Opened:
    """Open a sealed file meant for ``me``, of ``kind``, signed by one of the ``known`` keys.

    Refuses, in one line each: a file that is not ours, for someone else, changed after it
    was written, of another kind, or signed by a key that is not among ``known``.
    """
    clear_kind, readers, encrypted = _clear_header(blob)
    if clear_kind and clear_kind != kind:
        raise SealError(f"this is a sealed {clear_kind} file, not a {kind} file")
    signature, header, body, payload = _signed_parts(_decrypt(encrypted, me, readers))
    sender = _sender_key(str(header.get("sender", "")), known)
    try:
        sender.verifier.verify(signature, _DOMAIN + body)
    except InvalidSignature:
        raise SealError(
            "the file's signature does not match its contents: do not trust it"
        ) from None
    recipients = header.get("recipients")
    if not isinstance(recipients, list) or me.public().text not in recipients:
        raise SealError("this file was signed for other readers, not you: do not trust it")
    if header.get("kind") != kind:
        raise SealError(f"this is a sealed {header.get('kind')} file, not a {kind} file")
    return Opened(
        sealed_id=str(header.get("id", "")),
        kind=kind,
        sender_name=_named_sender(sender, known),
        sender=sender,
        created_at=str(header.get("created_at", "")),
        recipients=tuple(str(r) for r in recipients),
        payload=payload,
    )
