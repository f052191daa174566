"""`linkworker visits`, `supervision` and `community`: the worker's own safety and support.

Lone visits (the day's plan for a buddy, checking in and out), supervision (marking a
person with a question, the pack, recording sessions) and community development time.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from linkworker.cli.base import (
    RECORD_ID,
    Context,
    common_options,
    date_in_range,
    fail,
    opened_store,
    with_context,
)
from linkworker.display import literal
from linkworker.formats import writer
from linkworker.validation import ValidationError, format_date, parse_date

if TYPE_CHECKING:
    from linkworker.supervision import AgreedAction


def _day(value: str | None, name: str, ctx: Context) -> date:
    if value is None:
        return ctx.clock.today()
    try:
        parsed = parse_date(value)
    except (ValidationError, ValueError) as exc:
        fail(f"{name}: {exc}", 2)
        raise  # unreachable: fail() exits
    try:
        return date_in_range(name, parsed)
    except ValueError as exc:  # its message names the option already
        fail(str(exc), 2)
        raise


def _write_or_echo(text: str, output: Path | None, force: bool, what: str) -> None:
    if output is None:
        click.echo(literal(text, single_line=False), nl=False)
        return
    written = writer.write_text(output, text, force=force)
    click.echo(f"wrote {what} to {written}")


# --- visits ---------------------------------------------------------------------------


def _group(name: str, about: str) -> click.Group:
    """A command group taking --db and --today, as every command does."""
    return common_options(click.Group(name=name, help=about))


visits_group = _group("visits", "The day's lone visits: your buddy's plan, checking in and out.")


@visits_group.command(name="plan")
@click.option("--day", "day", metavar="DATE", help="The day (default today).")
@click.option(
    "--names",
    type=click.Choice(["initials", "full"]),
    default="initials",
    show_default=True,
    help="Name the people you visit by initials or in full.",
)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Write a file.")
@click.option("--force", is_flag=True, help="With --output: replace the file if it exists.")
@with_context
def visits_plan(
    ctx: Context, day: str | None, names: str, output: Path | None, force: bool
) -> None:
    """Print (or write) the day's visit plan, to send to your buddy from your phone."""
    from linkworker import lone_working

    if output is not None:
        writer.check_target(output, force)
    settings, _ = ctx.settings()
    when = _day(day, "--day", ctx)
    with opened_store(ctx, readonly=True) as db:
        text = lone_working.plan_text(
            lone_working.visits_on(db, when),
            when,
            settings,
            "full" if names == "full" else "initials",
        )
    _write_or_echo(text, output, force, "the visit plan")


@visits_group.command(name="list")
@click.option("--day", "day", metavar="DATE", help="The day (default today).")
@with_context
def visits_list(ctx: Context, day: str | None) -> None:
    """The day's visits with their follow-up ids and how far each check has got."""
    from linkworker import lone_working

    settings, _ = ctx.settings()
    when = _day(day, "--day", ctx)
    with opened_store(ctx, readonly=True) as db:
        found = lone_working.visits_on(db, when)
        late = lone_working.overdue_visits(db, ctx.clock.now(), settings)
    for line in lone_working.visits_lines(found, "initials") or ["No visits booked that day."]:
        click.echo(literal(line))
    if late:
        how = "with " + " and ".join(f"linkworker visits check-out {v.followup_id}" for v in late)
        words = lone_working.overdue_text(late, ctx.clock.now(), how=how)
        click.echo(literal(words, single_line=False))


def _check(ctx: Context, followup_id: int, inward: bool) -> None:
    from linkworker import lone_working

    with opened_store(ctx) as db:
        step = lone_working.check_in if inward else lone_working.check_out
        found = step(db, followup_id, ctx.clock)
    click.echo(f"follow-up {followup_id}: {found.state()}")


