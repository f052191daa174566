"""`linkworker gaps add ...`: record an unmet need, and `linkworker population load ...`:
the practice population the "who is reached" report compares with."""

from __future__ import annotations

from pathlib import Path

import click

from linkworker.cli.base import Context, common_options, fail, opened_store, with_context
from linkworker.models import GapBarrier, NeedDomain


@click.group()
@common_options
def gaps() -> None:
    """Unmet needs: what no activity answered, or a barrier kept a person from."""


@gaps.command(name="add")
@click.argument("person_id", metavar="PERSON_ID")
@click.option(
    "--need",
    metavar="NEED",
    help=f"The need, as referrals name them: {', '.join(m.value for m in NeedDomain)}.",
)
@click.option(
    "--barrier",
    metavar="BARRIER",
    help=f"What stood in the way: {', '.join(m.value for m in GapBarrier)}.",
)
@click.option("--note", metavar="TEXT", help="What was looked for and why nothing fitted.")
@click.option("--on", "on", metavar="DATE", help="The day it was found (default today).")
@with_context
def add_gap(
    ctx: Context,
    person_id: str,
    need: str | None,
    barrier: str | None,
    note: str | None,
    on: str | None,
) -> None:
    """Record an unmet need for PERSON_ID (the id `linkworker people list` shows).

    The area counted in the gap report is the postcode district on their record.
    """
    from pydantic import ValidationError

    from linkworker import gaps as core
    from linkworker.models import GapDetails, field_errors

    if not person_id.strip().isdigit() or int(person_id) < 1:
        fail(f"PERSON_ID: '{person_id}' is not a person's id (a whole number)")
    for name, value in (("--need", need), ("--barrier", barrier)):
        if not value:
            fail(f"{name} is needed")
    today = ctx.clock.today()
    values = {"need": need, "barrier": barrier, "note": note, "recorded_on": on or today}
    try:
        details = GapDetails.model_validate(values, context={"today": today})
    except ValidationError as exc:
        options = {"recorded_on": "--on"}
        problems = field_errors(exc).items()
        fail("; ".join(f"{options.get(k, '--' + k)}: {why}" for k, why in problems))
        return
    with opened_store(ctx) as db:
        gap_id = core.record_gap(db, int(person_id), details, ctx.clock)
    click.echo(
        f"recorded unmet need {gap_id}: {details.need.label} ({details.barrier.label.lower()}) "
        f"for person {int(person_id)}"
    )


@click.group()
@common_options
def population() -> None:
    """The practice population (counts by group) the reach report compares with."""


@population.command(name="load")
@click.argument("file", type=click.Path(path_type=Path))
@with_context
def load_population(ctx: Context, file: Path) -> None:
    """Load the practice population from FILE.csv, replacing the one held.

    Columns: group,value,people. group is age_band, sex, ethnicity or postcode_district;
    value an age band (18-24 ... 85 and over), a sex, an ethnic group or a district (HV2);
    people a whole number. Counts only: no one's personal data.
    """
    from linkworker import population as core

    text = core.read_population_file(file)
    core.read_population(text)  # checked before the writer lock is taken
    with opened_store(ctx) as db:
        rows = core.load_population(db, text, file.name, ctx.clock)
    groups = "1 group" if rows == 1 else f"{rows} groups"
    click.echo(f"loaded the practice population: {groups} from {file}")
