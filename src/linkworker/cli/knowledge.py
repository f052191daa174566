"""`linkworker directory knowledge share` and `... merge`: what you know about activities
(notes, verified dates, what feeds lack), sealed to colleagues and merged from theirs."""

from __future__ import annotations

from pathlib import Path

import click

from linkworker.cli.base import (
    Context,
    common_options,
    opened_store,
    with_context,
)
from linkworker.cli.team import read_sealed, sealed_output, sealed_refusals
from linkworker.display import literal
from linkworker.formats import writer
from linkworker.team import shared_knowledge as shared
from linkworker.team.keys import has_identity


@click.group(name="knowledge")
@common_options
def knowledge_group() -> None:
    """Share what you know about activities with colleagues, or merge what they share."""


@knowledge_group.command(name="share")
@click.option(
    "--to",
    "to_names",
    required=True,
    metavar="NAME[,NAME...]",
    help="The colleagues, by the names their keys are kept under.",
)
@sealed_output
@with_context
def share_command(ctx: Context, to_names: str, output: Path, force: bool) -> None:
    """Seal your notes, verified dates and knowledge of activities for colleagues."""
    target = output.expanduser()
    writer.check_target(target, force)
    readers = [n.strip() for n in to_names.split(",") if n.strip()]
    with opened_store(ctx, readonly=True, writes_if=lambda db: not has_identity(db)) as db:
        sealed, keys, count = shared.share_knowledge(db, readers, ctx.clock)
    writer.write_file(target, sealed, force=force)
    names = ", ".join(literal(k.name) for k in keys)
    click.echo(f"sealed what you know of {count} activities for {names}")
    click.echo(writer.describe_written(target))


@knowledge_group.command(name="merge")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--yes", is_flag=True, help="Apply without asking.")
@with_context
def merge_command(ctx: Context, file: Path, yes: bool) -> None:
    """Merge a colleague's shared knowledge: the newer dated value wins, field by field."""
    source, blob = read_sealed(file)
    with sealed_refusals(source, "nothing was merged"), opened_store(ctx) as db:
        plan = shared.plan_merge(db, blob, ctx.clock)
        _show(plan)
        if not plan.winning:
            click.echo("nothing of theirs is newer than yours: nothing changed")
            return
        asked = f"Apply the {len(plan.winning)} changes where theirs is newer?"
        if not yes and not click.confirm(asked, default=False):
            click.echo("nothing changed")
            return
        applied = shared.apply_merge(db, plan, ctx.clock)
    click.echo(f"merged {applied} fields from {literal(plan.opened.sender_name)}")


def _show(plan: shared.MergePlan) -> None:
    click.echo(f"from {literal(plan.opened.sender_name)}, written {plan.opened.created_at[:10]}")
    if plan.changes:
        for line in shared.table_lines(shared.change_table(plan)):
            click.echo(literal(line))
    else:
        click.echo("what they know is what you know already")
    if plan.unknown:
        click.echo(
            f"{len(plan.unknown)} of their activities are not in your directory "
            "(import their feed first to merge those)"
        )