@visits_group.command(name="check-in")
@click.argument("followup_id", type=RECORD_ID)
@with_context
def visits_check_in(ctx: Context, followup_id: int) -> None:
    """Check in to a visit (its follow-up id): your buddy's watch starts."""
    _check(ctx, followup_id, inward=True)


@visits_group.command(name="check-out")
@click.argument("followup_id", type=RECORD_ID)
@with_context
def visits_check_out(ctx: Context, followup_id: int) -> None:
    """Check out of a visit: you are safe."""
    _check(ctx, followup_id, inward=False)


# --- supervision ------------------------------------------------------------------------


supervision_group = _group("supervision", "Cases for supervision, the pack, and your sessions.")


@supervision_group.command(name="mark")
@click.argument("person_id", type=RECORD_ID)
@click.option("--question", required=True, help="What you want to bring to supervision.")
@with_context
def supervision_mark(ctx: Context, person_id: int, question: str) -> None:
    """Mark a person for supervision with your question (a new question replaces it)."""
    from linkworker import supervision

    with opened_store(ctx) as db:
        case = supervision.mark(db, person_id, question, ctx.clock)
    click.echo(f"person {person_id} is marked for supervision as case {case.case_ref}")


@supervision_group.command(name="unmark")
@click.argument("person_id", type=RECORD_ID)
@with_context
def supervision_unmark(ctx: Context, person_id: int) -> None:
    """Take a person off the supervision list."""
    from linkworker import supervision

    with opened_store(ctx) as db:
        case = supervision.unmark(db, person_id, ctx.clock)
    click.echo(f"case {case.case_ref} (person {person_id}) is no longer for supervision")


@supervision_group.command(name="pack")
@click.option("--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(["md", "html", "txt"]), default="md", show_default=True
)
@click.option(
    "--period",
    "period_key",
    default="this_quarter",
    show_default=True,
    help="The caseload figures' period: this_quarter, last_month, last_quarter, "
    "financial_year or last_12_months.",
)
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
@with_context
def supervision_pack(ctx: Context, output: Path, fmt: str, period_key: str, force: bool) -> None:
    """Write the pseudonymised supervision pack: a page per marked case, and the figures."""
    from linkworker.formats.supervision_pack import pack_file
    from linkworker.reports.period import period_presets
    from linkworker.reports.supervision_pack import supervision_pack as gather

    writer.check_target(output, force)
    today = ctx.clock.today()
    periods = {key: period for key, _, period in period_presets(today)}
    if period_key not in periods:
        fail(f"--period: '{period_key}' is not one of {', '.join(periods)}", 2)
    settings, _ = ctx.settings()
    with opened_store(ctx, readonly=True) as db:
        pack = gather(db, today, periods[period_key], settings)
    written = writer.write_text(output, pack_file(pack, fmt), force=force)
    cases = "1 case" if len(pack.cases) == 1 else f"{len(pack.cases)} cases"
    click.echo(f"wrote the supervision pack ({cases}) to {written}")


def _actions(for_person: tuple[str, ...], tasks: tuple[str, ...]) -> list[AgreedAction]:
    from linkworker.supervision import AgreedAction

    agreed: list[AgreedAction] = []
    for item in for_person:
        person, sep, text = item.partition(":")
        if not sep or not person.strip().isdigit():
            fail(f"--action: '{item}' must be PERSON_ID:what was agreed", 2)
        agreed.append(AgreedAction(text.strip(), int(person)))
    agreed += [AgreedAction(text) for text in tasks]
    return agreed


