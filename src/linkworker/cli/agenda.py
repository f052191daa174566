"""`linkworker agenda`: the day's agenda as text or JSON, and follow-ups as an .ics calendar."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from linkworker.cli.base import (
    Context,
    date_in_range,
    echo_json,
    fail,
    force_option,
    json_option,
    opened_store,
    with_context,
)
from linkworker.display import flag_words, literal
from linkworker.followups.agenda import AGENDA_DAYS, NOTHING_DUE, UP_TO_DATE, Agenda, build_agenda
from linkworker.followups.calendar_export import CALENDAR_DAYS, calendar
from linkworker.formats import writer
from linkworker.validation import ValidationError, format_date, parse_date


def _day(ctx: Context, value: str | None) -> date:
    if value is None:
        return ctx.clock.today()
    try:
        return date_in_range("--date", parse_date(value))
    except ValidationError as exc:
        fail(f"--date: {exc}", 2)
        raise  # unreachable: fail() exits
    except ValueError as exc:
        fail(str(exc), 2)
        raise  # unreachable: fail() exits


def agenda_text(agenda: Agenda) -> list[str]:
    """The agenda as plain lines for a terminal or a printout."""
    day = agenda.today
    lines = [
        f"Agenda for {day.strftime('%A')} {format_date(day)} "
        f"(today and the next {agenda.days - 1} days)",
        agenda.summary(),
    ]
    for _key, title, bucket in agenda.buckets():
        if not bucket:
            continue
        lines.append("")
        lines.append(f"{title} ({len(bucket)})")
        for line in bucket:
            who = literal(line.who())
            if line.flags:
                who += " " + flag_words(line.flags, short=True)
            lines.append(f"  {line.when_text():<15} {who:<26} {literal(line.what)}")
    if not any(bucket for _, _, bucket in agenda.buckets()):
        lines.append("")
        lines.append(f"{NOTHING_DUE}: {UP_TO_DATE}.")
    return lines


@click.command()
@click.option("--date", "on", metavar="DATE", help="The day to show (default: today).")
@click.option(
    "--days",
    type=click.IntRange(1, 366),
    default=None,
    help=f"Days to look ahead, today included (default {AGENDA_DAYS}; {CALENDAR_DAYS} for --ics).",
)
@json_option("Print a JSON object instead of text.")
@click.option(
    "--ics",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write upcoming follow-ups to this .ics calendar file instead of printing.",
)
@click.option(
    "--identifiable", is_flag=True, help="With --ics: put names, places and purposes in events."
)
@force_option("With --ics: replace the file if it exists.")
@with_context
def agenda(
    ctx: Context,
    on: str | None,
    days: int | None,
    as_json: bool,
    ics: Path | None,
    identifiable: bool,
    force: bool,
) -> None:
    """Print the agenda (due, overdue, waiting, gone quiet, reviews, connections, coming up),
    or write upcoming follow-ups as an iCalendar file with --ics."""
    if ics is None and (identifiable or force):
        fail("--identifiable and --force only apply with --ics FILE", 2)
    if ics is not None and as_json:
        fail("--json and --ics: choose one", 2)
    day = _day(ctx, on)
    settings, warnings = ctx.settings()
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    if ics is not None:
        writer.check_target(ics, force)
        with opened_store(ctx, readonly=True) as db:
            export = calendar(db, day, days=days or CALENDAR_DAYS, identifiable=identifiable)
        writer.write_file(ics, export.data, force=force)
        privacy = (
            "with names, places and purposes"
            if identifiable
            else "initials and kind only; --identifiable adds names"
        )
        cancelled = f" and {export.cancelled} cancelled" if export.cancelled else ""
        click.echo(
            f"wrote {export.events} follow-up{'s' if export.events != 1 else ''}{cancelled} "
            f"({format_date(export.first)} to {format_date(export.last)}) to {ics} ({privacy})"
        )
        return
    with opened_store(ctx, readonly=True) as db:
        result = build_agenda(db, day, settings, days=days or AGENDA_DAYS)
    if as_json:
        echo_json(result.to_dict())
    else:
        for line in agenda_text(result):
            click.echo(line)
