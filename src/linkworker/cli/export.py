"""`linkworker export ...`: the message back to the GP, the commissioner report, subject access.

Arguments are checked here, not by click's types, so that every mistake (an unknown id, a
date that is not a date, --from after --to, an unknown format, a path that cannot be
written) is one line naming the argument, and a non-zero exit.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click
from sqlite_utils import Database

from linkworker.cli.base import (
    Context,
    common_options,
    date_in_range,
    fail,
    force_option,
    opened_store,
    output_option,
    with_context,
)

if TYPE_CHECKING:
    from linkworker.reports.period import Period

T = TypeVar("T")


@click.group()
@common_options
def export() -> None:
    """Export: a message back to the GP, a caseload report, a subject access export."""


def store_must_exist(ctx: Context) -> None:
    # Exporting never creates a store: a mistyped --db must not make an empty one.
    if not ctx.store_path.exists():
        fail(f"{ctx.store_path}: there is no store there (see `linkworker locate`)")


def _signed(ctx: Context, make: Callable[[Database, list[str]], T]) -> T:
    """``make(db, signature)`` on the store opened read-only (so it runs beside the app),
    signed with the worker's lines from Settings (name, role, how to reach them)."""
    settings, _ = ctx.settings()
    with opened_store(ctx, readonly=True) as db:
        return make(db, settings.signature())


def _whole_number(name: str, value: str) -> int:
    try:
        number = int(value.strip())
    except ValueError:
        fail(f"{name}: '{value}' is not a whole number")
        raise  # unreachable: fail() exits
    if number < 1:
        fail(f"{name}: '{value}' is not a valid id")
    return number


def day_option(name: str, value: str | None) -> date:
    from linkworker.validation import ValidationError, parse_date

    if value is None:
        fail(f"{name} is needed (a date such as 2026-10-01 or 01/10/2026)")
        raise AssertionError  # unreachable
    try:
        return date_in_range(name, parse_date(value))
    except ValidationError as exc:
        fail(f"{name}: {exc}")
        raise  # unreachable


def format_option(value: str, allowed: tuple[str, ...]) -> str:
    fmt = value.strip().lower()
    if fmt == "markdown":
        fmt = "md"
    if fmt not in allowed:
        fail(f"--format: '{value}' is not one of {', '.join(allowed)}")
    return fmt


@export.command(name="person")
@click.argument("person_id", metavar="ID")
@click.option(
    "--referral", "referral_id", metavar="R", help="The referral episode (default: latest)."
)
@click.option(
    "--format", "fmt", default="text", show_default=True, metavar="text|md|json", help="Format."
)
@click.option(
    "--leave-out",
    "leave_out",
    multiple=True,
    metavar="PART",
    help="Leave out a part (what_matters, goals, ...; what_matters:0 for one line). Repeatable.",
)
@click.option(
    "--include",
    multiple=True,
    metavar="PART",
    help="Include a part left out by default: flags, flag_notes, notes, feedback. Repeatable.",
)
@click.option("--codes-only", is_flag=True, help="Only who it is about and the SNOMED CT codes.")
@output_option("FILE", "Write to this file instead of printing (never replaced without --force).")
@force_option("Replace --output if it exists.")
@with_context
def export_person(
    ctx: Context,
    person_id: str,
    referral_id: str | None,
    fmt: str,
    leave_out: tuple[str, ...],
    include: tuple[str, ...],
    codes_only: bool,
    output: str | None,
    force: bool,
) -> None:
    """The message back to the GP and referrer for one person's referral episode.

    Plain text (the default) is ready to paste into EMIS Web or SystmOne. The person can
    read it in the NHS App: flags, their notes, notes on contacts and feedback on activities
    are left out unless --include names them. If the person has not consented to share with
    the GP, it says so and gives only the SNOMED CT codes.
    """
    from linkworker import reports
    from linkworker.formats import writer
    from linkworker.formats.gp_message import GP_FORMATS, render_gp_message
    from linkworker.reports import gp_parts

    pid = _whole_number("ID", person_id)
    rid = _whole_number("--referral", referral_id) if referral_id is not None else None
    fmt = format_option(fmt, GP_FORMATS)
    target = Path(output).expanduser() if output else None
    if target is not None:
        writer.check_target(target, force)
    store_must_exist(ctx)
    settings, _ = ctx.settings()
    whole = _signed(
        ctx,
        lambda db, sign: reports.gp_message(
            db, pid, ctx.clock.today(), rid, sender=sign, outcome_codes=settings.outcome_codes
        ),
    )
    try:
        message = gp_parts.choose_for_command(whole, leave_out, include, codes_only=codes_only)
    except ValueError as exc:
        fail(str(exc), 2)
    click.echo(f"note: {gp_parts.NHS_APP_NOTICE}", err=True)
    text = render_gp_message(message, fmt)
    if target is None:
        click.echo(text, nl=False)
        return
    writer.write_text(target, text, force=force)
    click.echo(writer.describe_written(target))


