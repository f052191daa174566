"""`linkworker identity` and `linkworker contacts ...`: the keys that let cases move between
colleagues, encrypted to the reader and signed by the sender (see linkworker.team)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from sqlite_utils import Database

from linkworker.cli.base import (
    Context,
    F,
    common_options,
    echo_json,
    fail,
    force_option,
    opened_store,
    with_context,
)
from linkworker.display import literal
from linkworker.formats.sealed import SealError
from linkworker.store.security import encryption_record
from linkworker.team import keys


def sealed_output(func: F) -> F:
    """``--output FILE`` (required) and ``--force``: where a sealed file is written, and
    whether an existing file there may be replaced."""
    func = force_option("Replace FILE if it already exists.")(func)
    return click.option(
        "--output",
        required=True,
        type=click.Path(path_type=Path),
        metavar="FILE",
        help="Where to write the sealed file.",
    )(func)


def read_sealed(path: Path) -> tuple[Path, bytes]:
    """The sealed file a colleague sent, read whole (a missing one refused in one line)."""
    source = path.expanduser()
    if not source.is_file():
        raise ValueError(f"{literal(source.name)}: no such file")
    return source, source.read_bytes()


@contextmanager
def sealed_refusals(source: Path, nothing: str) -> Iterator[None]:
    """A sealed file that cannot be used becomes one line naming it, and ``nothing`` done."""
    try:
        yield
    except SealError as exc:
        fail(f"{literal(source.name)}: {literal(str(exc))}; {nothing}")


def _needs_identity(db: Database) -> bool:
    return not keys.has_identity(db)


def _warn_if_in_the_clear(db: Database) -> None:
    if encryption_record(db) == "none":
        click.echo(
            "warning: this store is not encrypted, so your secret key is on disk in the clear "
            "(`linkworker encrypt` fixes that)",
            err=True,
        )


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object instead of text.")
@with_context
def identity(ctx: Context, as_json: bool) -> None:
    """Print your public key and its fingerprint (the key pair is made on first use).

    Send the key to colleagues and your hub; read the fingerprint out over the phone so they
    can check it matches what `contacts add` shows them.
    """
    with opened_store(ctx, readonly=True, writes_if=_needs_identity) as db:
        public = keys.my_identity(db, ctx.clock).public()
        _warn_if_in_the_clear(db)
    if as_json:
        echo_json({"public_key": public.text, "fingerprint": public.fingerprint})
        return
    click.echo(f"public key:  {public.text}")
    click.echo(f"fingerprint: {public.fingerprint}")


@click.group()
@common_options
def contacts() -> None:
    """Colleagues' and hubs' public keys, kept by name (for handovers and team reports)."""


@contacts.command(name="add")
@click.argument("name")
@click.argument("key")
@with_context
def add_contact(ctx: Context, name: str, key: str) -> None:
    """Keep NAME's public KEY (as `linkworker identity` printed it for them)."""
    with opened_store(ctx) as db:
        kept = keys.add_key(db, name, key, ctx.clock)
    click.echo(f"added {literal(kept.name)}: fingerprint {kept.fingerprint}")
    click.echo(
        "Check the fingerprint with them over the phone before you send them anything: "
        "theirs must read the same."
    )


@contacts.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of text.")
@with_context
def list_contacts(ctx: Context, as_json: bool) -> None:
    """List the kept keys: name, fingerprint and when each was added."""
    with opened_store(ctx, readonly=True) as db:
        kept = keys.team_keys(db)
    if as_json:
        echo_json(
            [
                {
                    "name": k.name,
                    "fingerprint": k.fingerprint,
                    "public_key": k.key.text,
                    "added_at": k.added_at,
                }
                for k in kept
            ]
        )
        return
    if not kept:
        click.echo("no keys kept yet: add one with `linkworker contacts add NAME KEY`")
    for k in kept:
        click.echo(f"{literal(k.name):<24} {k.fingerprint}  added {k.added_at[:10]}")


@contacts.command(name="remove")
@click.argument("name")
@with_context
def remove_contact(ctx: Context, name: str) -> None:
    """Forget the key kept as NAME."""
    with opened_store(ctx) as db:
        keys.remove_key(db, name)
    click.echo(f"removed {literal(name.strip())}")
