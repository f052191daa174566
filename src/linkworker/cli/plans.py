"""`linkworker plan`, `linkworker outcomes` and `linkworker measure add`: a person's plan and
measures from a script.

``linkworker plan PERSON_ID`` prints the plan page (``plan show``); ``plan copy`` writes the
copy the person holds, in large print or easy read when their information needs say so.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from linkworker.cli.base import (
    RECORD_ID,
    Context,
    common_options,
    date_in_range,
    echo_json,
    file_options,
    json_option,
    opened_store,
    print_or_write,
    with_context,
)
from linkworker.display import literal

if TYPE_CHECKING:
    from linkworker.formats.handout import HandoutStyle


class _PlanGroup(click.Group):
    """`linkworker plan PERSON_ID ...` is `linkworker plan show PERSON_ID ...`, as it was
    before the plan had subcommands."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # A person's id is never a subcommand's name, so a line naming none is the page.
        named = any(a in self.commands for a in args)
        if args and not named and args[0] not in ("--help", "-h"):
            args = ["show", *args]
        return super().parse_args(ctx, args)


@click.group(cls=_PlanGroup)
@common_options
def plan() -> None:
    """A person's plan: the page they keep (`plan PERSON_ID`) and their own copy."""


@plan.command("show")
@click.argument("person_id", type=RECORD_ID)
@click.option("--markdown", is_flag=True, help="Markdown instead of plain text.")
@file_options("--out")
@with_context
def show(ctx: Context, person_id: int, markdown: bool, out: Path | None, replace: bool) -> None:
    """Print (or write) one person's plan as the one page they keep."""
    from linkworker import plans
    from linkworker.formats import writer

    if out is not None:
        writer.check_target(out, replace)
    today = ctx.clock.today()
    with opened_store(ctx, readonly=True) as db:
        render = plans.plan_markdown if markdown else plans.plan_text
        text = render(db, person_id, today)
    print_or_write(text, out, replace, "the plan")


#: The formats of the person's copy: the option's word -> the handout's style.
COPY_FORMATS: dict[str, HandoutStyle] = {"txt": "text", "md": "markdown", "html": "html"}


@plan.command("copy")
@click.argument("person_id", type=RECORD_ID)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(COPY_FORMATS)),
    default="txt",
    show_default=True,
    help="Plain text, Markdown or a printable HTML page.",
)
@file_options("--output")
@with_context
def copy(ctx: Context, person_id: int, fmt: str, out: Path | None, replace: bool) -> None:
    """The plan the person holds, in plain words: their goals, who does what, the review and
    how to reach you; in large print or easy read when their needs say so."""
    from linkworker import information_needs, plans
    from linkworker.formats import writer

    if out is not None:
        writer.check_target(out, replace)
    settings, _ = ctx.settings()
    today = ctx.clock.today()
    with opened_store(ctx, readonly=True) as db:
        reading = information_needs.recorded_needs(db, person_id).reading
        text = plans.person_copy(
            db, person_id, today, COPY_FORMATS[fmt], reading, settings.sign_off()
        )
    print_or_write(text, out, replace, f"the person's copy of the plan ({reading.words()})")


@click.command()
@click.argument("person_id", type=RECORD_ID)
@json_option("Every measure with its answers, stage, date and scores, as JSON.")
@with_context
def outcomes(ctx: Context, person_id: int, as_json: bool) -> None:
    """Print one person's outcome measures: baseline, latest, change and history."""
    from linkworker import outcomes as store

    with opened_store(ctx, readonly=True) as db:
        if as_json:
            if db.execute("SELECT 1 FROM people WHERE id = ?", [person_id]).fetchone() is None:
                raise LookupError(f"no person with id {person_id}")
            records = [
                {
                    "id": r.id,
                    "measure": r.kind.value,
                    "stage": r.stage.value,
                    "taken_on": r.taken_on.isoformat(),
                    "answers": r.answers,
                    "complete": r.complete,
                    "scores": r.score.model_dump(mode="json"),
                }
                for r in store.measure_history(db, person_id)
            ]
            echo_json(records)
            return
        click.echo(store.outcomes_text(db, person_id, ctx.clock.today()), nl=False)


@click.group()
@common_options
def measure() -> None:
    """Outcome measures and CollaboRATE, recorded from a script."""


@measure.command(name="add")
@click.argument("person_id", type=RECORD_ID)
@click.argument("kind", metavar="KIND")
@click.option(
    "--answers",
    required=True,
    help="The answers in the order the items are asked, separated by commas, e.g. 7,6,8,3 "
    "(leave one empty to skip it: an incomplete SWEMWBS, UCLA3 or CollaboRATE is kept "
    "but not scored).",
)
@click.option("--on", "taken_on", help="The day it was taken (default today).")
@click.option(
    "--stage",
    type=click.Choice(["baseline", "follow_up"]),
    help="Default: baseline if this measure was never taken with the person, else follow_up.",
)
@with_context
def measure_add(
    ctx: Context,
    person_id: int,
    kind: str,
    answers: str,
    taken_on: str | None,
    stage: str | None,
) -> None:
    """Record a measure: KIND is ons4, swemwbs, ucla3, ons_loneliness or collaborate.

    The answers are checked as the app checks them (outcomes.record_measure); nothing is
    saved unless every answer fits.
    """
    from linkworker import measures
    from linkworker import outcomes as store
    from linkworker.validation import ValidationError, parse_date

    try:
        given = measures.answers_in_order(kind, answers.split(","))
    except measures.MeasureError as exc:
        raise ValueError(str(exc)) from None
    day = ctx.clock.today()
    if taken_on is not None:
        try:
            day = date_in_range("--on", parse_date(taken_on))
        except ValidationError as exc:
            raise ValueError(f"--on: {exc}") from None
    with opened_store(ctx) as db:
        chosen = stage or store.suggested_stage(db, person_id, kind)
        try:
            measure_id = store.record_measure(db, person_id, kind, chosen, day, given, ctx.clock)
        except measures.MeasureError as exc:
            about = measures.item_of_error(kind, exc)
            if about is None:
                raise
            n, item, reason = about
            raise ValueError(
                f"answer {n} ({item.key}, {item.min_value}-{item.max_value}): {reason}"
            ) from None
        record = next(r for r in store.measure_history(db, person_id) if r.id == measure_id)
    click.echo(
        f"recorded {literal(record.score.summary)} ({record.stage_label}, "
        f"{record.taken_on.isoformat()}) as measure {measure_id}"
    )
    notice = measures.definition(kind).copyright
    if notice:
        click.echo(notice)
