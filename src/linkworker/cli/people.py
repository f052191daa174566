"""`linkworker people ...` and `linkworker referrals ...`: the caseload for scripts."""

from __future__ import annotations

from pathlib import Path

import click

from linkworker import caseload
from linkworker.cli.base import (
    Context,
    common_options,
    echo_json,
    fail,
    json_option,
    opened_store,
    with_context,
)
from linkworker.display import label, literal
from linkworker.models import ReferralStatus
from linkworker.store.handed_over import handed_over_people
from linkworker.validation import format_nhs_number


@click.group()
@common_options
def people() -> None:
    """People on record and their current referral."""


@people.command(name="list")
@click.option(
    "--status",
    type=click.Choice(caseload.STATUS_FILTERS, case_sensitive=False),
    help="Only people whose current referral has this status ('open': received, contacting "
    "or accepted; 'none': no referral yet).",
)
@json_option("Print a JSON list instead of a table.")
@with_context
def list_people(ctx: Context, status: str | None, as_json: bool) -> None:
    """List people by family name, with the status of their current referral.

    The id in the first column is what other commands take to mean a person.
    """
    with opened_store(ctx, readonly=True) as db:
        rows = caseload.list_people(db, status.lower() if status else None)
        locks = handed_over_people(db, [int(r["id"]) for r in rows])
    if as_json:
        echo_json(
            [
                {
                    "id": r["id"],
                    "given_name": r["given_name"],
                    "family_name": r["family_name"],
                    "preferred_name": r["preferred_name"],
                    "date_of_birth": r["date_of_birth"],
                    "nhs_number": r["nhs_number"],
                    "postcode": r["postcode"],
                    "status": r["status"],
                    "referral_id": r["referral_id"],
                    "received_on": r["received_on"],
                    "contacts": r["contacts"],
                    "flags": [f for f in (r["flags"] or "").split(",") if f],
                    "handed_over": (
                        {"to": locks[r["id"]].to_name, "on": locks[r["id"]].handed_over_on}
                        if r["id"] in locks
                        else None
                    ),
                }
                for r in rows
            ]
        )
        return
    if not rows:
        click.echo("No one matches." if status else "No one on record yet.")
        return
    table = [("id", "name", "born", "NHS number", "status", "referred")]
    for r in rows:
        table.append(
            (
                str(r["id"]),
                # Names are shown literally: no escape sequence reaches the terminal.
                literal(f"{r['family_name']}, {r['given_name']}"),
                r["date_of_birth"] or "",
                format_nhs_number(r["nhs_number"]),
                literal(locks[r["id"]].words())
                if r["id"] in locks
                else label(ReferralStatus, r["status"]) or "no referral",
                r["received_on"] or "",
            )
        )
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    for row in table:
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    click.echo(f"{len(rows)} {'person' if len(rows) == 1 else 'people'}")


@click.group()
@common_options
def referrals() -> None:
    """Referrals: import a batch from a CSV file."""


@referrals.command(name="import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--keep-good",
    is_flag=True,
    help="Import the good rows even when some rows are bad (the bad ones are still reported).",
)
@with_context
def import_referrals(ctx: Context, file: Path, keep_good: bool) -> None:
    """Import referrals from FILE.csv (columns: see `linkworker referrals template`).

    Every row is checked like the referral form. Unless --keep-good, nothing is written if
    any row is bad. Each problem is printed as `row N: field: reason` (N as a spreadsheet
    numbers rows; the header is row 1) and the exit code is 1. A row received over a year
    ago, or with an age over 110, is taken but reported as `check row N: field: reason`.
    """
    from linkworker.referral_import import check_import_file
    from linkworker.referral_import import import_referrals as run_import

    check_import_file(file)  # before the writer lock: a pipe or device is refused at once
    with opened_store(ctx) as db:
        report = run_import(db, file, ctx.clock, keep_good=keep_good)
    for problem in report.problems:
        click.echo(literal(str(problem)), err=True)
    for doubt in report.doubts:
        # Taken like any good row, but a date seldom true is someone's to check.
        click.echo(literal(f"check {doubt} (taken as given)"), err=True)
    if report.written:
        click.echo(
            f"imported {len(report.imported)} of {report.rows} referrals from {file} "
            f"({report.new_people} new people, {report.re_referrals} re-referrals)"
        )
    if report.problems:
        if keep_good:
            fail(f"{report.bad_rows} of {report.rows} rows not imported; see the problems above")
        advice = "put them right"
        if report.good_rows:
            advice += f", or use --keep-good to import the {report.good_rows} good rows"
        fail(f"nothing written: {report.bad_rows} of {report.rows} rows have problems; {advice}")
    if not report.written:
        fail("nothing to import")


@referrals.command(name="template")
@common_options
def template() -> None:
    """Print the header row of a referrals CSV, every column in order."""
    from linkworker.referral_import import template as header

    click.echo(header(), nl=False)