def report_period(start: str | None, end: str | None) -> Period:
    """--from and --to, checked, as a period widened to whole calendar months."""
    from linkworker.reports.period import Period

    first = day_option("--from", start)
    last = day_option("--to", end)
    if first > last:
        fail(f"--from {first.isoformat()} is after --to {last.isoformat()}")
    return Period(first, last).whole_months()


def report_target(fmt: str | None, output: str | None, force: bool) -> tuple[str, Path]:
    """The format and target of a caseload report (one worker's or a team's), checked
    before any work: a missing or unknown format, a missing or unwritable output."""
    from linkworker.formats.report_files import CASELOAD_FORMATS
    from linkworker.reports.export import check_caseload_output

    if fmt is None:
        fail(f"--format is needed: one of {', '.join(CASELOAD_FORMATS)}")
        raise AssertionError  # unreachable: fail() exits
    fmt = format_option(fmt, CASELOAD_FORMATS)
    if not output:
        fail("--output is needed: the file (or, for csv, the folder or .zip) to write")
        raise AssertionError  # unreachable
    target = Path(output).expanduser()
    check_caseload_output(fmt, target, force)
    return fmt, target


IDENTIFIABLE_WARNING = (
    "warning: this report is IDENTIFIABLE (names, NHS numbers, dates of birth, postcodes, "
    "exact small numbers); keep it as special-category data"
)


@export.command(name="caseload")
@click.option("--from", "start", metavar="DATE", help="First day of the period (included).")
@click.option("--to", "end", metavar="DATE", help="Last day of the period (included).")
@click.option("--format", "fmt", metavar="csv|json|md|html", help="Format.")
@output_option(
    "PATH", "File to write; for csv a folder (one file per table) or a name ending .zip."
)
@click.option(
    "--identifiable",
    is_flag=True,
    help="Include names, NHS numbers, dates of birth and postcodes, and exact small numbers.",
)
@force_option("Replace files that exist.")
@with_context
def export_caseload(
    ctx: Context,
    start: str | None,
    end: str | None,
    fmt: str | None,
    output: str | None,
    identifiable: bool,
    force: bool,
) -> None:
    """The commissioner's caseload report for a period, pseudonymised by default.

    Grouped as the Social Prescribing Information Standard: person demographics; needs and
    concerns; support offered; outcomes. Counts of 1-4 show as <5 and others are rounded to
    the nearest 5, and means, medians and percentages are shown only for groups of 10 or
    more, rounded, unless --identifiable. The period is widened to whole calendar months.
    For csv, --output is a folder name (no suffix such as .csv) or a name ending .zip.
    """
    from linkworker.formats.writer import describe_written
    from linkworker.reports.export import CaseloadRequest, export_caseload

    period = report_period(start, end)
    fmt, target = report_target(fmt, output, force)
    store_must_exist(ctx)
    if identifiable:
        # Said before the work starts, so it is seen even if the export then fails.
        click.echo(IDENTIFIABLE_WARNING, err=True)
    widened = period.widened_words()
    if widened:
        click.echo(f"note: {widened}", err=True)
    today = ctx.clock.today()
    written = _signed(
        ctx,
        lambda db, sign: export_caseload(
            db, CaseloadRequest(period, fmt, target, today, identifiable, force, sign)
        ),
    )
    for path in written:
        click.echo(describe_written(path))


@export.command(name="sar")
@click.argument("person_id", metavar="ID")
@output_option("FILE.json", "The JSON file; the Markdown rendering is written beside it with .md.")
@force_option("Replace the files if they exist.")
@with_context
def export_sar(ctx: Context, person_id: str, output: str | None, force: bool) -> None:
    """Subject access: everything held about one person, as JSON and readable Markdown."""
    from linkworker.formats.writer import describe_written
    from linkworker.reports.export import check_sar_output, export_sar

    pid = _whole_number("ID", person_id)
    if not output:
        fail("--output is needed: the JSON file to write (the .md goes beside it)")
        return
    target = Path(output).expanduser()
    check_sar_output(target, force)
    store_must_exist(ctx)
    written = _signed(
        ctx,
        lambda db, sign: export_sar(
            db, pid, target, generated_at=ctx.clock.stamp(), force=force, prepared_by=sign
        ),
    )
    for path in written:
        click.echo(describe_written(path))