@supervision_group.command(name="record")
@click.option("--held-on", "held_on", metavar="DATE", help="The day it was held (default today).")
@click.option("--kind", required=True, type=click.Choice(["practice", "clinical", "professional"]))
@click.option("--with", "supervisor", required=True, help="Who supervised you.")
@click.option("--note", help="A short note of what was discussed.")
@click.option(
    "--action",
    "for_person",
    multiple=True,
    metavar="PERSON_ID:TEXT",
    help="An action for a person: booked as a follow-up on the next working day.",
)
@click.option("--task", "tasks", multiple=True, metavar="TEXT", help="A general task agreed.")
@with_context
def supervision_record(
    ctx: Context,
    held_on: str | None,
    kind: str,
    supervisor: str,
    note: str | None,
    for_person: tuple[str, ...],
    tasks: tuple[str, ...],
) -> None:
    """Record a supervision session and the actions agreed in it."""
    from linkworker import supervision

    settings, _ = ctx.settings()
    day = _day(held_on, "--held-on", ctx)
    agreed = _actions(for_person, tasks)
    with opened_store(ctx) as db:
        session = supervision.record_session(
            db, day, kind, supervisor, agreed, ctx.clock, note=note, nation=settings.bank_holidays
        )
    click.echo(f"recorded {session.headline()} ({len(session.actions)} actions)")


@supervision_group.command(name="list")
@with_context
def supervision_list(ctx: Context) -> None:
    """When the last session was, every session with its actions, and who is marked."""
    from linkworker import supervision

    with opened_store(ctx, readonly=True) as db:
        last = supervision.last_session_words(db, ctx.clock.today())
        found = supervision.sessions(db)
        cases = supervision.marked_cases(db)
    click.echo(last)
    for line in supervision.session_lines(found):
        click.echo(literal(line))
    for case in cases:
        click.echo(
            literal(f"for supervision: person {case.person_id} as {case.case_ref}: {case.question}")
        )


@supervision_group.command(name="done")
@click.argument("action_id", type=RECORD_ID)
@with_context
def supervision_done(ctx: Context, action_id: int) -> None:
    """Mark a general task from supervision done."""
    from linkworker import supervision

    with opened_store(ctx) as db:
        supervision.task_done(db, action_id, ctx.clock)
    click.echo(f"task {action_id} done")


# --- community ----------------------------------------------------------------------------


community_group = _group("community", "Community development time: no one person's case.")


@community_group.command(name="add")
@click.option("--day", "day", metavar="DATE", help="The day of the work (default today).")
@click.option(
    "--kind",
    required=True,
    help="supporting_group, starting_group, outreach, mdt_meeting, training or other.",
)
@click.option("--minutes", required=True, type=int, help="How long it took.")
@click.option("--organisation", help="The group or organisation.")
@click.option("--note", help="What was done.")
@with_context
def community_add(
    ctx: Context,
    day: str | None,
    kind: str,
    minutes: int,
    organisation: str | None,
    note: str | None,
) -> None:
    """Log a piece of community development work."""
    from linkworker import community

    when = _day(day, "--day", ctx)
    with opened_store(ctx) as db:
        work = community.add_work(
            db, when, kind, minutes, ctx.clock, organisation=organisation, note=note
        )
    click.echo(f"logged {work.minutes} minutes of community work on {format_date(work.worked_on)}")


@community_group.command(name="list")
@click.option("--from", "start", metavar="DATE", help="First day (default 90 days ago).")
@click.option("--to", "end", metavar="DATE", help="Last day (default today).")
@with_context
def community_list(ctx: Context, start: str | None, end: str | None) -> None:
    """The community work logged between two days, latest first, and its total."""
    from datetime import timedelta

    from linkworker import community

    last = _day(end, "--to", ctx)
    first = _day(start, "--from", ctx) if start else last - timedelta(days=90)
    if first > last:
        fail(f"--from {first.isoformat()} is after --to {last.isoformat()}", 2)
    with opened_store(ctx, readonly=True) as db:
        found = community.work_between(db, first, last)
    for work in found:
        click.echo(literal(work.line()))
    minutes = sum(w.minutes for w in found)
    sessions = "1 session" if len(found) == 1 else f"{len(found)} sessions"
    click.echo(
        f"{sessions}, {minutes / 60:.1f} hours from {format_date(first)} to {format_date(last)}"
    )
