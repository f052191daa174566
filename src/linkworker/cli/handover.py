"""`linkworker handover PERSON_ID --to NAME --output FILE` and `linkworker handover receive
FILE`: a case moved to a colleague, sealed to their key (see linkworker.team.handover)."""

from __future__ import annotations

from pathlib import Path

import click

from linkworker.cli.base import (
    RECORD_ID,
    Context,
    common_options,
    opened_store,
    with_context,
)
from linkworker.cli.team import read_sealed, sealed_output, sealed_refusals
from linkworker.display import literal
from linkworker.team import handover as sending
from linkworker.team import receive as receiving


class _HandoverGroup(click.Group):
    """`handover PERSON_ID ...` sends; `handover receive FILE` receives."""

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        if args and args[0] not in self.commands:
            return "send", self.commands["send"], args
        return super().resolve_command(ctx, args)


@click.group(cls=_HandoverGroup)
@common_options
def handover() -> None:
    """Hand a case over to a colleague, or receive one a colleague handed to you.

    `linkworker handover PERSON_ID --to NAME --output FILE` seals the person's whole record
    to NAME's kept key (signed with yours); the record here becomes read-only, or is erased
    with --erase. `linkworker handover receive FILE` takes one in.
    """


@handover.command(name="send", hidden=True)
@click.argument("person_id", type=RECORD_ID)
@click.option(
    "--to",
    "to_name",
    required=True,
    metavar="NAME",
    help="The colleague, by the name their key is kept under (`contacts list`).",
)
@sealed_output
@click.option(
    "--erase",
    is_flag=True,
    help="Erase the record here once the file is written (the usual erasure).",
)
@with_context
def send(
    ctx: Context, person_id: int, to_name: str, output: Path, force: bool, erase: bool
) -> None:
    """Seal PERSON_ID's whole record for the colleague NAME."""
    with opened_store(ctx) as db:
        result = sending.hand_over(
            db,
            person_id,
            to_name,
            output.expanduser(),
            ctx.clock,
            force=force,
            erase=erase,
            key=ctx.key,
        )
    click.echo(literal(result.summary()))
    click.echo(f"wrote {result.path}: send it by a route your organisation approves")


@handover.command(name="receive")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--merge-into",
    type=int,
    metavar="PERSON_ID",
    help="They are already on record as PERSON_ID: add what the file holds to them.",
)
@click.option(
    "--as-new",
    is_flag=True,
    help="The person on record with the same name and birthday is someone else.",
)
@with_context
def receive(ctx: Context, file: Path, merge_into: int | None, as_new: bool) -> None:
    """Take in a case a colleague handed over to you (checked against their kept key)."""
    source, blob = read_sealed(file)
    with sealed_refusals(source, "nothing was taken in"), opened_store(ctx) as db:
        read = receiving.read_handover(db, blob, ctx.clock)
        result = receiving.receive_handover(
            db, read, ctx.clock, merge_into=merge_into, as_new=as_new
        )
    click.echo(literal(result.summary()))
